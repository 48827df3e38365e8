"""The GP's home page: their referrals, newest first, ready to print.

A page is its total (an index-only count of the GP's referrals), one query of plain values for the
printed columns of its 20 rows, then the imaging appointments and active bookings of those rows.
As on the worklist (referrals/pages/worklist.py), each row's cells are written here, every text
escaped, rather than by template tags: 20 rows of model instances, an include and six
`blocktranslate` each were most of the page's time (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from html import escape
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.models import User
from referrals.choices import Status, Verdict
from referrals.models import Referral, patient_full_name
from referrals.pages.rows import PageTexts, RowsPage
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
    Status.SURGERY: gettext_lazy("Organiser l'avis chirurgical"),
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
    "verdict",
    "created_at",
    "submitted_at",
    "target_before",
    "identity_as_entered",
    "patient_id",
    "patient__birth_name",
    "patient__used_name",
    "patient__first_names",
    "patient__sex",
    "patient__birth_date",
)


class GpRow(NamedTuple):
    pk: int
    status: str
    html: SafeString  # the table row, every text escaped


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
    texts = _Texts(_patients_shared_with_another_gp(gp, values), today)
    imaging = imaging_values(value["pk"] for value in values) if values else {}
    # Scheduling keeps a booking active exactly while its referral is scheduled: only those
    # rows can show one (most pages of history have none, and skip the query).
    scheduled = [value["pk"] for value in values if value["status"] == Status.SCHEDULED]
    bookings = active_booking_values(scheduled) if scheduled else {}
    rows = [
        GpRow(
            value["pk"],
            value["status"],
            _row_html(value, bookings.get(value["pk"]), imaging.get(value["pk"], []), texts),
        )
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


def _patients_shared_with_another_gp(gp: User, values: list[dict[str, Any]]) -> set[int]:
    """Patients of older referrals (no typed identity kept) that another GP also refers: their
    record is not shown (referrals.services.patients.identity_for_gp, security row 5). One query,
    and only when such a referral is on the page."""
    legacy = {v["patient_id"] for v in values if not v["identity_as_entered"] and v["patient_id"]}
    if not legacy:
        return set()
    return set(
        Referral.objects.filter(patient_id__in=legacy)
        .exclude(gp=gp)
        .values_list("patient_id", flat=True)
    )


class _Texts(PageTexts):
    def __init__(self, shared: set[int], today: date) -> None:
        super().__init__()
        self.shared = shared
        self.today = today
        self.detail_url = self.url("referrals:gp_referral_detail")
        self.edit_url = self.url("referrals:gp_referral_edit")
        self.not_given = _("Patient non renseigné")

    def patient(self, value: dict[str, Any]) -> str:
        """The patient as this GP typed them (or the record of an older referral, unless another
        GP refers the same patient): « DUPONT Jeanne », or "" when nothing was typed."""
        typed = value["identity_as_entered"]
        if typed:
            names = (typed.get(k) or "" for k in ("birth_name", "used_name", "first_names", "sex"))
        elif value["patient_id"] and value["patient_id"] not in self.shared:
            names = (
                value[f"patient__{k}"] or ""
                for k in ("birth_name", "used_name", "first_names", "sex")
            )
        else:
            return ""
        birth_name, used_name, first_names, sex = names
        return patient_full_name(
            birth_name=birth_name, used_name=used_name, first_names=first_names, sex=sex
        )

    def birth_date(self, value: dict[str, Any]) -> date | None:
        typed = value["identity_as_entered"]
        if typed:
            raw = typed.get("birth_date")
            return date.fromisoformat(raw) if raw else None
        if value["patient_id"] and value["patient_id"] not in self.shared:
            return value["patient__birth_date"]  # type: ignore[no-any-return]
        return None


def _shows_target(value: dict[str, Any]) -> bool:
    """The engine's "treat before" date, while it still guides someone (not for a surgical
    referral or a non-indication, unless a radiologist accepted it anyway)."""
    if value["target_before"] is None:
        return False
    if value["status"] == Status.ACCEPTED:
        return True
    waiting = value["status"] in (Status.SUBMITTED, Status.INFO_REQUESTED)
    return waiting and value["verdict"] not in (Verdict.SURGICAL_REFERRAL, Verdict.NOT_ELIGIBLE)


def _row_html(
    value: dict[str, Any],
    booking: tuple[date, time, str] | None,
    imaging: list[tuple[str, datetime]],
    texts: _Texts,
) -> SafeString:
    """One row of the table (the cells and classes templates/clinic/home_gp.html wrote)."""
    pk, status, verdict = value["pk"], value["status"], value["verdict"]
    patient = texts.patient(value)
    about = escape(_("Demande n° %(pk)s") % {"pk": pk})
    birth = texts.birth_date(value)
    if birth is not None:
        # « né(e) le » stays with its date on one line.
        born = _("né(e) le %(date)s") % {"date": texts.day(birth)}
        about += " · " + escape(born).replace(" ", "\u00a0")
    if verdict:
        label = texts.memo("verdict", verdict, lambda: str(VERDICT_LABELS.get(verdict, "")))
        verdict_cell = f'<span class="verdict-cell verdict-{escape(verdict)}">{label}</span>'
    else:
        draft = texts.memo("draft", "", lambda: _("non évalué (brouillon)"))
        verdict_cell = f'<span class="text-body-secondary">{draft}</span>'
    step = texts.memo("step", status, lambda: str(NEXT_STEPS.get(status, "")))
    if status in EDITABLE:
        target = texts.detail_url if status == Status.INFO_REQUESTED else texts.edit_url
        step = f'<a href="{target.format(pk)}">{step}</a>'
    if value["submitted_at"]:
        dates = _("Adressée le %(date)s") % {"date": texts.day(value["submitted_at"])}
    else:
        dates = _("Commencée le %(date)s") % {"date": texts.day(value["created_at"])}
    dates = escape(dates)
    if _shows_target(value):
        before = _("À traiter avant le %(date)s") % {"date": texts.day(value["target_before"])}
        overdue = ""
        if value["target_before"] < texts.today:
            passed = texts.memo("passed", "", lambda: _("dépassée"))
            overdue = f' <span class="badge text-bg-warning target-passed">{passed}</span>'
        # The date stays on the line of the word before it (« le », "before").
        head, space, day = escape(before).rpartition(" ")
        before = head + "\u00a0" + day if space else day
        dates += f'<span class="d-block">{before}{overdue}</span>'
    status_label = texts.memo("status", status, lambda: str(STATUS_LABELS.get(status, "")))
    warning = ' class="table-warning"' if status == Status.INFO_REQUESTED else ""
    return mark_safe(
        f"<tr{warning}>"
        f'<td><a href="{texts.detail_url.format(pk)}" class="fw-semibold">'
        f"{escape(patient) if patient else escape(texts.not_given)}</a>"
        f'<span class="d-block small text-body-secondary">{about}</span></td>'
        f'<td><span class="badge {STATUS_BADGES.get(status, "text-bg-secondary")}">'
        f"{status_label}</span></td>"
        f"<td>{verdict_cell}</td><td>{step}</td>"
        f'<td class="small">{dates}{_appointment_html(booking, imaging, texts)}</td></tr>'
    )


def _label(text: str) -> str:
    """« Libellé : » in French, "Label:" in English."""
    return _("%(label)s :") % {"label": text}


def _exam_label(modality: str) -> str:
    """« IRM au centre : »."""
    return _label(_("%(exam)s au centre") % {"exam": MODALITY_LABELS.get(modality, modality)})


def _appointment_html(
    booking: tuple[date, time, str] | None, imaging: list[tuple[str, datetime]], texts: _Texts
) -> str:
    """The appointment, short (the referral page shows it in full:
    templates/scheduling/includes/gp_appointment.html)."""
    if booking is None and not imaging:
        return ""
    parts = []
    if booking is not None:
        day, arrival, booking_status = booking
        title = texts.memo("booked", "", lambda: _label(_("Cimentoplastie programmée")))
        line = f"<strong>{title}</strong> {texts.day(day)}, " + escape(
            _("arrivée %(arrival)s") % {"arrival": reader_clock(arrival)}
        )
        if booking_status == BookingStatus.ARRIVED:
            arrived = texts.memo("arrived", "", lambda: str(BookingStatus.ARRIVED.label))
            line += f' <span class="badge text-bg-info">{arrived}</span>'
        parts.append(f'<p class="mb-1">{line}</p>')
    for modality, at in imaging:
        exam = texts.memo("exam", modality, partial(_exam_label, modality))
        local = at.astimezone(texts.zone)
        at_word = texts.memo("at", "", lambda: _("à"))
        parts.append(
            f'<p class="mb-1"><strong>{exam}</strong> {local:%d/%m/%Y} {at_word} {local:%H:%M}</p>'
        )
    return f'<div class="gp-appointment small mt-1">{"".join(parts)}</div>'
