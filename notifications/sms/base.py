"""The interface every SMS backend implements."""

from __future__ import annotations

from dataclasses import dataclass


class SmsError(Exception):
    """The message could not be handed to the provider (it is tried again later)."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, « +33612345678 »
    text: str
    sender: str


class BaseSmsBackend:
    # False for a backend that sends nothing: the desk is then not offered SMS.
    enabled = True

    def send(self, message: SmsMessage) -> None:
        """Hand `message` over or raise SmsError."""
        raise NotImplementedError
