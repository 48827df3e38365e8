from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import AccessLog, User
from tests.factories import ReferralFactory


def test_admin_finds_who_opened_a_patients_data(
    admin_client: Client, gp: User, radiologist: User
) -> None:
    referral = ReferralFactory(gp=gp, patient__birth_name="TRACEUR")
    AccessLog.objects.create(
        at="2026-11-20T10:00:00Z",
        user=radiologist,
        patient_id=referral.patient_id,
        referral_id=referral.pk,
        what="referral",
        outcome="granted",
    )
    AccessLog.objects.create(
        at="2026-11-21T10:00:00Z",
        user=gp,
        patient_id=referral.patient_id,
        referral_id=referral.pk,
        what="attachment",
        outcome="refused",
    )
    response = admin_client.post(reverse("access_log"), {"patient": "traceur"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dr Hélène Lefèvre" in html and "Dr Claire Martin" in html
    assert "refusé" in html


def test_access_log_rows_cannot_be_changed_or_deleted(db: None, gp: User) -> None:
    row = AccessLog.objects.create(
        at="2026-11-20T10:00:00Z", user=gp, what="referral", outcome="granted"
    )
    row.what = "forged"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    assert AccessLog.objects.get(pk=row.pk).what == "referral"


def test_access_log_page_is_for_administrators(client: Client, radiologist: User) -> None:
    client.force_login(radiologist)
    assert client.get(reverse("access_log")).status_code == 403
