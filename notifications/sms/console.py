"""Prints each message (the laptop default, as Django's console e-mail backend)."""

from __future__ import annotations

import sys

from notifications.sms.base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        rule = "-" * 40
        sys.stdout.write(f"SMS from {message.sender} to {message.to}:\n{message.text}\n{rule}\n")
        sys.stdout.flush()
