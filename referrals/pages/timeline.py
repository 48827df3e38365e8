"""Labels of timeline events (dotted action names), shown on referral pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from clinic.dates import long_date
from referrals.choices import TimelineAction
from scheduling.plan import date_label, drug_label

CONVOCATION_EVENTS = (TimelineAction.CONVOCATION_OUTDATED, TimelineAction.CONVOCATION_RESENT)


def event_label(action: str) -> str:
    """The event's label in the active language (TimelineAction), or its name if unknown."""
    if action in TimelineAction.values:
        return str(TimelineAction(action).label)
    return action


def _day(n: Any, sign: str) -> str:
    return f"J{sign}{abs(int(n))}" if isinstance(n, int) else "—"


def event_details(action: str, data: dict[str, Any]) -> list[str]:
    """What an event changed, one line each, where its label alone does not say it: the
    radiologist's plan (« Dabigatran (Pradaxa) : dernière prise J−7 (moteur J−5), reprise J+2 »),
    a convocation's dates that changed (« Dernière prise : … : 12 décembre 2026 → 9 décembre
    2026 »)."""
    if action in CONVOCATION_EVENTS:
        return [_date_change(change) for change in data.get("changes") or []]
    if action != TimelineAction.PLAN_CHANGED:
        return []
    lines = []
    for change in data.get("changes") or []:
        (old_last, new_last), (old_resume, new_resume) = (
            change.get("last_dose_day") or [None, None],
            change.get("resume_day") or [None, None],
        )
        last = _day(new_last, "−")
        if old_last is not None and old_last != new_last:
            last = _("%(day)s (moteur %(engine)s)") % {"day": last, "engine": _day(old_last, "−")}
        resume = _day(new_resume, "+")
        if old_resume is not None and old_resume != new_resume:
            resume = _("%(day)s (moteur %(engine)s)") % {
                "day": resume,
                "engine": _day(old_resume, "+"),
            }
        lines.append(
            _("%(drug)s : dernière prise %(last)s, reprise %(resume)s")
            % {"drug": drug_label(str(change.get("drug"))), "last": last, "resume": resume}
        )
    return lines


def _date_change(change: dict[str, Any]) -> str:
    def day(value: Any) -> str:
        return long_date(date.fromisoformat(value)) if isinstance(value, str) and value else "—"

    return _("%(what)s : %(old)s → %(new)s") % {
        "what": date_label(str(change.get("what"))),
        "old": day(change.get("old")),
        "new": day(change.get("new")),
    }
