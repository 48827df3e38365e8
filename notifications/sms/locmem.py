"""Keeps messages in `notifications.sms.outbox` (the test settings' backend)."""

from __future__ import annotations

from notifications import sms
from notifications.sms.base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        sms.outbox.append(message)
