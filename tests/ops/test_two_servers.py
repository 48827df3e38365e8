"""Two app servers, one clinic: two gunicorn instances and one task worker on one PostgreSQL and
one S3 endpoint (moto's server on 127.0.0.1), behind deploy/nginx/cimento.conf over TLS (a
certificate made here with openssl). Each request's server is read from its gunicorn access log."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.urls import reverse

from clinic.models import AccessLog
from referrals.models import Attachment
from tests.clinic.test_settings import ROOT
from tests.factories import TEST_PASSWORD, GPFactory
from tests.ops.conftest import new_bucket
from tests.ops.test_backup_restore import _url
from tests.referrals.form_data import PDF_BYTES, referral_data

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
SITE = ROOT / "deploy" / "nginx" / "cimento.conf"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(NGINX is None, reason="needs nginx (apt-get install nginx; .ci/run does)"),
]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    origin: str
    certificate: Path
    logs: dict[str, Path]  # gunicorn access log by server name
    emails: Path

    def served(self) -> dict[str, int]:
        return {name: len(log.read_text().splitlines()) for name, log in self.logs.items()}

    def call(self, method: Callable[..., requests.Response], path: str, **kw: Any) -> tuple:
        before = self.served()
        headers = {"Origin": self.origin, "Referer": self.origin + path, **kw.pop("headers", {})}
        # verify per request: a session's is overridden by REQUESTS_CA_BUNDLE (requests#3829).
        response = method(
            self.origin + path,
            headers=headers,
            allow_redirects=False,
            verify=self.certificate,
            **kw,
        )
        # gunicorn logs a request just after its answer: wait for the line.
        _wait_for(lambda: self.served() != before, "the access log line", 5)
        after = self.served()
        [server] = [name for name in after if after[name] > before[name]]
        return response, server


def _render_site(tmp: Path, ports: dict[str, int], static: Path, cert: Path, key: Path) -> Path:
    site = SITE.read_text()
    for production, here in {
        "127.0.0.1:8001": f"127.0.0.1:{ports['a']}",
        "127.0.0.1:8002": f"127.0.0.1:{ports['b']}",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        "/etc/ssl/cimento/fullchain.pem": str(cert),
        "/etc/ssl/cimento/privkey.pem": str(key),
        "/srv/cimento/staticfiles/": f"{static}/",
    }.items():
        assert production in site, production
        site = site.replace(production, here)
    (tmp / "cimento.conf").write_text(site)
    main = tmp / "nginx.conf"
    temp = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy"))
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
        + "events { worker_connections 64; }\n"
        + f"http {{ include /etc/nginx/mime.types; access_log off; {temp}\n"
        + f"  include {tmp}/cimento.conf; }}\n"
    )
    return main


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.2)


def _answers(url: str, **kw: Any) -> bool:
    try:
        return requests.get(url, timeout=2, allow_redirects=False, **kw).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def stack(tmp_path: Path, s3_endpoint: str) -> Iterator[Stack]:
    ports = {name: free_port() for name in ("a", "b", "http", "https")}
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
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
        "TRUSTED_PROXIES": "127.0.0.1",
        "OTP_REQUIRED_FOR_STAFF": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "no-media-here"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "emails"),
        "SMS_BACKEND": "notifications.sms.disabled.SmsBackend",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    processes: list[subprocess.Popen[bytes]] = []
    logs = {name: tmp_path / f"gunicorn-{name}.log" for name in ("a", "b")}

    def start(command: list[str], output: str) -> None:
        with (tmp_path / output).open("wb") as out:
            processes.append(
                subprocess.Popen(
                    command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
                )
            )

    for name in ("a", "b"):
        logs[name].touch()
        start(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers=1",
             f"--bind=127.0.0.1:{ports[name]}", f"--access-logfile={logs[name]}",
             "--forwarded-allow-ips=127.0.0.1", "--no-control-socket"],
            f"gunicorn-{name}.out",
        )  # fmt: skip
    start([*manage, "db_worker", "--interval", "0.5", "--no-startup-delay"], "worker.out")
    main = _render_site(tmp_path, ports, tmp_path / "static", cert, key)
    start([NGINX or "nginx", "-c", str(main), "-p", str(tmp_path), "-g", "daemon off;"], "ng.out")
    try:
        for name in ("a", "b"):
            url, proxied = f"http://127.0.0.1:{ports[name]}/healthz", {"X-Forwarded-Proto": "https"}
            _wait_for(lambda u=url, h=proxied: _answers(u, headers=h), f"gunicorn {name}")
        _wait_for(lambda: _answers(f"{origin}/healthz", verify=cert), "nginx")
        yield Stack(origin, cert, logs, tmp_path / "emails")
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)  # our own process groups, nothing else
        for process in processes:
            process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_two_servers_behind_nginx_share_sessions_and_files(stack: Stack) -> None:
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
