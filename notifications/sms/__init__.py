"""Text messages through a backend chosen by settings.SMS_BACKEND, as Django does for e-mail:
`send_sms(to, text)` builds the configured backend and sends one message."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.sms.base import BaseSmsBackend, SmsError, SmsMessage

__all__ = ["BaseSmsBackend", "SmsError", "SmsMessage", "get_backend", "outbox", "send_sms"]

# The locmem backend's sent messages (tests read and clear it, like django.core.mail.outbox).
outbox: list[SmsMessage] = []


def get_backend() -> BaseSmsBackend:
    backend: BaseSmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_sms(*, to: str, text: str) -> None:
    """Send one message or raise SmsError."""
    get_backend().send(SmsMessage(to=to, text=text, sender=settings.SMS_SENDER))
