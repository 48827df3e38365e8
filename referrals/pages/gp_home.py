"""The GP's home page: their referrals, newest first, ready to print.

A page is its total (an index-only count of the GP's referrals), one query of plain values for the
printed columns of its 20 rows, then the imaging appointments and active bookings of those rows.
As on the worklist (referrals/pages/worklist.py), each row is a frozen `GpRow` of plain values
(texts, dates, urls, a badge class, the appointment) built without model instances, and
templates/clinic/home_gp.html writes the rows with one `{% for %}` loop, the cells inline (an
include per row was most of the page's time once; docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.models import User
from referrals.choices import DecisionKind, Status, Verdict
from referrals.models import Referral, patient_full_name
from referrals.pages.rows import PageLabels, RowsPage
from reports.words import born_on
from scheduling.instructions import reader_clock
from scheduling.models import BookingStatus, Modality
from scheduling.selectors import active_booking_values, imaging_values

PAGE_SIZE = 20
NEXT_STEPS: dict[str, Any] = {
    Status.DRAFT: gettext_lazy("Compléter et adresser la demande"),
    Status.SUBMITTED: gettext_lazy("Le radiologue étudie la demande"),
    Status.INFO_REQUESTED: gettext_lazy("Répondre au radiologue et renvoyer"),
    Status.ACCEPTED: gettext_lazy("Le secrétariat va proposer une date"),
    Status.DECLINED: gettext_lazy("Lire le motif du refus"),
    Status.SURGERY: gettext_lazy("Organiser l’avis chirurgical"),
    Status.SCHEDULED: gettext_lazy("Préparer le patient pour le rendez-vous"),
    Status.ARRIVED: gettext_lazy("Le patient est à la clinique pour le geste"),
    Status.DONE: gettext_lazy("Suivi après le geste"),
    Status.CANCELLED: gettext_lazy("Aucune"),
    Status.CLOSED: gettext_lazy("Aucune : lire le motif de la clinique"),
}
STATUS_LABELS: dict[str, Any] = dict(Status.choices)
VERDICT_LABELS: dict[str, Any] = dict(Verdict.choices)
STATUS_BADGES: dict[str, str] = {
    Status.DRAFT: "text-bg-light border",
    Status.SUBMITTED: "text-bg-primary",
    Status.INFO_REQUESTED: "text-bg-warning",
    Status.ACCEPTED: "text-bg-success",
    Status.DECLINED: "text-bg-danger",
    Status.SURGERY: "text-bg-dark",
    Status.SCHEDULED: "text-bg-success",
    Status.ARRIVED: "text-bg-info",
    Status.DONE: "text-bg-secondary",
    Status.CANCELLED: "text-bg-secondary",
    Status.CLOSED: "text-bg-secondary",
}
MODALITY_LABELS: dict[str, Any] = dict(Modality.choices)
EDITABLE = (Status.DRAFT, Status.INFO_REQUESTED)
COLUMNS = (
    "pk",
    "status",
    "urgent",
    "verdict",
    "created_at",
    "submitted_at",
    "target_before",
    "identity_as_entered",
    "current_decision__kind",
)
DECISION_LABELS: dict[str, Any] = dict(DecisionKind.choices)


def decision_shown(kind: str | None) -> str:
    """The radiologist's decision a list shows instead of the engine's verdict: once they have
    decided (accepted, declined, sent to surgery), the engine's advice is history. A request
    for information is not a decision on the indication: the engine still guides the GP."""
    if not kind or kind == DecisionKind.REQUEST_INFORMATION:
        return ""
    return kind


@dataclass(frozen=True, slots=True)
class GpBooking:
    """The referral's procedure at the clinic, short (the referral page shows it in full)."""

    day: date
    arrival: str  # « 7 h 30 », "7:30": the reader's clock (scheduling.instructions.reader_clock)
    arrived: str  # the « arrived » status's label once the patient is there, else ""


@dataclass(frozen=True, slots=True)
class GpExam:
    """An imaging examination booked at the centre."""

    label: str  # « IRM au centre »
    at: datetime


@dataclass(frozen=True, slots=True)
class GpRow:
    """One referral of the GP's list, as its row says it (templates/clinic/home_gp.html)."""

    pk: int
    status: str
    url: str
    step_url: str  # "" when the next step is not the GP's to take here
    patient: str  # "" when nothing was typed (or the record is not the GP's to see)
    birth_date: date | None
    born: str  # « née le 02/03/1941 » (reports/words.py), "" when not typed
    status_label: str
    status_badge: str
    urgent: bool  # G-NEURO: the clinic treats it first
    verdict: str
    verdict_label: str
    decision: str  # the radiologist's decision once they decided, else "" (decision_shown)
    decision_label: str
    next_step: str
    submitted_at: datetime | None
    created_at: datetime
    target_before: date | None  # None when not shown
    target_passed: bool
    booking: GpBooking | None
    imaging: tuple[GpExam, ...]

    @property
    def awaits_answer(self) -> bool:
        return self.status == Status.INFO_REQUESTED


class Waiting(NamedTuple):
    """A referral the radiologist asked more information about."""

    url: str
    patient: str


@dataclass(frozen=True)
class GpHomePage(RowsPage):
    count: int = 0
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


