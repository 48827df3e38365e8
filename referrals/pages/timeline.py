"""Labels of timeline events (dotted action names), shown on referral pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from referrals.choices import TimelineAction
from scheduling.plan import drug_label


def event_label(action: str) -> str:
    """The event's label in the active language (TimelineAction), or its name if unknown."""
    if action in TimelineAction.values:
        return str(TimelineAction(action).label)
    return action


def _day(n: Any, sign: str) -> str:
    return f"J{sign}{abs(int(n))}" if isinstance(n, int) else "—"


def event_details(action: str, data: dict[str, Any]) -> list[str]:
    """What an event changed, one line each, where its label alone does not say it: the
    radiologist's plan (« Dabigatran (Pradaxa) : dernière prise J−7 (moteur J−5), reprise J+2 »)."""
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
