"""Two app servers, one clinic: two gunicorn instances (deploy/gunicorn.conf.py) and two task
workers on one PostgreSQL and one S3 endpoint (moto's server on 127.0.0.1), behind
deploy/nginx/cimento.conf over TLS (a certificate made here with openssl), each process with the
production settings as deploy/cimento.env would give them. Each request's server is read from
its gunicorn access log; nginx's round robin sends two requests in a row to the two servers.

The stack starts once for the module (about ten seconds); each test's database is emptied after
it as usual (transactional tests), which the servers see at once."""

from __future__ import annotations

import email
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time as clock
from datetime import timedelta
from email.message import Message as Email
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinic.models import AccessLog
from notifications.choices import Kind, MessageStatus
from notifications.models import Message
from referrals.choices import Status
from referrals.models import Attachment, Referral
from scheduling.models import Booking, BookingStatus
from tests.clinic.test_settings import ROOT
from tests.factories import TEST_PASSWORD, GPFactory, SecretaryFactory
from tests.ops.conftest import new_bucket
from tests.ops.nginx_site import render_site
from tests.ops.test_backup_restore import _url
from tests.referrals.form_data import PDF_BYTES, referral_data
from tests.scheduling.helpers import accepted_referral, day_session

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
SERVERS = ("a", "b")
# Each request of the test carries a mark that the servers' access logs record.
MARK_HEADER = "X-Test-Request"
ACCESS_LOG_FORMAT = '%({x-test-request}i)s %(h)s "%(m)s %(U)s" %(s)s'
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(NGINX is None, reason="needs nginx (apt-get install nginx; .ci/run does)"),
    pytest.mark.django_db(transaction=True),  # the servers see only what the test committed
]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.1)


def _answers(url: str, **kw: Any) -> bool:
    try:
        return requests.get(url, timeout=2, allow_redirects=False, **kw).status_code == 200
    except requests.RequestException:
        return False


