"""How a new fracture of a patient the clinic already treated reads: adjacent to a treated level
or not, and how long after the procedure. Plain values in, a phrase out (worklist rows, the
radiologist's referral page)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eligibility.engine.facts import LEVEL_INDEX


def is_adjacent(levels: Iterable[str], treated: Iterable[str]) -> bool:
    """A fractured level next to (or at) a treated one: T12 after L1, L2 after L1."""
    treated_positions = [LEVEL_INDEX[t] for t in treated if t in LEVEL_INDEX]
    return any(
        abs(LEVEL_INDEX[level] - position) <= 1
        for level in levels
        if level in LEVEL_INDEX
        for position in treated_positions
    )


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def new_fracture_label(
    *, levels: Iterable[str], treated: Iterable[str], treated_on: date | None, today: date
) -> str:
    """« nouvelle fracture (adjacente) · 7 mois après le geste »."""
    treated = list(treated)
    label = (
        _("nouvelle fracture (adjacente)")
        if is_adjacent(levels, treated)
        else _("nouvelle fracture (non adjacente)")
    )
    if treated_on is None:
        return label
    months = months_between(treated_on, today)
    since = (
        # « mois » has no plural in French; English has (« 1 month », « 3 months »).
        ngettext(
            "%(months)s mois après le geste (%(levels)s)",
            "%(months)s mois après le geste (%(levels)s)",
            months,
        )
        % {"months": months, "levels": ", ".join(treated)}
        if months
        else _("moins d’un mois après le geste (%(levels)s)") % {"levels": ", ".join(treated)}
    )
    return f"{label} · {since}"
