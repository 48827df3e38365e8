"""The secretary's home page lists as frozen rows: the patients to book (most urgent first) and
the referrals missing an examination (oldest first), each a row of plain texts, dates and urls
that templates/scheduling/home.html writes inline.

Each label a row repeats (the stay, the anaesthesia, a modality) is translated once a page, and
the missing-imaging list reads its page of ids from its partial index before its rows by id:
with 50 rows of each list, the template's per-row translations and the list's sort of every
waiting referral were most of the page's time at a network's volume."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.links import url_pattern
from clinic.models import user_display_name
from referrals.choices import Anaesthesia, Stay
from referrals.models import Referral, patient_full_name
from scheduling.errors import NotBookable
from scheduling.models import Modality
from scheduling.selectors import imaging_values
from scheduling.services.imaging import missing_modalities
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


@dataclass(frozen=True, slots=True)
class MissingRow:
    url: str
    imaging_url: str
    patient: str
    missing: str  # « scanner, IRM »
    gp: str
    exams: tuple[str, ...]  # « IRM, 15/12/2026 14:30 » for each appointment already made


MISSING_COLUMNS = (
    "pk",
    "ct_available",
    "mri_available",
    "mri_contraindicated",
    "mri_alternative",
    "patient__birth_name",
    "patient__used_name",
    "patient__first_names",
    "patient__sex",
    "gp__role",
    "gp__first_name",
    "gp__last_name",
    "gp__username",
)


def missing_imaging_rows(
    queryset: QuerySet[Referral], *, limit: int | None
) -> tuple[list[MissingRow], int]:
    """(the rows of `scheduling.selectors.referrals_missing_imaging()`, the first `limit` when
    given; how many there are): the page's ids first, in the list's order, then their columns
    and live appointments by id."""
    ids = queryset.values_list("pk", flat=True)
    shown = list(ids if limit is None else ids[: limit + 1])
    total = len(shown)
    if limit is not None and total > limit:
        shown, total = shown[:limit], queryset.count()
    values = {
        row["pk"]: row for row in Referral.objects.filter(pk__in=shown).values(*MISSING_COLUMNS)
    }
    exams = imaging_values(shown)
    # Translated once a page, not once a row.
    words: dict[str, str] = {
        Modality.CT: _("scanner"),
        Modality.MRI: _("IRM"),
        Modality.BONE_SCAN: str(Modality.BONE_SCAN.label).lower(),
    }
    modality = {code: str(label) for code, label in Modality.choices}
    desk, imaging = url_pattern("scheduling:referral"), url_pattern("scheduling:imaging")
    no_name = _("Patient sans nom")
    rows = []
    for pk in shown:
        row = values.get(pk)
        if row is None:
            continue
        lacking = missing_modalities(_Imaging(row))  # type: ignore[arg-type]
        missing = ", ".join(words[code] for code in lacking)
        rows.append(
            MissingRow(
                url=desk.format(pk),
                imaging_url=imaging.format(pk),
                patient=patient_full_name(
                    birth_name=row["patient__birth_name"] or "",
                    used_name=row["patient__used_name"] or "",
                    first_names=row["patient__first_names"] or "",
                    sex=row["patient__sex"] or "",
                )
                or no_name,
                missing=missing,
                gp=user_display_name(
                    role=row["gp__role"],
                    first_name=row["gp__first_name"],
                    last_name=row["gp__last_name"],
                    username=row["gp__username"],
                ),
                exams=tuple(f"{modality[code]}, {_instant(at)}" for code, at in exams.get(pk, [])),
            )
        )
    return rows, total


def _instant(at: datetime) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M")


class _Imaging:
    """What `missing_modalities` reads of a referral, from a values() row."""

    def __init__(self, row: dict[str, object]) -> None:
        self.ct_available = row["ct_available"]
        self.mri_available = row["mri_available"]
        self.mri_contraindicated = row["mri_contraindicated"]
        self.mri_alternative = row["mri_alternative"]
