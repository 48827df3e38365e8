"""The patient search's result rows: who, born when, what the referral is at, and the page of
the user's role that opens it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from clinic.models import Role, User
from referrals.models import Referral
from reports.words import born_on

# The page each role opens a referral on.
REFERRAL_PAGES: dict[str, str] = {
    Role.GP: "referrals:gp_referral_detail",
    Role.RADIOLOGIST: "referrals:radiology_referral",
    Role.SECRETARY: "scheduling:referral",
}


@dataclass(frozen=True, slots=True)
class SearchRow:
    url: str
    number: int
    patient: str
    born: str
    status: str
    status_label: str
    gp: str
    sent_at: datetime | None


def search_rows(user: User, referrals: list[Referral]) -> list[SearchRow]:
    page = REFERRAL_PAGES[user.role]
    rows = []
    for referral in referrals:
        patient = referral.patient
        rows.append(
            SearchRow(
                url=reverse(page, args=[referral.pk]),
                number=referral.pk,
                patient=str(patient) if patient else "",
                born=born_on(patient, patient.birth_date) if patient else "",
                status=referral.status,
                status_label=referral.get_status_display(),
                gp=referral.gp.display_name,
                sent_at=referral.submitted_at,
            )
        )
    return rows
