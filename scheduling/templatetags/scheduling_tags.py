"""Template helpers of scheduling: the appointment of a referral (for the GP's pages), times in
the reader's language."""

from __future__ import annotations

from datetime import time

from django import template
from django.template import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from referrals.models import Referral
from scheduling.instructions import reader_clock
from scheduling.pages.day import DayBooking
from scheduling.selectors import Appointment, appointment_for

register = template.Library()


@register.simple_tag
def referral_appointment(referral: Referral) -> Appointment:
    """`{% referral_appointment referral as appointment %}` (the GP's referral page)."""
    return appointment_for(referral)


@register.filter
def clock(value: time | None) -> str:
    """A time in the reader's language: « 7 h 30 », "7:30"."""
    return reader_clock(value) if value is not None else ""


@register.simple_tag(takes_context=True)
def booking_buttons(context: Context, booking: DayBooking, next_url: str) -> SafeString:
    """The buttons of one booking of the day view (scheduling.pages.day), written here rather
    than by a loop of template nodes: a day of a network's rooms has hundreds of bookings with
    three or more buttons each, and each variable a template node resolves costs more than the
    whole format below. Every text is escaped by format_html.

    The CSRF token is the page's, as `{% csrf_token %}` writes it: one per response, read only
    when a button posts (a fresh one per booking cost 32 random draws a row)."""
    hidden = format_html('<span class="visually-hidden"> — {}</span>', booking.patient)
    buttons = []
    for action in booking.actions:
        if action.post:
            buttons.append(
                format_html(
                    '<form method="post" action="{}" class="no-print">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<input type="hidden" name="next" value="{}">'
                    '<button type="submit" class="btn btn-sm {}">{}{}</button></form>',
                    action.url,
                    context["csrf_token"],
                    next_url,
                    action.style,
                    action.label,
                    hidden,
                )
            )
        else:
            buttons.append(
                format_html(
                    '<a class="btn btn-sm {}" href="{}"{}>{}{}</a>',
                    action.style,
                    action.url,
                    mark_safe(" download") if action.download else "",
                    action.label,
                    hidden,
                )
            )
    return format_html(
        '<div class="d-flex flex-wrap gap-1 no-print">{}</div>',
        mark_safe("".join(buttons)),
    )
