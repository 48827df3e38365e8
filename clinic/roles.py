"""Role predicates (django-rules) and the decorator that guards views by role.

Object-level rules (who may see which referral) live with their models' apps in rules.py and
build on these predicates.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from clinic.models import Role

F = TypeVar("F", bound=Callable[..., HttpResponse])


@rules.predicate
def is_gp(user: Any) -> bool:
    return getattr(user, "role", None) == Role.GP


@rules.predicate
def is_radiologist(user: Any) -> bool:
    return getattr(user, "role", None) == Role.RADIOLOGIST


@rules.predicate
def is_secretary(user: Any) -> bool:
    return getattr(user, "role", None) == Role.SECRETARY


@rules.predicate
def is_clinic_admin(user: Any) -> bool:
    return getattr(user, "role", None) == Role.ADMIN


def role_required(*roles: str) -> Callable[[F], F]:
    """Refuse (403) a logged-in user whose role is not one of `roles`.

    Login itself is enforced by LoginRequiredMiddleware for every non-public view.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                if "pk" in kwargs:  # a page about one patient's data: the attempt is logged
                    from referrals.access import log_role_refusal

                    log_role_refusal(request, kwargs["pk"])
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
