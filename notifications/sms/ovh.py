"""OVHcloud SMS (a French provider, data in the EU): POST /sms/{service}/jobs on its REST API.

Each request is signed as OVHcloud's API requires: « $1$ » and the SHA-1 of the application
secret, the consumer key, the method, the full URL, the body and the timestamp joined by « + »
(https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api). The keys come from settings
(docs/notifications.md says how to create them with the rights POST /sms/*/jobs only)."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings

from notifications.sms.base import BaseSmsBackend, SmsError, SmsMessage


def signature(*, secret: str, consumer: str, method: str, url: str, body: str, ts: int) -> str:
    raw = "+".join([secret, consumer, method, url, body, str(ts)])
    return "$1$" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324  # the API's scheme


class SmsBackend(BaseSmsBackend):
    def __init__(self) -> None:
        missing = [
            name
            for name in (
                "SMS_OVH_APPLICATION_KEY",
                "SMS_OVH_APPLICATION_SECRET",
                "SMS_OVH_CONSUMER_KEY",
                "SMS_OVH_SERVICE_NAME",
            )
            if not getattr(settings, name)
        ]
        if missing:
            raise SmsError(f"OVHcloud SMS is not configured: set {', '.join(missing)}")
        self.endpoint = settings.SMS_OVH_ENDPOINT
        self.application_key = settings.SMS_OVH_APPLICATION_KEY
        self.secret = settings.SMS_OVH_APPLICATION_SECRET
        self.consumer_key = settings.SMS_OVH_CONSUMER_KEY
        self.service = settings.SMS_OVH_SERVICE_NAME

    def send(self, message: SmsMessage) -> None:
        url = f"{self.endpoint}/sms/{quote(self.service, safe='')}/jobs"
        body = json.dumps(
            {
                "message": message.text,
                "receivers": [message.to],
                "sender": message.sender,
                "charset": "UTF-8",
                "coding": "8bit",
                "noStopClause": True,  # service messages, not marketing
                "priority": "high",
            },
            separators=(",", ":"),
        )
        ts = int(time.time())
        request = urllib.request.Request(  # noqa: S310  # https in settings; http only in tests
            url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Ovh-Application": self.application_key,
                "X-Ovh-Consumer": self.consumer_key,
                "X-Ovh-Timestamp": str(ts),
                "X-Ovh-Signature": signature(
                    secret=self.secret,
                    consumer=self.consumer_key,
                    method="POST",
                    url=url,
                    body=body,
                    ts=ts,
                ),
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.SMS_TIMEOUT_SECONDS
            ) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SmsError(f"OVHcloud answered HTTP {error.code}") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise SmsError(f"OVHcloud could not be reached: {type(error).__name__}") from error
        if answer.get("invalidReceivers"):
            raise SmsError("OVHcloud refused the number")
