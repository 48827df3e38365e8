"""What administrators do to accounts, each written to the append-only account log
(`AccountEvent`, security row 30): roles are granted by someone else, never taken; a second
factor is reset, never shown; an enrolment code is issued once and only its hash kept."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.errors import DomainError
from clinic.models import AccountEvent, EnrolmentCode, User

# Letters and digits a person reads aloud without confusion (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def log_account_event(
    *, account: User, action: str, by: User | None, data: dict[str, Any] | None = None
) -> AccountEvent:
    return AccountEvent.objects.create(
        at=timezone.now(),
        actor=by,
        account_id=account.pk,
        account_username=account.username,
        action=action,
        data=data or {},
    )


def ensure_not_own_role(*, account: User, by: User) -> None:
    """No one changes their own role (nor their own staff or superuser flags)."""
    if account.pk is not None and account.pk == by.pk:
        raise DomainError(
            _(
                "Vous ne pouvez pas modifier votre propre rôle : "
                "demandez-le à un autre administrateur."
            ),
            field="role",
        )


def account_role_changed(*, account: User, old: str, new: str, by: User | None) -> AccountEvent:
    """Record a role granted (`old` empty for a new account) or changed, with who and when.
    Called for every save of a user whose role changed (clinic/signals.py), in its transaction;
    `by` is who changed it when known (the admin sets it), None from a script or the shell."""
    action = "account.role_granted" if not old else "account.role_changed"
    return log_account_event(account=account, action=action, by=by, data={"old": old, "new": new})


@transaction.atomic
def enrolment_code_issue(*, account: User, by: User | None) -> str:
    """Reset the account's second factor and issue a one-time enrolment code, returned once, for
    the administrator to give the person out of band (in person, by phone). `by` is None only
    from the server's command line (`manage.py create_administrator`)."""
    if by is not None and account.pk == by.pk:
        raise DomainError(
            _("Vous ne pouvez pas réinitialiser votre propre double authentification.")
        )
    removed = TOTPDevice.objects.filter(user=account).delete()[0]
    EnrolmentCode.objects.filter(user=account, used_at__isnull=True).delete()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    EnrolmentCode.objects.create(
        user=account,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + timedelta(hours=settings.OTP_ENROLMENT_CODE_HOURS),
        created_by=by,
    )
    log_account_event(
        account=account, action="account.otp_reset", by=by, data={"devices_removed": removed}
    )
    return code


def enrolment_code_valid(*, account: User, code: str) -> EnrolmentCode | None:
    """The unused, unexpired enrolment code of `account` that `code` matches, if any."""
    typed = "".join(code.split()).upper().replace("-", "")
    candidates = EnrolmentCode.objects.filter(
        user=account, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    return next((c for c in candidates if check_password(typed, c.code_hash)), None)


@transaction.atomic
def enrolment_code_use(*, code: EnrolmentCode) -> None:
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    user = User.objects.get(pk=code.user_id)
    log_account_event(account=user, action="account.otp_enrolled", by=user)
