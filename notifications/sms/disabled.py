"""For a clinic that sends no SMS: the desk is not offered the channel, and a send fails."""

from __future__ import annotations

from notifications.sms.base import BaseSmsBackend, SmsError, SmsMessage


class SmsBackend(BaseSmsBackend):
    enabled = False

    def send(self, message: SmsMessage) -> None:
        raise SmsError("SMS are disabled (SMS_BACKEND)")
