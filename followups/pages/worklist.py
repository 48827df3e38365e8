"""One page of the staff's follow-up worklist (/suivi/), ready to print.

Two tabs: the follow-ups to call (due today or late within FOLLOWUP_LOST_AFTER_DAYS, oldest
first) and those lost to follow-up (later than that, most recently lost first). A page is read in
three small queries whatever the years of history: the ids of the page from the partial index
`followup_open` (on the first pages as many as it takes to count the tab up to COUNT_CAP), the
other tab's count up to the cap, then the printed columns of the page's 50 follow-ups by id, with
each patient's latest consent to messages (the desk is offered « Envoyer le lien » only when the
patient agreed to e-mail or SMS).

Rows are frozen `FollowUpRow`s of plain texts and urls (no model instance) that
templates/followups/worklist.html writes with one `{% for %}` loop; the labels rows share (the
kind, « 12 jours de retard ») are translated once a page (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import ngettext

from followups.models import FollowUp, FollowUpKind
from followups.selectors import followups_lost, followups_to_call, lost_since
from notifications.choices import Channel
from notifications.models import ContactConsent
from referrals import selectors as referral_selectors
from referrals.models import patient_full_name
from referrals.pages.rows import PageLabels, RowsPage, capped_count, id_window

PAGE_SIZE = 50
KIND_LABELS = dict(FollowUpKind.choices)
# The patient agreed to receive their link (e-mail or SMS): the row offers to send it.
LINK_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})

ROW_COLUMNS = (
    "pk",
    "kind",
    "due_on",
    "referral_id",
    "referral__level_codes",
    "referral__pain_nrs",
    "referral__procedure_report__performed_on",
    "referral__patient__birth_name",
    "referral__patient__used_name",
    "referral__patient__first_names",
    "referral__patient__sex",
    "referral__patient__phone",
)


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """One follow-up of the list, as its row reads."""

    kind: str  # the `echeance` the record page and the link form take
    kind_label: str
    due_on: str  # « 03/12/2026 »
    late: str  # « 12 jours de retard », "" when due today
    patient: str  # "" when the record has no name
    phone: str
    tel: str  # the phone for a tel: link (digits and +), "" without one
    performed_on: str  # the procedure's day, « — » without a signed report
    levels: str  # « T12, L1 »
    pain_before: str  # « 7/10 », "" when unknown
    record_url: str
    link_url: str  # "" when the patient gave no consent to e-mail or SMS


@dataclass(frozen=True)
class FollowUpsPage(RowsPage):
    lost: bool  # the « Perdus de vue » tab
    has_next: bool
    # How many follow-ups each tab holds; None when more than `cap` (shown « 100+ »).
    to_call: int | None
    lost_count: int | None
    cap: int
    since: date  # the oldest due day still to call: earlier ones are lost

    @property
    def total(self) -> int | None:
        return self.lost_count if self.lost else self.to_call


def followups_page(*, lost: bool, number: int, today: date) -> FollowUpsPage:
    """The page `number` of a tab. A page past the end shows the last one, as the other lists
    do (a link kept from a longer list)."""
    shown, other = followups_to_call(today=today), followups_lost(today=today)
    if lost:
        shown, other = other, shown
    cap = referral_selectors.COUNT_CAP
    window = id_window(shown, number=number, page_size=PAGE_SIZE, cap=cap)
    other_total = capped_count(other, cap)
    return FollowUpsPage(
        number=window.number,
        rows=_rows(_values(window.page_ids), today),
        lost=lost,
        has_next=window.has_next,
        to_call=other_total if lost else window.total,
        lost_count=window.total if lost else other_total,
        cap=cap,
        since=lost_since(today),
    )


def _values(ids: list[int]) -> list[dict[str, Any]]:
    """The printed columns of these follow-ups, in the order of `ids`, read by id."""
    latest = ContactConsent.objects.filter(patient=OuterRef("referral__patient")).order_by(
        "-recorded_at", "-id"
    )
    rows = FollowUp.objects.filter(pk__in=ids).values(
        *ROW_COLUMNS, contact_channel=Subquery(latest.values("channel")[:1])
    )
    by_id = {value["pk"]: value for value in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _rows(values: list[dict[str, Any]], today: date) -> list[FollowUpRow]:
    labels = PageLabels()
    record, send = labels.url("followups:record"), labels.url("followups:send_link")
    rows = []
    for value in values:
        kind, due_on, pain = value["kind"], value["due_on"], value["referral__pain_nrs"]
        days = (today - due_on).days
        phone = value["referral__patient__phone"] or ""
        rows.append(
            FollowUpRow(
                kind=kind,
                kind_label=labels.memo("kind", kind, partial(KIND_LABELS.get, kind, kind)),
                due_on=_day(due_on),
                late=labels.memo("late", days, partial(_late, days)) if days > 0 else "",
                patient=patient_full_name(
                    birth_name=value["referral__patient__birth_name"] or "",
                    used_name=value["referral__patient__used_name"] or "",
                    first_names=value["referral__patient__first_names"] or "",
                    sex=value["referral__patient__sex"] or "",
                ),
                phone=phone,
                tel="".join(c for c in phone if c.isdigit() or c == "+"),
                performed_on=_day(value["referral__procedure_report__performed_on"]),
                levels=", ".join(value["referral__level_codes"].split()),
                pain_before=f"{pain}/10" if pain is not None else "",
                record_url=f"{record.format(value['referral_id'])}?echeance={kind}",
                link_url=send.format(value["referral_id"])
                if value["contact_channel"] in LINK_CHANNELS
                else "",
            )
        )
    return rows


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _late(days: int) -> str:
    return ngettext("%(days)s jour de retard", "%(days)s jours de retard", days) % {"days": days}
