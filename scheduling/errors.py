"""Refusals of scheduling, each a DomainError (clinic/errors.py) whose message tells the person at
the desk what is wrong and what to do. The subclasses name the cause for callers that treat one
apart (the booking page asks to confirm a date outside the ideal window)."""

from __future__ import annotations

from clinic.errors import DomainError


class SchedulingError(DomainError):
    """A booking, a session or an imaging appointment the desk cannot have as asked."""


class NotBookable(SchedulingError):
    """The referral cannot be booked (not accepted by a radiologist, no patient, …)."""


class TooEarly(SchedulingError):
    """The session is before the earliest date the medication holds allow."""


class TooLate(SchedulingError):
    """The session is after the 6-month limit."""


class NeedsConfirmation(SchedulingError):
    """The session is after the ideal window: allowed once the secretary confirms."""


class SessionFull(SchedulingError):
    """The session has no room left for this booking."""


class PatientAlreadyBooked(SchedulingError):
    """The patient already holds an active booking."""


class InvalidTransition(SchedulingError):
    """The booking is not in a state that allows this action."""


class SessionRefused(SchedulingError):
    """A session cannot be created or changed (holiday, clash, capacity below bookings)."""
