"""One page of the radiologist's worklist, ready to print.

A page is read in two queries whatever the size of the history: the ids of the page and of those
after it, up to the count cap (an ordered range of the list's index: whether a next page exists
and, when filtered, how many match); then the printed columns of the page's rows as plain values,
with their patient, GP and decision. The levels are the referral's copy of its level codes, in
spine order.

Each row is a frozen `WorklistRow` of plain values (texts, dates, a url, badge classes), built
from those values without model instances; templates/referrals/radiology_worklist.html writes the
rows with one `{% for %}` loop, every text escaped by the template engine (docs/performance.md).
Labels and counted phrases that rows share (status, verdict, window, « 12 jours », « 80 ans »)
are translated once a page; the sentences around a row's own values are the template's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.models import user_display_name
from referrals import selectors
from referrals.choices import Status
from referrals.models import Referral, patient_full_name
from referrals.pages.gp_home import DECISION_LABELS, decision_shown
from referrals.pages.new_fracture import new_fracture_label
from referrals.pages.presentation import VERDICT_BADGES, age_on, urgency_of, verdict_label
from referrals.pages.rows import PageLabels, RowsPage, id_window
from referrals.selectors import (
    CLOSED_STATUSES,
    TO_REVIEW,
    TO_REVIEW_STATUSES,
    WorklistFilters,
    tab_total,
)

PAGE_SIZE = 25
STATUS_LABELS: dict[str, Promise] = dict(Status.choices)

ROW_COLUMNS = (
    "pk",
    "status",
    "verdict",
    "ideal_until",
    "latest_until",
    "submitted_at",
    "identity_to_check",
    "urgent",
    "new_fracture",
    "level_codes",
    "patient__treated_levels",
    "patient__last_treated_on",
    "patient__birth_name",
    "patient__used_name",
    "patient__first_names",
    "patient__sex",
    "patient__birth_date",
    "gp__role",
    "gp__first_name",
    "gp__last_name",
    "gp__username",
    "current_decision__decided_at",
    "current_decision__kind",
    "current_decision__radiologist__role",
    "current_decision__radiologist__first_name",
    "current_decision__radiologist__last_name",
    "current_decision__radiologist__username",
)


@dataclass(frozen=True)
class WorklistPage(RowsPage):
    has_next: bool
    # How many referrals the tab holds with its filters; None when more than `cap`.
    total: int | None
    cap: int

    @property
    def last_page(self) -> int | None:
        """The number of the last page, when the total is known."""
        if self.total is None:
            return None
        return max(1, -(-self.total // PAGE_SIZE))


def worklist_page(
    queryset: QuerySet[Referral],
    *,
    filters: WorklistFilters,
    counts: dict[str, int | None],
    number: int,
    today: date,
) -> WorklistPage:
    """The page `number` of an ordered worklist queryset (selectors.worklist_referrals). A page
    past the end shows the last one, as the GP's list does (a link kept from a longer list)."""
    cap = selectors.COUNT_CAP
    window = id_window(queryset, number=number, page_size=PAGE_SIZE, cap=cap)
    total: int | None
    if filters.verdict or filters.level:
        # The window reaches the cap: fewer ids than it asked for are all there is.
        total = window.total
    else:
        # The tab badges already counted the tab (up to COUNT_CAP): no second count.
        statuses = TO_REVIEW_STATUSES if filters.status == TO_REVIEW else (filters.status,)
        total = tab_total(counts, statuses)
    return WorklistPage(
        number=window.number,
        rows=_rows(_values(window.page_ids), today),
        has_next=window.has_next,
        total=total,
        cap=cap,
    )