class FromAddress(requests.adapters.HTTPAdapter):
    """Connects from another loopback address: another client, as nginx sees it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kw)


@dataclass
class Stack:
    origin: str
    certificate: Path
    logs: dict[str, Path]  # gunicorn access log by server name
    emails: Path
    env: dict[str, str]
    outputs: Path

    def call(
        self, method: Callable[..., requests.Response], path: str, **kw: Any
    ) -> tuple[requests.Response, str]:
        """One request through nginx, and the server that answered it: the one whose access log
        has the request's mark (a line of an earlier request may still be on its way)."""
        mark = uuid.uuid4().hex
        kw["headers"] = {MARK_HEADER: mark, **kw.get("headers", {})}
        response = method(self.origin + path, **self._request(path, kw))
        found: list[str] = []

        def logged() -> bool:
            found[:] = [name for name, log in self.logs.items() if mark in log.read_text()]
            return bool(found)

        # gunicorn logs a request just after its answer: wait for the line.
        _wait_for(logged, "the access log line", 10)
        [server] = found
        return response, server

    def call_on(
        self, server: str, method: Callable[..., requests.Response], path: str, **kw: Any
    ) -> requests.Response:
        """One request through nginx that lands on `server`: nginx takes the servers in turn,
        so a probe first if the last request went to `server`."""
        _, last = self.call(requests.get, "/healthz")
        if last == server:
            self.call(requests.get, "/healthz")
        response, landed = self.call(method, path, **kw)
        assert landed == server, f"nginx sent {path} to {landed}, not {server}"
        return response

    def post_form(
        self, browser: requests.Session, path: str, data: dict[str, Any], **kw: Any
    ) -> requests.Response:
        return browser.post(
            self.origin + path,
            **self._request(
                path, {"data": {**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}, **kw}
            ),
        )

    def _request(self, path: str, kw: dict[str, Any]) -> dict[str, Any]:
        headers = {"Origin": self.origin, "Referer": self.origin + path, **kw.pop("headers", {})}
        # verify per request: a session's is overridden by REQUESTS_CA_BUNDLE (requests#3829).
        return {
            "headers": headers,
            "allow_redirects": False,
            "verify": self.certificate,
            "timeout": 60,
            **kw,
        }

    def log_in(self, browser: requests.Session, username: str, server: str | None = None) -> str:
        """Logs `browser` in through nginx; returns where it was sent next."""
        self.call(browser.get, "/connexion/")
        data = {
            "username": username,
            "password": TEST_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        }
        if server is None:
            response, _ = self.call(browser.post, "/connexion/", data=data)
        else:
            response = self.call_on(server, browser.post, "/connexion/", data=data)
        assert response.status_code == 302, response.text[-2000:]
        return str(response.headers["Location"])

    def manage(self, *args: str) -> subprocess.Popen[str]:
        """A management command run as a host would run it (same environment as the servers)."""
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def sent_emails(self) -> list[Email]:
        """Every e-mail the workers handed to the (file-based) mail backend so far."""
        found = []
        for path in sorted(self.emails.glob("*.log")):
            for part in path.read_text().split("\n" + "-" * 79 + "\n"):
                if part.strip():
                    found.append(email.message_from_string(part))
        return found

    def worker_output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-3000:]}"
            for path in sorted(self.outputs.glob("*.out"))
        )


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    s3_endpoint: str,
    django_db_setup: None,
) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("two-servers")
    ports = {name: free_port() for name in (*SERVERS, "http", "https")}
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    openssl = subprocess.Popen(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    origin = f"https://127.0.0.1:{ports['https']}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_VERSION")},
        **new_bucket(s3_endpoint),
        "DJANGO_SETTINGS_MODULE": "replay_settings",  # production's, but MD5 passwords
        "PYTHONPATH": f"{ROOT}:{ROOT / 'scripts'}",
        "CIMENTO_TESTING": "false",
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-" + "k" * 60,
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "DB_CONN_MAX_AGE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": origin,
        "SITE_URL": origin,
        "TRUSTED_PROXIES": "127.0.0.1",
        "OTP_REQUIRED_FOR_STAFF": "false",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "no-media-here"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp / "emails"),
        "SMS_BACKEND": "notifications.sms.disabled.SmsBackend",
        # Reminders leave from 9:00 (Paris); the test may run at any hour.
        "NOTIFICATIONS_SEND_FROM_HOUR": "0",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes: list[subprocess.Popen[bytes]] = []
    logs = {name: tmp / f"gunicorn-{name}.log" for name in SERVERS}

    def start(command: list[str], output: str, **extra: str) -> None:
        with (tmp / output).open("wb") as out:
            processes.append(
                subprocess.Popen(
                    command,
                    env={**env, **extra},
                    cwd=ROOT,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            )

    try:
        # The servers and workers import Django while the static files are collected.
        for name in SERVERS:
            logs[name].touch()
            start(
                [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
                 f"--access-logfile={logs[name]}", f"--access-logformat={ACCESS_LOG_FORMAT}",
                 "config.wsgi:application"],
                f"gunicorn-{name}.out",
                GUNICORN_BIND=f"127.0.0.1:{ports[name]}",
            )  # fmt: skip
            # One worker per app host, as docs/deployment.md allows: a task runs once all the same.
            start([*manage, "db_worker", "--interval", "0.2", "--no-startup-delay",
                   "--worker-id", f"host-{name}"], f"worker-{name}.out")  # fmt: skip
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        assert openssl.wait(timeout=30) == 0, "openssl could not make the certificate"
        main = render_site(tmp, ports, tmp / "static", cert, key)
        start([NGINX or "nginx", "-c", str(main), "-p", str(tmp), "-g", "daemon off;"], "ng.out")
        for name in SERVERS:
            url, proxied = f"http://127.0.0.1:{ports[name]}/healthz", {"X-Forwarded-Proto": "https"}
            _wait_for(lambda u=url, h=proxied: _answers(u, headers=h), f"gunicorn {name}")
        _wait_for(lambda: _answers(f"{origin}/healthz", verify=cert), "nginx")
        yield Stack(origin, cert, logs, tmp / "emails", env, tmp)
    finally:
        # Our own process groups, nothing else; gone before the test database is dropped (no
        # « database is being accessed by other users »).
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(autouse=True)
def _no_emails_yet(stack: Stack) -> None:
    """Each test counts its own e-mails (the previous test's messages were all sent)."""
    shutil.rmtree(stack.emails, ignore_errors=True)


def _all_sent(stack: Stack, expected: int, seconds: float = 30) -> None:
    """Waits for `expected` messages to be sent, then for the queue to be empty."""

    def done() -> bool:
        return (
            Message.objects.filter(status=MessageStatus.SENT).count() >= expected
            and not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
        )

    try:
        _wait_for(done, f"{expected} messages sent", seconds)
    except AssertionError:
        statuses = Counter(Message.objects.values_list("status", flat=True))
        tasks = Counter(DBTaskResult.objects.values_list("status", flat=True))
        raise AssertionError(
            f"messages {dict(statuses)}, tasks {dict(tasks)}\n{stack.worker_output()}"
        ) from None


def test_a_gp_goes_on_through_the_other_server_and_files_are_shared(stack: Stack) -> None:
    gp = GPFactory(username="dr-deux")
    browser = requests.Session()
    get, post = browser.get, browser.post

    # Static files come from collectstatic, through nginx.
    css = browser.get(f"{stack.origin}/static/css/cimento.css", verify=stack.certificate)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")

    # Logs in through one server, goes on through the other.
    stack.call(get, "/connexion/")
    login, login_server = stack.call(
        post, "/connexion/",
        data={"username": "dr-deux", "password": TEST_PASSWORD,
              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )  # fmt: skip
    assert login.status_code == 302 and "/connexion/" not in login.headers["Location"]
    home, home_server = stack.call(get, login.headers["Location"])
    assert home_server != login_server
    assert home.status_code == 302 and "/connexion/" not in home.headers["Location"]
    page, _ = stack.call(get, home.headers["Location"])
    assert page.status_code == 200 and gp.last_name in page.text

    # Uploads through one, downloads through the other (nothing on either server's disk).
    upload, upload_server = stack.call(
        post, reverse("referrals:gp_referral_new"),
        data={**referral_data(), "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        files={"files-mri_report": ("irm.pdf", PDF_BYTES, "application/pdf")},
    )  # fmt: skip
    assert upload.status_code == 302, upload.text[-3000:]
    attachment = Attachment.objects.get()
    download_path = reverse("referrals:attachment_download", args=[attachment.pk])
    download, download_server = stack.call(
        get, download_path, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert download_server != upload_server
    assert download.status_code == 200 and download.content == PDF_BYTES
    # The client's forged X-Forwarded-For was replaced by nginx: its real address is logged.
    logged = AccessLog.objects.filter(object_id=attachment.pk)
    assert set(logged.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_a_lockout_earned_on_one_server_holds_on_the_other(stack: Stack) -> None:
    GPFactory(username="dr-verrou")
    guesser = requests.Session()
    stack.call(guesser.get, "/connexion/")
    wrong = {
        "username": "dr-verrou",
        "password": "wrong-password-xx",
        "csrfmiddlewaretoken": guesser.cookies["csrftoken"],
    }
    answers = [stack.call_on("a", guesser.post, "/connexion/", data=wrong) for _ in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]

    # The right password, through the other server, from the same client: refused.
    right = {**wrong, "password": TEST_PASSWORD}
    refused = stack.call_on("b", guesser.post, "/connexion/", data=right)
    assert refused.status_code == 429
    assert "Trop de tentatives de connexion" in refused.text
    assert "sessionid" not in guesser.cookies

    # Another client (another address, as nginx reports it) is not locked out of the account.
    colleague = requests.Session()
    colleague.mount("https://", FromAddress("127.0.0.2"))
    stack.call(colleague.get, "/connexion/")
    welcomed = stack.call_on(
        "b", colleague.post, "/connexion/",
        data={**right, "csrfmiddlewaretoken": colleague.cookies["csrftoken"]},
    )  # fmt: skip
    assert welcomed.status_code == 302 and "/connexion/" not in welcomed.headers["Location"]


def _booking_form(stack: Stack, browser: requests.Session, referral: Referral, session: Any) -> Any:
    path = reverse("scheduling:book", args=[referral.pk])
    return stack.post_form(browser, path, {"session": session.pk, "contact_channel": "email"})


def _tomorrow() -> Any:
    return timezone.localdate() + timedelta(days=1)


def test_twenty_bookings_over_both_servers_fill_five_places_and_tell_each_once(
    stack: Stack,
) -> None:
    SecretaryFactory(username="secretaire")
    referrals = [accepted_referral() for _ in range(20)]
    session = day_session(
        _tomorrow(), day_places=5, overnight_beds=0, end=clock(18, 0), procedure_minutes=600
    )
    desk = requests.Session()
    stack.log_in(desk, "secretaire")
    before = {name: log.read_text().count("POST /secretariat/") for name, log in stack.logs.items()}

    barrier = threading.Barrier(len(referrals))
    answers: dict[int, requests.Response] = {}

    def book(referral: Referral) -> None:
        tab = requests.Session()  # a tab of the same desk
        tab.cookies.update(desk.cookies)
        barrier.wait(timeout=30)
        answers[referral.pk] = _booking_form(stack, tab, referral, session)

    threads = [threading.Thread(target=book, args=(r,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = Counter(response.status_code for response in answers.values())
    assert codes == {302: 5, 200: 15}, codes
    for response in answers.values():
        if response.status_code == 200:
            assert "est complète" in response.text
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED)
    assert booked.count() == 5
    assert Referral.objects.filter(status=Status.SCHEDULED).count() == 5
    assert len(set(booked.values_list("start_time", flat=True))) == 5
    # Both servers took bookings.
    after = {name: log.read_text().count("POST /secretariat/") for name, log in stack.logs.items()}
    assert all(after[name] > before[name] for name in SERVERS), (before, after)

    # The GP and the patient of each booking are told once, by whichever worker took the task.
    _all_sent(stack, 10)
    expected: Counter[str] = Counter()
    for booking in booked.select_related("referral__gp", "referral__patient"):
        expected[booking.referral.gp.email] += 1
        expected[booking.referral.patient.email] += 1
    assert Counter(message["To"] for message in stack.sent_emails()) == expected
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_a_reminder_is_sent_once_whatever_the_server_and_however_often_the_timer_runs(
    stack: Stack,
) -> None:
    SecretaryFactory(username="secretaire")
    first, second = accepted_referral(), accepted_referral()
    session = day_session(_tomorrow())
    desk = requests.Session()
    stack.log_in(desk, "secretaire")

    # One booking through each server; each one's messages are queued by that server.
    for referral, server in ((first, "a"), (second, "b")):
        path = reverse("scheduling:book", args=[referral.pk])
        booked = stack.call_on(
            server, desk.post, path,
            data={"session": session.pk, "contact_channel": "email",
                  "csrfmiddlewaretoken": desk.cookies["csrftoken"]},
        )  # fmt: skip
        assert booked.status_code == 302, booked.text[-2000:]
    _all_sent(stack, 4)
    assert len(stack.sent_emails()) == 4

    # Booked a week ago: tomorrow's patients are due their reminder (two working days before).
    Booking.objects.update(booked_at=timezone.now() - timedelta(days=7))
    # Each app host's timer fires at the same moment, then again five minutes later.
    timers = [stack.manage("enqueue_due_tasks") for _ in SERVERS]
    outputs = [timer.communicate(timeout=120)[0] for timer in timers]
    assert [timer.returncode for timer in timers] == [0, 0], outputs
    # Between them, the two runs enqueued each reminder once.
    counts = [int(line.split()[1]) for out in outputs for line in out.splitlines()
              if line.startswith("patient_reminders:")]  # fmt: skip
    assert len(counts) == 2 and sum(counts) == 2, outputs
    again = stack.manage("enqueue_due_tasks")
    assert "patient_reminders: 0 enqueued" in again.communicate(timeout=120)[0]

    _all_sent(stack, 6)
    reminders = Message.objects.filter(kind=Kind.REMINDER)
    assert reminders.count() == 2
    assert set(reminders.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}
    # Each patient had two e-mails (the booking, the reminder), each GP one.
    assert Counter(message["To"] for message in stack.sent_emails()) == {
        first.gp.email: 1,
        second.gp.email: 1,
        first.patient.email: 2,
        second.patient.email: 2,
    }
