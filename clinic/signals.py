from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from clinic.accounts import account_role_changed
from clinic.middleware import SESSION_STARTED_KEY
from clinic.models import User


@receiver(user_logged_in)
def stamp_session_start(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    request.session[SESSION_STARTED_KEY] = time.time()


@receiver(pre_save, sender=User)
def remember_the_stored_role(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "role" not in update_fields:
        instance._stored_role = instance.role or ""  # type: ignore[attr-defined]
        return  # e.g. last_login at each login: no query
    stored = User.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    instance._stored_role = stored or ""  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def log_role_changes(sender: Any, instance: User, **kwargs: Any) -> None:
    """Every role granted or changed, whoever saved it, goes to the append-only account log."""
    old = getattr(instance, "_stored_role", "")
    if (instance.role or "") != old:
        by = getattr(instance, "role_changed_by", None)
        account_role_changed(account=instance, old=old, new=instance.role or "", by=by)
        instance._stored_role = instance.role or ""  # type: ignore[attr-defined]