def gp_home_page(gp: User, *, number: int, today: date) -> GpHomePage:
    """Page `number` of the GP's referrals (past the last page: the last page)."""
    referrals = gp_referrals(gp)
    count = referrals.count()
    number = min(max(number, 1), max(1, -(-count // PAGE_SIZE)))
    start = (number - 1) * PAGE_SIZE
    values = list(
        referrals.order_by("-created_at", "-id").values(*COLUMNS)[start : start + PAGE_SIZE]
    )
    texts = _Texts(today)
    imaging = imaging_values(value["pk"] for value in values) if values else {}
    # Scheduling keeps a booking active exactly while its referral is scheduled: only those
    # rows can show one (most pages of history have none, and skip the query).
    scheduled = [value["pk"] for value in values if value["status"] == Status.SCHEDULED]
    bookings = active_booking_values(scheduled) if scheduled else {}
    rows = [
        _row(value, bookings.get(value["pk"]), imaging.get(value["pk"], []), texts)
        for value in values
    ]
    if number == 1 and count <= PAGE_SIZE:
        waiting_values = [v for v in values if v["status"] == Status.INFO_REQUESTED]
    else:
        waiting_values = _waiting_values(referrals)
    waiting = [
        Waiting(texts.detail_url.format(value["pk"]), texts.patient(value) or texts.not_given)
        for value in waiting_values
    ]
    return GpHomePage(number=number, count=count, rows=rows, waiting=waiting)


def gp_referrals(gp: User) -> QuerySet[Referral]:
    """The GP's referrals as their home page lists them: all but the drafts they deleted (read
    from the partial index referral_gp_created)."""
    return Referral.objects.filter(gp=gp).exclude(status=Status.DISCARDED)


def _waiting_values(referrals: QuerySet[Referral]) -> list[dict[str, Any]]:
    return list(
        referrals.filter(status=Status.INFO_REQUESTED)
        .order_by("-updated_at")
        .values(*COLUMNS)[:PAGE_SIZE]
    )


@dataclass
class _Typed:
    sex: str


class _Texts(PageLabels):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.detail_url = self.url("referrals:gp_referral_detail")
        self.edit_url = self.url("referrals:gp_referral_edit")
        self.not_given = _("Patient non renseigné")

    def patient(self, value: dict[str, Any]) -> str:
        """The patient as this GP typed them, never the clinic's shared record: « DUPONT
        Jeanne », or "" when nothing was typed."""
        typed = value["identity_as_entered"]
        if not typed:
            return ""
        birth_name, used_name, first_names, sex = (
            typed.get(k) or "" for k in ("birth_name", "used_name", "first_names", "sex")
        )
        return patient_full_name(
            birth_name=birth_name, used_name=used_name, first_names=first_names, sex=sex
        )

    def birth_date(self, value: dict[str, Any]) -> date | None:
        raw = (value["identity_as_entered"] or {}).get("birth_date")
        return date.fromisoformat(raw) if raw else None

    def born(self, value: dict[str, Any], birth_date: date | None) -> str:
        """« né le … », « née le … », « date de naissance : … », by the sex the GP typed."""
        sex = (value["identity_as_entered"] or {}).get("sex") or ""
        return born_on(_Typed(sex=sex), birth_date)


def _shows_target(value: dict[str, Any]) -> bool:
    """The engine's "treat before" date, while it still guides someone (not for a surgical
    referral or a non-indication, unless a radiologist accepted it anyway)."""
    if value["target_before"] is None:
        return False
    if value["status"] == Status.ACCEPTED:
        return True
    waiting = value["status"] in (Status.SUBMITTED, Status.INFO_REQUESTED)
    return waiting and value["verdict"] not in (Verdict.SURGICAL_REFERRAL, Verdict.NOT_ELIGIBLE)


def _row(
    value: dict[str, Any],
    booking: tuple[date, time, str] | None,
    imaging: list[tuple[str, datetime]],
    texts: _Texts,
) -> GpRow:
    pk, status, verdict = value["pk"], value["status"], value["verdict"]
    step_url = ""
    if status in EDITABLE:
        target = texts.detail_url if status == Status.INFO_REQUESTED else texts.edit_url
        step_url = target.format(pk)
    shows_target = _shows_target(value)
    return GpRow(
        pk=pk,
        status=status,
        url=texts.detail_url.format(pk),
        step_url=step_url,
        patient=texts.patient(value),
        birth_date=(birth_date := texts.birth_date(value)),
        born=texts.born(value, birth_date),
        status_label=texts.memo("status", status, lambda: STATUS_LABELS.get(status, "")),
        status_badge=STATUS_BADGES.get(status, "text-bg-secondary"),
        urgent=value["urgent"],
        verdict=verdict,
        verdict_label=texts.memo("verdict", verdict, lambda: VERDICT_LABELS.get(verdict, "")),
        decision=(decision := decision_shown(value["current_decision__kind"])),
        decision_label=texts.memo("decision", decision, lambda: DECISION_LABELS.get(decision, "")),
        next_step=texts.memo("step", status, lambda: NEXT_STEPS.get(status, "")),
        submitted_at=value["submitted_at"],
        created_at=value["created_at"],
        target_before=value["target_before"] if shows_target else None,
        target_passed=shows_target and value["target_before"] < texts.today,
        booking=_booking(booking, texts),
        imaging=tuple(
            GpExam(texts.memo("exam", modality, partial(_exam_label, modality)), at)
            for modality, at in imaging
        ),
    )


def _booking(booking: tuple[date, time, str] | None, texts: _Texts) -> GpBooking | None:
    if booking is None:
        return None
    day, arrival, status = booking
    arrived = ""
    if status == BookingStatus.ARRIVED:
        arrived = texts.memo("arrived", "", lambda: BookingStatus.ARRIVED.label)
    return GpBooking(day, reader_clock(arrival), arrived)


def _exam_label(modality: str) -> str:
    """« IRM au centre »."""
    return _("%(exam)s au centre") % {"exam": MODALITY_LABELS.get(modality, modality)}
