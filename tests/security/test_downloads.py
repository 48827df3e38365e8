"""Checklist rows 16 and 17: the stored files have no URL of their own, and every patient document
is downloaded as an attachment that no browser or proxy keeps (uploads: test_uploads.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve, reverse

from clinic.models import User
from referrals.models import Referral
from tests.conftest import client_for
from tests.security.world import World

DOCUMENTS = [
    ("referrals:attachment_download", "attachment", "secretary"),
    ("reports:indication_report", "referral", "radiologist"),
    ("reports:decision_letter", "decision", "gp"),
    ("reports:surgical_letter", "surgery_decision", "gp"),
    ("scheduling:convocation", "booking", "gp"),
    ("scheduling:convocation_ics", "booking", "secretary"),
    ("scheduling:imaging_letter", "imaging", "gp"),
    ("scheduling:imaging_ics", "imaging", "secretary"),
]


@pytest.mark.parametrize(("name", "kind", "who"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_every_patient_document_is_a_private_attachment(
    world: World, request: pytest.FixtureRequest, name: str, kind: str, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    obj = world.objects()[kind]

    response = client.get(reverse(name, args=[obj.pk]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    patient = world.patient_of(kind)
    referral = Referral.objects.filter(patient_id=patient).select_related("patient").first()
    assert referral is not None
    # Word by word: Faker's « Anne » is inside « scanner.pdf », which names no one.
    words = set(re.findall(r"[^\W\d_]+", disposition.lower()))
    names = f"{referral.patient.birth_name} {referral.patient.first_names}".lower()
    for name in re.findall(r"[^\W\d_]+", names):
        assert name not in words
    assert referral.patient.nir not in disposition


def test_stored_files_have_no_url_only_the_checked_view(world: World, secretary: User) -> None:
    client = client_for(secretary)
    stored = world.attachment.file.name
    for prefix in ("/media/", "/", "/static/", "/var/media/", "/uploads/"):
        with pytest.raises(Resolver404):
            resolve(prefix + stored)
        assert client.get(prefix + stored).status_code == 404
    url = reverse("referrals:attachment_download", args=[world.attachment.pk])
    assert client.get(url).status_code == 200
