"""The booking page's proposed sessions, written in Python, every text escaped.

Through the template engine, the 30 sessions of a page cost 15 ms of the page's 60: three
plural translations, a translated date and a dozen lookups each. The booking page is also what
every refused booking renders again when secretaries book the same session at once, and the
slowest of twenty such answers is a target of docs/performance.md. The same markup as the
template wrote; the rest of the page stays in templates/scheduling/book.html."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.dates import long_date
from referrals.pages.rows import PageTexts
from scheduling.selectors import Proposal
from scheduling.windows import BookingPlan


def proposals_html(proposals: list[Proposal], *, plan: BookingPlan, selected: str) -> SafeString:
    """The list's items; `selected` is the session id the form posted (kept checked)."""
    texts = _Texts(plan)
    return mark_safe("".join(_item(proposal, texts, selected) for proposal in proposals))  # escaped


class _Texts(PageTexts):
    def __init__(self, plan: BookingPlan) -> None:
        super().__init__()
        self.plan = plan
        if plan.target_is_ideal_window:
            self.in_target = escape(_("Dans le délai idéal"))
        else:
            self.in_target = escape(_("Avant la date cible"))
        if plan.target is None:
            # No date to be after (BookingPlan.check asks for the same confirmation).
            self.after_target = escape(_("Pas de date cible : confirmation requise"))
        else:
            self.after_target = escape(_("Après la date cible : confirmation requise"))
        self.full = escape(_("Complet"))
        self.too_soon = escape(_("Trop tôt"))
        self.why_not = {
            "minutes": escape(_("il faut %(needed)s minutes") % {"needed": plan.minutes}),
            "beds": escape(_("plus de lit")),
            "places": escape(_("plus de place")),
            "consultation": escape(
                _("la consultation d'anesthésie ne peut plus avoir lieu à temps")
            ),
        }


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


def _item(proposal: Proposal, texts: _Texts, selected: str) -> str:
    session = proposal.session
    pk = str(session.pk)
    day = session.date
    when = texts.memo("day", day, lambda: capfirst(long_date(day, weekday=True)))
    # The hours never break inside their range (« 08:00– » then « 13:00 » on a phone).
    hours = f'<span class="text-nowrap">{session.start_time:%H:%M}–{session.end_time:%H:%M}</span>'
    badge = (
        f'<span class="badge text-bg-success">{texts.in_target}</span>'
        if proposal.in_target
        else f'<span class="badge text-bg-warning">{texts.after_target}</span>'
    )
    remaining = (
        session.remaining_minutes,
        session.remaining_day_places,
        session.remaining_overnight_beds,
    )
    capacity = texts.memo("capacity", remaining, lambda: _capacity(*remaining))
    radiologist = texts.memo(
        "radiologist", session.radiologist_id, lambda: session.radiologist.display_name
    )
    disabled = "" if proposal.fits else " disabled"
    checked = " checked" if selected == pk else ""
    muted = "" if proposal.fits else " list-group-item-light text-body-secondary"
    blocked = texts.too_soon if proposal.why_not == "consultation" else texts.full
    full = "" if proposal.fits else f'<span class="badge text-bg-secondary">{blocked}</span>'
    why_not = "" if proposal.fits else f" — {texts.why_not.get(proposal.why_not, '')}"
    return (
        f'<div class="list-group-item{muted}">'
        # The radio stays on the first line of its label and badges, however narrow the screen.
        '<div class="form-check d-flex align-items-start gap-2">'
        f'<input class="form-check-input flex-shrink-0" type="radio" name="session" '
        f'id="session-{pk}" value="{pk}"{disabled}{checked} aria-describedby="session-{pk}-info">'
        '<div class="d-flex flex-wrap align-items-center gap-2">'
        f'<label class="form-check-label fw-semibold" for="session-{pk}">{when} · {hours}</label>'
        f"{badge}{full}</div></div>"
        f'<div class="small ms-4" id="session-{pk}-info">'
        f"{escape(session.room)} · {radiologist} · {capacity}{why_not}</div></div>"
    )