def _values(ids: list[int]) -> list[dict[str, Any]]:
    """The printed columns of these referrals, in the order of `ids`: read by id, without the
    list's filters and order (PostgreSQL took longer to plan them again than to run the query)."""
    by_id = {
        value["pk"]: value for value in Referral.objects.filter(pk__in=ids).values(*ROW_COLUMNS)
    }
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True, slots=True)
class WorklistRow:
    """One referral of the list, as its row reads (templates/referrals/radiology_worklist.html)."""

    pk: int
    url: str
    patient: str  # "" when the record has no name
    identity_to_check: bool
    urgent: bool  # G-NEURO: marked in every tab, first in the open ones
    # A patient treated here before: « nouvelle fracture (adjacente) », « … 7 mois après le
    # geste »; "" otherwise.
    new_fracture: str
    age: str  # « 80 ans », "" without a birth date
    levels: str  # « T12, L1 »
    verdict_label: str
    verdict_badge: str
    # Once a radiologist decided, the list shows the decision, not the engine (gp_home).
    decision: str
    decision_label: str
    status_label: str
    decided_by: str  # "" when no decision is shown
    decided_at: datetime | None
    gp: str
    submitted_at: datetime | None
    closed: bool  # no window left to race: the delay cell is a dash
    days_left: str  # « 12 jours », « dernier jour »; "" outside the windows
    urgency_badge: str
    window_label: str


def _rows(values: list[dict[str, Any]], today: date) -> list[WorklistRow]:
    labels = PageLabels()
    url = labels.url("referrals:radiology_referral")
    return [_row(value, today, url, labels) for value in values]


def _row(value: dict[str, Any], today: date, url: str, labels: PageLabels) -> WorklistRow:
    urgency = urgency_of(
        ideal_until=value["ideal_until"], latest_until=value["latest_until"], today=today
    )
    status, verdict = value["status"], value["verdict"]
    age, days = age_on(value["patient__birth_date"], today), urgency.days_left
    decided_by, decided_at = "", None
    # A cancelled or closed referral was called off by its GP or the desk, not by the
    # radiologist who decided last: naming them under « Annulée » would say otherwise.
    if value["current_decision__decided_at"] is not None and status not in (
        Status.CANCELLED,
        Status.CLOSED,
    ):
        decided_by = user_display_name(
            role=value["current_decision__radiologist__role"] or "",
            first_name=value["current_decision__radiologist__first_name"] or "",
            last_name=value["current_decision__radiologist__last_name"] or "",
            username=value["current_decision__radiologist__username"] or "",
        )
        decided_at = value["current_decision__decided_at"]
    return WorklistRow(
        pk=value["pk"],
        url=url.format(value["pk"]),
        patient=patient_full_name(
            birth_name=value["patient__birth_name"] or "",
            used_name=value["patient__used_name"] or "",
            first_names=value["patient__first_names"] or "",
            sex=value["patient__sex"] or "",
        ),
        identity_to_check=value["identity_to_check"],
        urgent=value["urgent"],
        new_fracture=new_fracture_label(
            levels=value["level_codes"].split(),
            treated=(value["patient__treated_levels"] or "").split(),
            treated_on=value["patient__last_treated_on"],
            today=today,
        )
        if value["new_fracture"]
        else "",
        age=labels.memo("age", age, partial(_age, age)) if age is not None else "",
        levels=", ".join(value["level_codes"].split()),
        verdict_label=labels.memo("verdict", verdict, lambda: verdict_label(verdict)),
        verdict_badge=VERDICT_BADGES.get(verdict, "text-bg-secondary"),
        decision=(decision := decision_shown(value["current_decision__kind"])),
        decision_label=labels.memo("decision", decision, lambda: DECISION_LABELS.get(decision, "")),
        status_label=labels.memo("status", status, lambda: STATUS_LABELS.get(status, status)),
        decided_by=decided_by,
        decided_at=decided_at,
        gp=user_display_name(
            role=value["gp__role"],
            first_name=value["gp__first_name"],
            last_name=value["gp__last_name"],
            username=value["gp__username"],
        ),
        submitted_at=value["submitted_at"],
        closed=status in CLOSED_STATUSES,
        days_left=labels.memo("days", days, partial(_days_left, days)) if days is not None else "",
        urgency_badge=urgency.badge,
        window_label=labels.memo("window", urgency.window, lambda: urgency.label),
    )


def _days_left(days: int) -> str:
    """« 12 jours », « 1 jour », and « dernier jour » for a window ending today."""
    if days == 0:
        return _("dernier jour")
    return ngettext("%(days)s jour", "%(days)s jours", days) % {"days": days}


def _age(age: int) -> str:
    return ngettext("%(age)s an", "%(age)s ans", age) % {"age": age}
