"""Domain errors of scheduling. Each carries a French message for the person at the desk: what is
wrong and what to do. Views show `message`; nothing half-done is left behind (services are atomic).
"""

from __future__ import annotations


class SchedulingError(Exception):
    """Base class: `message` is what the secretary reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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
