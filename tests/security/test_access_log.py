"""Checklist row 19: opening a referral, an attachment or a document writes one access-log row:
who, which patient, what, when (UTC), granted or refused. test_role_matrix.py checks the count and
the patient for every URL and persona; this file checks each row's content."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clinic.append_only import AppendOnlyError
from clinic.models import AccessLog, User
from tests.conftest import client_for
from tests.security.world import World

OPENED_AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # 09:00 in Paris, the frozen clock

OPENINGS = [
    ("gp", "referrals:gp_referral_detail", "referral", "referral"),
    ("radiologist", "referrals:radiology_referral", "referral", "referral"),
    ("radiologist", "referrals:accept", "referral", "referral.decision"),
    ("secretary", "scheduling:referral", "referral", "referral.scheduling"),
    ("gp", "referrals:attachment_download", "attachment", "attachment"),
    ("radiologist", "reports:indication_report", "referral", "pdf.report"),
    ("gp", "reports:decision_letter", "decision", "pdf.decision_letter"),
    ("gp", "reports:surgical_letter", "surgery_decision", "pdf.surgical_letter"),
    ("gp", "scheduling:convocation", "booking", "pdf.convocation"),
    ("gp", "scheduling:convocation_ics", "booking", "ics.convocation"),
    ("secretary", "scheduling:cancel", "booking", "booking"),
]


@pytest.mark.parametrize(
    ("who", "name", "kind", "what"), OPENINGS, ids=[f"{o[1]}-{o[0]}" for o in OPENINGS]
)
def test_opening_patient_data_writes_one_row_saying_who_what_which_patient_and_when(
    world: World, request: pytest.FixtureRequest, who: str, name: str, kind: str, what: str
) -> None:
    user: User = request.getfixturevalue(who)
    obj = world.objects()[kind]

    response = client_for(user).get(reverse(name, args=[obj.pk]))

    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.what, row.outcome) == (user, what, "granted")
    assert row.patient_id == world.patient_of(kind) is not None
    assert row.at == OPENED_AT and row.at.utcoffset().total_seconds() == 0
    assert row.ip_address == "127.0.0.1"


def test_another_gps_attempt_is_logged_as_refused_against_the_patient(
    world: World, other_gp: User
) -> None:
    url = reverse("reports:decision_letter", args=[world.decision.pk])

    assert client_for(other_gp).get(url).status_code == 404

    row = AccessLog.objects.get()
    assert (row.user, row.outcome, row.what) == (other_gp, "refused", "pdf.decision_letter")
    assert row.patient_id == world.scheduled.patient_id
    assert row.at == OPENED_AT


def test_a_role_refused_a_page_is_logged_with_the_page_and_the_patient(
    world: World, secretary: User
) -> None:
    url = reverse("reports:indication_report", args=[world.submitted.pk])

    assert client_for(secretary).get(url).status_code == 403

    row = AccessLog.objects.get()
    assert (row.user, row.outcome) == (secretary, "refused")
    assert row.what == "role:reports:indication_report"
    assert row.patient_id == world.submitted.patient_id


def test_an_id_that_does_not_exist_is_logged_without_a_patient(world: World, gp: User) -> None:
    assert (
        client_for(gp).get(reverse("referrals:attachment_download", args=[424242])).status_code
        == 404
    )

    row = AccessLog.objects.get()
    assert (row.user, row.outcome, row.object_id, row.patient_id) == (gp, "refused", 424242, None)


def test_lists_are_not_logged_row_by_row(world: World, radiologist: User) -> None:
    # A worklist shows names and verdicts, not the file: opening a file is what is logged.
    client_for(radiologist).get(reverse("home_radiologist"))
    assert not AccessLog.objects.exists()


def test_the_administrator_finds_the_attempts_by_patient(
    world: World, other_gp: User, admin_user: User
) -> None:
    client_for(other_gp).get(reverse("referrals:gp_referral_detail", args=[world.submitted.pk]))
    patient = world.submitted.patient

    admin = client_for(admin_user)

    html = admin.post(reverse("access_log"), {"patient": patient.nir}).content.decode()

    assert "Dr Paul Autre" in html and "refusé" in html and "Demande (page)" in html
    # The search is posted: a NIR or a name put in the URL (and so in server logs) finds nothing.
    by_url = admin.get(reverse("access_log"), {"patient": patient.nir}).content.decode()
    assert "Dr Paul Autre" not in by_url and patient.birth_name.upper() not in by_url.upper()


def test_the_administrators_searches_are_logged_with_who_what_and_when(
    world: World, admin_user: User
) -> None:
    patient = world.submitted.patient
    admin = client_for(admin_user)

    admin.post(reverse("access_log"), {"patient": patient.nir})
    admin.post(reverse("access_log"), {"patient": "Personne-Inconnue"})

    searches = list(
        AccessLog.objects.filter(what="access_log.search")
        .order_by("id")
        .values("user", "patient_id", "search", "at", "outcome")
    )
    assert searches == [
        {
            "user": admin_user.pk,
            "patient_id": patient.pk,
            "search": patient.nir,
            "at": OPENED_AT,
            "outcome": "granted",
        },
        {
            "user": admin_user.pk,
            "patient_id": None,
            "search": "Personne-Inconnue",
            "at": OPENED_AT,
            "outcome": "granted",
        },
    ]
    # The patient's own history now says who looked at it.
    html = admin.post(reverse("access_log"), {"patient": patient.nir}).content.decode()
    assert "Recherche dans le journal des accès" in html and "Marc Petit" in html
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(what="access_log.search").delete()


def test_a_document_refused_after_access_is_logged_as_refused_not_granted(
    world: World, gp: User
) -> None:
    from scheduling.models import Booking, BookingStatus

    # An acceptance has no surgical letter; a cancelled appointment no convocation.
    letter = reverse("reports:surgical_letter", args=[world.decision.pk])
    Booking.objects.filter(pk=world.booking.pk).update(status=BookingStatus.CANCELLED)
    convocation = reverse("scheduling:convocation", args=[world.booking.pk])

    assert client_for(gp).get(letter).status_code == 404
    assert client_for(gp).get(convocation).status_code == 404

    rows = list(AccessLog.objects.order_by("id").values_list("what", "outcome", "patient_id"))
    patient = world.scheduled.patient_id
    assert rows == [
        ("pdf.surgical_letter", "refused", patient),
        ("pdf.convocation", "refused", patient),
    ]
