"""The OVHcloud SMS adapter, against a fake API on 127.0.0.1 started by the test: the request is
signed as OVHcloud checks it, carries the number and the text, and a refusal is an SmsError
(so the message is tried again, then shown to the desk)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from notifications.sms import SmsError, send_sms

SECRET, CONSUMER, APP = "app-secret", "consumer-key", "app-key"


class FakeOvh(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict[str, Any]]] = []
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        url = f"http://127.0.0.1:{self.server.server_port}{self.path}"
        raw = "+".join([SECRET, CONSUMER, "POST", url, body, self.headers["X-Ovh-Timestamp"]])
        expected = "$1$" + hashlib.sha1(raw.encode()).hexdigest()
        self.received.append(
            {
                "path": self.path,
                "body": json.loads(body),
                "signed": self.headers["X-Ovh-Signature"] == expected,
                "application": self.headers["X-Ovh-Application"],
                "consumer": self.headers["X-Ovh-Consumer"],
            }
        )
        status, answer = self.answers.pop(0) if self.answers else (200, {"ids": [1]})
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ovh(settings: Any) -> Iterator[type[FakeOvh]]:
    server = HTTPServer(("127.0.0.1", 0), FakeOvh)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOvh.answers, FakeOvh.received = [], []
    settings.SMS_BACKEND = "notifications.sms.ovh.SmsBackend"
    settings.SMS_OVH_ENDPOINT = f"http://127.0.0.1:{server.server_port}/1.0"
    settings.SMS_OVH_APPLICATION_KEY = APP
    settings.SMS_OVH_APPLICATION_SECRET = SECRET
    settings.SMS_OVH_CONSUMER_KEY = CONSUMER
    settings.SMS_OVH_SERVICE_NAME = "sms-ab12345-1"
    settings.SMS_SENDER = "CLINIQUE"
    settings.SMS_TIMEOUT_SECONDS = 5
    yield FakeOvh
    server.shutdown()
    server.server_close()


def test_a_signed_job_with_the_number_and_the_text(ovh: type[FakeOvh]) -> None:
    send_sms(to="+33612345678", text="Rendez-vous le mardi 8 décembre à 7 h 30.")

    [request] = ovh.received
    assert request["path"] == "/1.0/sms/sms-ab12345-1/jobs"
    assert request["signed"]
    assert (request["application"], request["consumer"]) == (APP, CONSUMER)
    assert request["body"]["receivers"] == ["+33612345678"]
    assert request["body"]["message"] == "Rendez-vous le mardi 8 décembre à 7 h 30."
    assert request["body"]["sender"] == "CLINIQUE"
    assert request["body"]["noStopClause"] is True


def test_an_error_answer_is_an_sms_error(ovh: type[FakeOvh]) -> None:
    ovh.answers = [(500, {"message": "Internal Server Error"})]
    with pytest.raises(SmsError, match="HTTP 500"):
        send_sms(to="+33612345678", text="x")


def test_a_refused_number_is_an_sms_error(ovh: type[FakeOvh]) -> None:
    ovh.answers = [(200, {"ids": [], "invalidReceivers": ["+33612345678"]})]
    with pytest.raises(SmsError, match="refused"):
        send_sms(to="+33612345678", text="x")


def test_unreachable_is_an_sms_error(ovh: type[FakeOvh], settings: Any) -> None:
    settings.SMS_OVH_ENDPOINT = "http://127.0.0.1:9/1.0"  # discard port: nothing listens
    with pytest.raises(SmsError, match="could not be reached"):
        send_sms(to="+33612345678", text="x")


def test_missing_keys_are_named(settings: Any) -> None:
    settings.SMS_BACKEND = "notifications.sms.ovh.SmsBackend"
    settings.SMS_OVH_CONSUMER_KEY = ""
    with pytest.raises(SmsError, match="SMS_OVH_CONSUMER_KEY"):
        send_sms(to="+33612345678", text="x")
