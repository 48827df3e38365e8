"""A gunicorn worker's memory after serving every page of the bench over real HTTP.

One sync worker on 127.0.0.1 (a free port), the bench settings and database; the pages are
opened with the session cookies of users logged in here (the session lives in the database the
worker reads). The peak resident size is the worker's VmHWM in /proc/<pid>/status."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from bench.pages import RADIOLOGIST, SECRETARY, BenchError, logged_in
from bench.report import Row
from bench.timing import median, p95

ROOT = Path(__file__).resolve().parent.parent
MEMORY_TARGET_MB = 150.0
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    latencies: dict[str, list[float]] = field(default_factory=dict)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str],
        body: dict[str, str] | None = None,
        label: str = "",
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        payload = None
        if body is not None:
            payload = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        conn.close()
        if label:
            self.latencies.setdefault(label, []).append(elapsed)
        headers: dict[str, str] = {}
        for key, value in response.getheaders():  # Set-Cookie comes once per cookie
            key = key.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return response.status, headers, content

    def get(self, path: str, cookies: dict[str, str], label: str = "") -> bytes:
        status, _, content = self.request("GET", path, cookies, label=label)
        if status != 200:
            raise BenchError(f"gunicorn: GET {path} answered {status}")
        return content


def start(*, workers: int = 1) -> Server:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="cimento-bench-gunicorn-", suffix=".log")[1])
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--workers={workers}",
        f"--bind={HOST}:{port}",
        "--timeout=120",
        f"--chdir={ROOT}",
        "--log-level=warning",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, env=os.environ.copy(), stdout=out, stderr=out, start_new_session=True
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited: see {log}")
        try:
            server.get("/healthz", {})
            return server
        except (OSError, BenchError):
            time.sleep(0.2)
    stop(server, failed=True)
    raise BenchError(f"gunicorn did not answer within 60 s: see {log}")


def stop(server: Server, *, failed: bool = False) -> None:
    """Stop gunicorn; its log is kept (and named) only when something went wrong."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)  # our own process group, nothing else
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
    if failed:
        print(f"gunicorn's log: {server.log}", file=sys.stderr)
    else:
        server.log.unlink(missing_ok=True)


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of `pid` in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = {}
    for key in ("VmRSS", "VmHWM"):
        match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
        if match is None:
            raise BenchError(f"no {key} in /proc/{pid}/status")
        values[key] = int(match.group(1)) / 1024
    return values["VmRSS"], values["VmHWM"]


def cookie_of(username: str) -> dict[str, str]:
    client = logged_in(username)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def form_token(server: Server, url: str, cookies: dict[str, str]) -> tuple[dict[str, str], str]:
    """GET a form page as a browser does: (cookies with the CSRF cookie added, the form token)."""
    status, headers, content = server.request("GET", url, cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
    if status != 200 or token is None or cookie is None:
        raise BenchError(f"gunicorn: {url} came without its CSRF token ({status})")
    return {**cookies, "csrftoken": cookie.group(1)}, token.group(1).decode()


def submit_over_http(server: Server, cookies: dict[str, str], form: dict[str, str]) -> None:
    url = reverse("referrals:gp_referral_new")
    with_csrf, token = form_token(server, url, cookies)
    body = {**form, "csrfmiddlewaretoken": token}
    status, _, _ = server.request("POST", url, with_csrf, body, label="referral submission")
    if status != 302:
        raise BenchError(f"gunicorn: referral submission answered {status}")


@dataclass(frozen=True)
class Pages:
    """What the worker serves: every page of the catalogue (bench/catalogue.py), a few more
    referral pages, the indication report, referral submissions and booking pages."""

    cases: list[Any]  # bench.catalogue.Case, GET pages
    posting_gp: str  # one who has not used up the form's rate limit
    report_pk: int
    referral_pks: list[int]
    bookable_pks: list[int]
    session_day: str


def serve(server: Server, pages: Pages, runs: int, forms: list[dict[str, str]]) -> Iterator[str]:
    """Serve the pages, stage by stage: yields each stage's name once it is served (the memory
    script, bench/worker_memory.py, reads the worker's RSS there)."""
    radiologist, secretary = cookie_of(RADIOLOGIST), cookie_of(SECRETARY)
    cookies = {case.username: cookie_of(case.username) for case in pages.cases}
    worklist = reverse("home_radiologist")
    for _ in range(max(3, runs // 3)):
        for case in pages.cases:
            if case.key.endswith("_base") or case.post:
                continue
            query = f"?{urlencode(case.params)}" if case.params else ""
            server.get(f"{case.url}{query}", cookies[case.username], case.label)
    yield "the catalogue's pages"
    for status in ("submitted", "info_requested", "accepted", "scheduled", "declined", "done"):
        server.get(f"{worklist}?status={status}&page=2", radiologist)
    for pk in pages.referral_pks:
        server.get(reverse("referrals:radiology_referral", args=[pk]), radiologist)
    yield "worklist tabs, referral pages"
    report = reverse("reports:indication_report", args=[pages.report_pk])
    for _ in range(max(3, runs // 3)):
        server.get(report, radiologist, "indication report PDF")
    yield "indication report PDF"
    posting = cookie_of(pages.posting_gp)
    for form in forms:
        submit_over_http(server, posting, form)
    yield "referral submissions"
    server.get(f"{reverse('scheduling:day')}?date={pages.session_day}", secretary)
    for pk in pages.bookable_pks:
        server.get(reverse("scheduling:book", args=[pk]), secretary, "booking page, others")
    yield "day view, booking pages"


def worker_memory(pages: Pages, *, runs: int, forms: list[dict[str, str]]) -> list[Row]:
    """Peak RSS of one gunicorn worker after serving the bench's pages, and their latencies over
    HTTP (a cross-check of the in-process figures; informative, no target)."""
    server = start()
    try:
        (worker,) = server.worker_pids()
        server.get("/healthz", {})
        booted, _ = rss_mb(worker)
        for _stage in serve(server, pages, runs, forms):
            pass
        _, peak = rss_mb(worker)
    except BaseException:
        stop(server, failed=True)
        raise
    stop(server)
    served = sum(len(v) for v in server.latencies.values())
    rows = [
        Row(
            f"gunicorn worker peak RSS (VmHWM) after serving the pages ({served}+ requests)",
            peak,
            peak,
            "MB",
            via="HTTP",
            baseline=booted,
            target=f"<= {MEMORY_TARGET_MB:.0f} MB",
            met=peak <= MEMORY_TARGET_MB,
            runs=1,
        )
    ]
    for label, values in server.latencies.items():
        rows.append(
            Row(f"{label} (over HTTP)", median(values), p95(values), "ms", "HTTP", runs=len(values))
        )
    return rows
