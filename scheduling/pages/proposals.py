"""The booking page's proposed sessions as frozen rows of plain values, for the `{% for %}` loop
of templates/scheduling/book.html.

The booking page is what every refused booking renders again when secretaries book the same
session at once, and the slowest of twenty such answers is a target of docs/performance.md: the
rows carry what the loop prints (no model instance, no related lookup in the template), and the
texts rows share (a long date, a radiologist's name, what is left: three plural phrases, the same
for most sessions of a page) are worked out once a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import partial

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.dates import long_date
from referrals.pages.rows import PageLabels
from scheduling.models import DaySession
from scheduling.selectors import Proposal


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """One proposed session, as the booking page lists it."""

    pk: int
    when: str  # « Mardi 8 décembre 2026 »
    start: time
    end: time
    room: str
    radiologist: str
    capacity: str  # « reste 240 minutes de geste, 4 places de jour, 1 lit pour une nuit »
    in_target: bool
    fits: bool
    why_not: str  # "minutes", "beds", "places", "consultation" or "full" when it does not fit
    checked: bool  # the session the form posted
    before_exam: bool  # on or before the day of an exam the referral still lacks


def proposal_rows(
    proposals: list[Proposal],
    *,
    selected: str,
    exams_until: date | None = None,
    full: int | None = None,
) -> list[ProposalRow]:
    """The rows of these proposals; `selected` is the session id the form posted (kept checked
    while it still fits); `exams_until` the day of the last missing exam
    (scheduling.pages.missing_imaging.imaging_until); `full` a session the booking was just
    refused for lack of room (the counts may not show why: no gap long enough), marked full."""
    labels = PageLabels()
    rows = []
    for proposal in proposals:
        session = proposal.session
        fits, why_not = proposal.fits, proposal.why_not
        if session.pk == full:
            fits, why_not = False, why_not or "full"
        day = session.date
        remaining = (
            session.remaining_minutes,
            session.remaining_day_places,
            session.remaining_overnight_beds,
        )
        rows.append(
            ProposalRow(
                pk=session.pk,
                when=labels.memo("day", day, partial(_when, day)),
                start=session.start_time,
                end=session.end_time,
                room=session.room,
                radiologist=labels.memo(
                    "radiologist", session.radiologist_id, partial(_name, session)
                ),
                capacity=labels.memo("capacity", remaining, partial(_capacity, *remaining)),
                in_target=proposal.in_target,
                fits=fits,
                why_not=why_not,
                checked=fits and selected == str(session.pk),
                before_exam=exams_until is not None and day <= exams_until,
            )
        )
    return rows


def _when(day: date) -> str:
    return capfirst(long_date(day, weekday=True))


def _name(session: DaySession) -> str:
    return session.radiologist.display_name


def _capacity(minutes: int, places: int, beds: int) -> str:
    return ", ".join(
        (
            ngettext(
                "reste %(minutes)s minute de geste", "reste %(minutes)s minutes de geste", minutes
            )
            % {"minutes": minutes},
            ngettext("%(places)s place de jour", "%(places)s places de jour", places)
            % {"places": places},
            ngettext("%(beds)s lit pour une nuit", "%(beds)s lits pour une nuit", beds)
            % {"beds": beds},
        )
    )


def with_room(rows: list[ProposalRow], *, count: int = 3) -> str:
    """« mardi 8 décembre 2026 à 08:00 (Salle 1), … »: the first sessions of the page this
    booking still fits in, for the message of a refusal ("" when none)."""
    found = [
        _("%(when)s à %(start)s (%(room)s)")
        % {"when": row.when, "start": row.start.strftime("%H:%M"), "room": row.room}
        for row in rows
        if row.fits
    ]
    return ", ".join(found[:count])
