"""The secretary's home page's patients to book (most urgent first) as frozen rows of plain
texts, dates and urls that templates/scheduling/home.html writes inline; the referrals missing an
examination are scheduling/pages/missing_imaging.py's rows.

Each label a row repeats (the stay, the anaesthesia) is translated once a page: with 50 rows,
the template's per-row translations were most of the page's time at a network's volume."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from clinic.links import url_pattern
from clinic.models import user_display_name
from referrals.choices import Anaesthesia, Stay
from referrals.models import Referral
from scheduling.errors import NotBookable
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


def to_book_rows(referrals: Sequence[Referral], *, today: date) -> list[ToBookRow]:
    """Rows of `scheduling.selectors.referrals_to_book()` (model instances: the plan needs the
    decision in force), each with its booking plan in one line."""
    # Translated once a page, not once a row.
    stays = {Stay.OVERNIGHT: _("une nuit"), Stay.DAY_HOSPITAL: _("jour")}
    anaesthesia: dict[str, str] = {
        Anaesthesia.GENERAL: _("anesthésie générale"),
        Anaesthesia.SEDATION: _("sédation"),
    }
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
        gp = referral.gp
        rows.append(
            ToBookRow(
                url=desk.format(referral.pk),
                book_url=book.format(referral.pk),
                patient=str(referral.patient or ""),
                urgent=referral.urgent,
                gp=user_display_name(
                    role=gp.role,
                    first_name=gp.first_name,
                    last_name=gp.last_name,
                    username=gp.username,
                ),
                plan=summary,
                earliest=earliest,
                target=_day(referral.target_before),
                overdue=bool(referral.target_before and referral.target_before < today),
                limit=_day(referral.latest_until),
            )
        )
    return rows
