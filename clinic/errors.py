"""The one refusal a service raises: `DomainError(message, field=…)`.

A service refuses what the product does not allow (a booking in a full session, a decision on a
draft, a withdrawal without a reason) by raising a DomainError whose message says, in the user's
language, what is wrong and what to do. Views handle it one way: `form.add_error(error.field,
error.message)` when a form is on the page, otherwise a message (clinic.errors.show). Nothing
half-done is left behind: services are atomic.

Access is not a refusal: another user's object is a 404 and a role without the right a 403
(PermissionDenied), never a message that would confirm the object exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest


class DomainError(Exception):
    """A refusal: `message` is for the user; `field` names the form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


def show(request: HttpRequest, error: DomainError, form: Any = None) -> None:
    """Tell the user why: on the form's field (or the whole form) when there is one, else as a
    message on the next page."""
    if form is not None:
        field = error.field if error.field in getattr(form, "fields", {}) else None
        form.add_error(field, error.message)
    else:
        messages.error(request, error.message)
