"""One page of the radiologist's worklist, ready to print.

A page is read in two queries whatever the size of the history: the ids of the page and of those
after it, up to the count cap (an ordered range of the list's index: whether a next page exists
and, when filtered, how many match); then the printed columns of the page's rows as plain values,
with their patient, GP and decision. The levels are the referral's copy of its level codes, in
spine order.

Each row's cells are written here (every text escaped) rather than by the template engine: 25
rows of model instances, related objects, filters and template tags were most of the page's time,
170 µs a row even once reduced to plain lookups (docs/performance.md). The page's template keeps
everything else: headings, filters, caption, pagination."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.models import user_display_name
from referrals import selectors
from referrals.choices import Status
from referrals.models import Referral, patient_full_name
from referrals.pages.presentation import VERDICT_BADGES, age_on, urgency_of, verdict_label
from referrals.pages.rows import PageTexts, RowsPage
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
    "level_codes",
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
    start = (number - 1) * PAGE_SIZE
    ids = _window(queryset, start)
    if not ids and number > 1:
        # Only here is the whole list counted: pages in range never need it.
        number = max(1, -(-queryset.count() // PAGE_SIZE))
        start = (number - 1) * PAGE_SIZE
        ids = _window(queryset, start)
    cap = selectors.COUNT_CAP
    total: int | None
    if filters.verdict or filters.level:
        # The window reaches the cap: fewer ids than it asked for are all there is.
        counted = start + len(ids)
        total = counted if counted <= cap else None
    else:
        # The tab badges already counted the tab (up to COUNT_CAP): no second count.
        statuses = TO_REVIEW_STATUSES if filters.status == TO_REVIEW else (filters.status,)
        total = tab_total(counts, statuses)
    return WorklistPage(
        number=number,
        rows=_rows(_values(ids[:PAGE_SIZE]), today),
        has_next=len(ids) > PAGE_SIZE,
        total=total,
        cap=cap,
    )


def _window(queryset: QuerySet[Referral], start: int) -> list[int]:
    """The ids from `start` in the list's order: the page's, one more (is there a next page?),
    and on the first pages as many as it takes to count the matches up to COUNT_CAP. The list's
    index answers with its entries alone, and the top of 101 costs what the top of 26 does."""
    size = max(PAGE_SIZE + 1, selectors.COUNT_CAP + 1 - start)
    return list(queryset.values_list("pk", flat=True)[start : start + size])


def _values(ids: list[int]) -> list[dict[str, Any]]:
    """The printed columns of these referrals, in the order of `ids`: read by id, without the
    list's filters and order (PostgreSQL took longer to plan them again than to run the query)."""
    by_id = {
        value["pk"]: value for value in Referral.objects.filter(pk__in=ids).values(*ROW_COLUMNS)
    }
    return [by_id[pk] for pk in ids if pk in by_id]


class WorklistRow(NamedTuple):
    pk: int
    html: SafeString  # the table row, every text escaped


def _rows(values: list[dict[str, Any]], today: date) -> list[WorklistRow]:
    texts = _Texts(today)
    return [WorklistRow(value["pk"], _row_html(value, texts)) for value in values]


class _Texts(PageTexts):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.referral_url = self.url("referrals:radiology_referral")
        self.no_name = escape(_("Patient sans nom"))
        self.identity = escape(_("Identité à vérifier : NIR déjà attribué à un autre patient"))
        self.number = _("demande n° %(number)s")


def _days_left(days: int) -> str:
    """« 12 jours », « 1 jour », and « dernier jour » for a window ending today."""
    if days == 0:
        return _("dernier jour")
    return ngettext("%(days)s jour", "%(days)s jours", days) % {"days": days}


def _row_html(value: dict[str, Any], texts: _Texts) -> SafeString:
    """One row of the table, the same cells and classes the template wrote, every text escaped
    (`html.escape`, as Django's `escape`)."""
    pk = value["pk"]
    urgency = urgency_of(
        ideal_until=value["ideal_until"], latest_until=value["latest_until"], today=texts.today
    )
    window = texts.memo("window", urgency.window, lambda: urgency.label)
    days = urgency.days_left
    if value["status"] in CLOSED_STATUSES:
        # A closed referral has no window left to race: the delay column has nothing to say.
        urgency_cell = '<span class="text-body-secondary">—</span>'
    elif days is not None:
        days_text = texts.memo("days", days, lambda: _days_left(days))
        urgency_cell = (
            f'<span class="badge {urgency.badge} days-left">{days_text}</span>'
            f'<div class="small text-body-secondary">{window}</div>'
        )
    else:
        urgency_cell = f'<span class="small text-body-secondary">{window}</span>'
    age = age_on(value["patient__birth_date"], texts.today)
    age_text = ""
    if age is not None:
        age_text = texts.memo(
            "age", age, lambda: ngettext("%(age)s an", "%(age)s ans", age) % {"age": age}
        )
    patient = patient_full_name(
        birth_name=value["patient__birth_name"] or "",
        used_name=value["patient__used_name"] or "",
        first_names=value["patient__first_names"] or "",
        sex=value["patient__sex"] or "",
    )
    identity = ""
    if value["identity_to_check"]:
        identity = (
            ' <span class="badge text-bg-warning identity-to-check d-inline-block">'
            f"{texts.identity}</span>"
        )
    decided = ""
    # A cancelled or closed referral was called off by its GP or the desk, not by the
    # radiologist who decided last: naming them under « Annulée » would say otherwise.
    if value["current_decision__decided_at"] is not None and value["status"] not in (
        Status.CANCELLED,
        Status.CLOSED,
    ):
        radiologist = user_display_name(
            role=value["current_decision__radiologist__role"] or "",
            first_name=value["current_decision__radiologist__first_name"] or "",
            last_name=value["current_decision__radiologist__last_name"] or "",
            username=value["current_decision__radiologist__username"] or "",
        )
        when = texts.day(value["current_decision__decided_at"])
        decided = f'<div class="small text-body-secondary">{escape(radiologist)}, {when}</div>'
    gp = user_display_name(
        role=value["gp__role"],
        first_name=value["gp__first_name"],
        last_name=value["gp__last_name"],
        username=value["gp__username"],
    )
    verdict = value["verdict"]
    status = value["status"]
    return mark_safe(
        f"<tr><td>{urgency_cell}</td>"
        f'<td><a class="fw-semibold" href="{texts.referral_url.format(pk)}">'
        f"{escape(patient) if patient else texts.no_name}</a>{identity}"
        f'<div class="small text-body-secondary">{age_text} · '
        f'<span class="text-nowrap">{escape(texts.number % {"number": pk})}</span></div></td>'
        f"<td>{escape(', '.join(value['level_codes'].split()))}</td>"
        f'<td><span class="badge {VERDICT_BADGES.get(verdict, "text-bg-secondary")}">'
        f"{texts.memo('verdict', verdict, lambda: verdict_label(verdict))}</span></td>"
        f"<td>{texts.memo('status', status, lambda: str(STATUS_LABELS.get(status, status)))}"
        f"{decided}</td>"
        f"<td>{escape(gp)}</td><td>{texts.day(value['submitted_at'])}</td></tr>"
    )
