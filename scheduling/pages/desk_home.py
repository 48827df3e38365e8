"""The secretary's home page's patients to book (most urgent first) as frozen rows of plain
texts, dates and urls that templates/scheduling/home.html writes inline; the referrals missing an
examination are scheduling/pages/missing_imaging.py's rows.

Each label a row repeats (the stay, the anaesthesia) is translated once a page: with 50 rows,
the template's per-row translations were most of the page's time at a network's volume. Each
row's booking plan needs the referral and its decision in force as models (scheduling.windows);
they are read with only the columns the plan reads, and the patient's and GP's names beside
them, without their models (to_book_card)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from clinic.links import url_pattern
from clinic.models import user_display_name
from referrals.choices import Anaesthesia, Stay
from referrals.models import Referral, patient_full_name
from scheduling.errors import NotBookable
from scheduling.selectors import referrals_to_book
from scheduling.windows import plan_for


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


@dataclass(frozen=True, slots=True)
class ToBookRow:
    url: str
    book_url: str
    patient: str
    urgent: bool
    gp: str
    plan: str  # « L1, L2 · 60 min · jour · sédation », or « — » when the referral has no plan
    earliest: str  # « 15/12/2026 » or « — »
    target: str
    overdue: bool  # the target date is past
    limit: str


# What scheduling.windows.plan_for reads of a referral and of its decision in force, and what a
# row prints; the names come as annotations (to_book_card).
PLAN_COLUMNS = (
    "status",
    "urgent",
    "patient_id",
    "antithrombotics",
    "anaesthesia",
    "earliest_procedure_date",
    "target_before",
    "latest_until",
    "current_decision__kind",
    "current_decision__decided_at",
    "current_decision__levels_to_treat",
    "current_decision__anaesthesia",
    "current_decision__stay",
    "current_decision__option",
    "current_decision__medication_plan",
    "current_decision__facts",
    "current_decision__engine_output",
)
NAMES = {
    "patient_birth_name": F("patient__birth_name"),
    "patient_used_name": F("patient__used_name"),
    "patient_first_names": F("patient__first_names"),
    "patient_sex": F("patient__sex"),
    "gp_role": F("gp__role"),
    "gp_first_name": F("gp__first_name"),
    "gp_last_name": F("gp__last_name"),
    "gp_username": F("gp__username"),
}


def _to_book() -> QuerySet[Referral]:
    return (
        referrals_to_book()
        .select_related(None)
        .select_related("current_decision")
        .only(*PLAN_COLUMNS)
        .annotate(**NAMES)
    )


def to_book_card(*, limit: int | None, today: date) -> tuple[list[ToBookRow], int]:
    """(the rows of the patients to book, most urgent first, the first `limit` or all; how many
    in all)."""
    found = list(_to_book() if limit is None else _to_book()[: limit + 1])
    total = len(found)
    if limit is not None and total > limit:
        found = found[:limit]
        total = referrals_to_book().count()
    return to_book_rows(found, today=today), total


def to_book_rows(referrals: Sequence[Referral], *, today: date) -> list[ToBookRow]:
    """Rows of `_to_book()` (model instances: the plan needs the decision in force), each with
    its booking plan in one line."""
    # Translated once a page, not once a row.
    stays = {Stay.OVERNIGHT: _("une nuit"), Stay.DAY_HOSPITAL: _("jour")}
    anaesthesia: dict[str, str] = {
        Anaesthesia.GENERAL: _("anesthésie générale"),
        Anaesthesia.SEDATION: _("sédation"),
    }
    no_name = _("Patient sans nom")
    desk, book = url_pattern("scheduling:referral"), url_pattern("scheduling:book")
    rows = []
    for referral in referrals:
        try:
            plan = plan_for(referral, today=today)
        except NotBookable:
            plan = None
        summary, earliest = "—", "—"
        if plan is not None:
            parts = [", ".join(plan.levels), f"{plan.minutes} min"]
            parts.append(
                stays[Stay.OVERNIGHT] if plan.stay == Stay.OVERNIGHT else stays[Stay.DAY_HOSPITAL]
            )
            if plan.anaesthesia in anaesthesia:
                parts.append(anaesthesia[plan.anaesthesia])
            summary, earliest = " · ".join(parts), _day(plan.earliest)
        names: dict[str, str] = {name: getattr(referral, name) or "" for name in NAMES}
        patient = ""
        if referral.patient_id is not None:
            patient = (
                patient_full_name(
                    birth_name=names["patient_birth_name"],
                    used_name=names["patient_used_name"],
                    first_names=names["patient_first_names"],
                    sex=names["patient_sex"],
                )
                or no_name
            )
        rows.append(
            ToBookRow(
                url=desk.format(referral.pk),
                book_url=book.format(referral.pk),
                patient=patient,
                urgent=referral.urgent,
                gp=user_display_name(
                    role=names["gp_role"],
                    first_name=names["gp_first_name"],
                    last_name=names["gp_last_name"],
                    username=names["gp_username"],
                ),
                plan=summary,
                earliest=earliest,
                target=_day(referral.target_before),
                overdue=bool(referral.target_before and referral.target_before < today),
                limit=_day(referral.latest_until),
            )
        )
    return rows
