"""make load: a clinic network's busy hour replayed over HTTP (Locust) against gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make load
    LOAD_REFERRALS=20000 LOAD_SECONDS=120 DATABASE_URL=… make load      # a quicker run

On the PostgreSQL server DATABASE_URL names (local only, never its own database), it drops and
recreates LOAD_DATABASE (cimento_load), loads LOAD_REFERRALS (100,000) fictional referrals with
`seed_volume`, opens a session for each of 200 GPs, 6 radiologists and 2 secretaries (no login
through the rate limit), starts gunicorn (4 sync workers, DEBUG off, the product's settings as
the bench runs them) and the task worker, and runs bench/locustfile.py headless for LOAD_SECONDS
(300) or LOAD_MAX_REQUESTS (30,000) requests, whichever comes first. Then it prints one table:
per request type its count, failures, median and p95, against its target (no failure; p95
<= 300 ms for a page or a form, <= 1,500 ms for a PDF), the throughput, the peak memory of the
gunicorn workers (<= 150 MB) and of the task worker (<= 200 MB), failed tasks and overbooked
sessions (none). Exit status 0 when every target is met, 1 when one is missed, 2 when PostgreSQL
or Locust is missing. The database stays for a look afterwards; the next run drops it.

Locust is a development dependency; LOCUST names another executable (a virtualenv of its own)."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import Row, render  # noqa: E402

STARTED = time.monotonic()
USERS = {"gps": 200, "radiologists": 6, "secretaries": 2}
PAGE_TARGET_MS = 300.0
PDF_TARGET_MS = 1500.0
GUNICORN_TARGET_MB = 150.0
TASK_WORKER_TARGET_MB = 200.0
WORKERS = 4
NOTES = [
    "One Locust user per person, from a session prepared in the database (no login), with think",
    "times between actions (GPs 20-90 s, radiologists and secretaries 5-25 s). GPs read their list",
    "and referrals, download letters, fill referrals (three live verdicts each) and send them;",
    "radiologists read the worklist, open referrals, accept or decline them, print indication",
    "reports; secretaries read their home, day and sessions, book accepted referrals and print",
    "the convocation. gunicorn: 4 sync workers on 127.0.0.1, DEBUG off; the task worker sends the",
    "e-mails and SMS the decisions and bookings write (to in-memory backends). Times are Locust's",
    "(client side, network and HTTP parsing included); its percentiles are rounded to 2 digits.",
]


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def locust_command() -> list[str] | None:
    named = os.environ.get("LOCUST")
    if named:
        return [named]
    beside = Path(sys.executable).with_name("locust")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("locust")
    return [found] if found else None


def seed(referrals: int) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), "seed_volume"]
    command += ["--referrals", str(referrals), "--seed", "0", "--force"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:  # noqa: S603
        assert child.stdout is not None
        for line in child.stdout:
            say(f"  seed_volume {line.rstrip()}")
    if child.returncode:
        raise SystemExit(f"seed_volume failed (exit {child.returncode})")


def plan(path: Path, max_requests: int) -> dict[str, int]:
    """Write the plan the locustfile reads: each user's session cookie and the referrals they
    work on (disjoint between users, so that two never decide or book the same one)."""
    from django.conf import settings
    from django.utils import timezone

    from bench.contention import candidates, session_day
    from bench.pages import logged_in, referral_form
    from bench.volume import VOLUME_PREFIX, NirAllocator
    from clinic.models import Role, User
    from referrals.choices import Status
    from referrals.models import Decision, Patient, Referral

    def cookie(username: str) -> str:
        client = logged_in(username)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    rng = random.Random(23)  # noqa: S311 (fiction)
    nirs = NirAllocator(Patient.objects.filter(nir__contains="99999").values_list("nir", flat=True))
    today = timezone.localdate()
    volume = User.objects.filter(username__startswith=VOLUME_PREFIX).order_by("username")
    gps = []
    for gp in volume.filter(role=Role.GP)[: USERS["gps"]]:
        mine = Referral.objects.filter(gp=gp).exclude(status__in=("draft", "discarded"))
        forms = []
        for _ in range(4):
            sex = "F" if rng.random() < 0.75 else "M"
            nir = None
            while nir is None:
                birth = today.replace(year=today.year - rng.randint(60, 95), day=1)
                nir = nirs.allocate(sex, birth)
            forms.append(referral_form(rng, nir, birth, sex))
        gps.append(
            {
                "cookie": cookie(gp.username),
                "referrals": list(mine.order_by("-pk").values_list("pk", flat=True)[:10]),
                "letters": list(
                    Decision.objects.filter(referral__gp=gp, kind__in=("accept", "decline"))
                    .order_by("-pk")
                    .values_list("pk", flat=True)[:5]
                ),
                "forms": forms,
            }
        )
    radiologists = list(volume.filter(role=Role.RADIOLOGIST)[: USERS["radiologists"]])
    waiting = list(
        Referral.objects.filter(status=Status.SUBMITTED, gp__username__startswith=VOLUME_PREFIX)
        .order_by("-pk")
        .values_list("pk", "verdict")[: 60 * len(radiologists)]
    )
    reports = list(
        Referral.objects.filter(status=Status.ACCEPTED)
        .order_by("-pk")
        .values_list("pk", flat=True)[:30]
    )
    day = session_day(today)
    to_book = [r.pk for r in candidates(day, 120)]
    secretaries = list(volume.filter(role=Role.SECRETARY)[: USERS["secretaries"]])
    content: dict[str, Any] = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "max_requests": max_requests,
        "gps": gps,
        "radiologists": [
            {
                "cookie": cookie(user.username),
                "to_decide": [
                    [pk, verdict in ("eligible", "eligible_ideal")]
                    for pk, verdict in waiting[index :: len(radiologists)]
                ],
                "reports": reports,
            }
            for index, user in enumerate(radiologists)
        ],
        "secretaries": [
            {
                "cookie": cookie(user.username),
                "to_book": to_book[index :: len(secretaries)],
                "day": day.isoformat(),
            }
            for index, user in enumerate(secretaries)
        ],
    }
    path.write_text(json.dumps(content), encoding="utf-8")
    return {
        "GPs": len(gps),
        "radiologists": len(radiologists),
        "secretaries": len(secretaries),
        "referrals to decide": len(waiting),
        "referrals to book": len(to_book),
    }


def start_task_worker(log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "1"]
    command += ["--no-reload", "--no-startup-delay"]
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=out, start_new_session=True
        )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # our own process group, nothing else
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def locust_rows(stats: Path) -> tuple[list[Row], float, int]:
    """A row per request type from Locust's CSV, the throughput and the request count."""
    rows: list[Row] = []
    throughput, total = 0.0, 0
    with stats.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            count, failures = int(line["Request Count"]), int(line["Failure Count"])
            if line["Name"] == "Aggregated":
                throughput, total = float(line["Requests/s"]), count
                continue
            pdf = line["Name"].startswith("PDF")
            limit = PDF_TARGET_MS if pdf else PAGE_TARGET_MS
            p95 = float(line["95%"] if line["95%"] != "N/A" else line["Max Response Time"])
            rows.append(
                Row(
                    f"{line['Type']} {line['Name']} ({count} requests, {failures} failed)",
                    float(line["50%"]),
                    p95,
                    "ms",
                    via=f"HTTP x{WORKERS}",
                    target=f"p95 <= {limit:,.0f} ms, no failure",
                    met=p95 <= limit and failures == 0,
                    runs=count,
                )
            )
    return rows, throughput, total


def checks() -> list[Row]:
    """After the run: failed tasks and overbooked sessions (none of either)."""
    from django.db.models import Count, Q, Sum
    from django_tasks_db.models import DBTaskResult

    from referrals.choices import Stay
    from scheduling.models import OCCUPYING_STATUSES, DaySession

    failed = DBTaskResult.objects.filter(status="FAILED").count()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    occupying = Q(bookings__status__in=OCCUPYING_STATUSES)
    overnight = Q(bookings__stay=Stay.OVERNIGHT)
    sessions = DaySession.objects.annotate(
        minutes=Sum("bookings__minutes", filter=occupying),
        places=Count("bookings", filter=occupying & ~overnight),
        beds=Count("bookings", filter=occupying & overnight),
    )
    over = sum(
        1
        for s in sessions
        if (s.minutes or 0) > s.procedure_minutes
        or s.places > s.day_places
        or s.beds > s.overnight_beds
    )
    return [
        Row(f"tasks failed ({done} ran)", failed, failed, "tasks", target="none", met=failed == 0),
        Row("sessions overbooked", over, over, "sessions", target="none", met=over == 0),
    ]


def main() -> int:
    from bench import database

    started_load = f"{os.getloadavg()[0]:.1f}"
    referrals = int(os.environ.get("LOAD_REFERRALS", "100000"))
    seconds = int(os.environ.get("LOAD_SECONDS", "300"))
    max_requests = int(os.environ.get("LOAD_MAX_REQUESTS", "30000"))
    name = os.environ.get("LOAD_DATABASE") or "cimento_load"
    locust = locust_command()
    if locust is None:
        print("Locust is not installed: `pip install locust` (a dev dependency).", file=sys.stderr)
        return 2
    try:
        url = database.bench_url(os.environ.get("DATABASE_URL"), name=name)
    except database.NotPostgres as error:
        print(error, file=sys.stderr)
        return 2
    say(f"creating {name}")
    database.recreate(url)
    database.configure(url)
    os.environ["BENCH_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="cimento-load-media-")
    database.setup_django()
    say(f"seeding {referrals:,} referrals")
    seed(referrals)
    say(database.settle() or "checkpoint")
    scratch = Path(tempfile.mkdtemp(prefix="cimento-load-"))
    counts = plan(scratch / "plan.json", max_requests)
    say("plan: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    from bench import server

    gunicorn = server.start(workers=WORKERS)
    worker = start_task_worker(scratch / "task-worker.log")
    failed = True
    try:
        workers = gunicorn.worker_pids()
        command = [
            *locust,
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            f"--users={sum(USERS.values())}",
            "--spawn-rate=10",
            f"--run-time={seconds}s",
            f"--host=http://{server.HOST}:{gunicorn.port}",
            f"--csv={scratch / 'load'}",
            "--only-summary",
            "--stop-timeout=30",
            "--loglevel=WARNING",
            "--exit-code-on-error=0",
        ]
        say(f"Locust: {sum(USERS.values())} users for {seconds} s (or {max_requests:,} requests)")
        with (scratch / "locust.log").open("wb") as out:
            subprocess.run(  # noqa: S603 (Locust, our own file and numbers)
                command,
                cwd=ROOT,
                env={**os.environ, "LOAD_PLAN": str(scratch / "plan.json")},
                stdout=out,
                stderr=out,
                check=True,
                timeout=seconds + 300,
            )
        say("letting the task worker finish its queue")
        time.sleep(5)
        gunicorn_mb = max(server.rss_mb(pid)[1] for pid in workers)
        worker_mb = max(server.rss_mb(pid)[1] for pid in [worker.pid, *_children(worker.pid)])
        failed = False
    finally:
        stop_process(worker)
        server.stop(gunicorn, failed=failed)
        if failed:
            print(f"Locust's and the task worker's logs: {scratch}", file=sys.stderr)
    rows, throughput, total = locust_rows(scratch / "load_stats.csv")
    rows += [
        Row(
            "throughput (all requests)",
            throughput,
            throughput,
            "requests/s",
            via="HTTP",
            runs=total,
        ),
        Row(
            f"gunicorn worker peak RSS (VmHWM), highest of {WORKERS}",
            gunicorn_mb,
            gunicorn_mb,
            "MB",
            via="HTTP",
            target=f"<= {GUNICORN_TARGET_MB:.0f} MB",
            met=gunicorn_mb <= GUNICORN_TARGET_MB,
            runs=1,
        ),
        Row(
            "task worker peak RSS (VmHWM)",
            worker_mb,
            worker_mb,
            "MB",
            target=f"<= {TASK_WORKER_TARGET_MB:.0f} MB",
            met=worker_mb <= TASK_WORKER_TARGET_MB,
            runs=1,
        ),
        *checks(),
    ]
    minutes = (time.monotonic() - STARTED) / 60
    title = (
        f"make load: PostgreSQL {database.server_version()} ({name}), {referrals:,} referrals, "
        f"{sum(USERS.values())} users for {seconds} s, {total:,} requests, {os.cpu_count()} cores, "
        f"load average {started_load} at the start and {os.getloadavg()[0]:.1f} at the end; "
        f"whole run {minutes:.1f} min"
    )
    print(render(rows, title=title, notes=NOTES))
    return 0 if all(row.met is not False for row in rows) and total else 1


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


if __name__ == "__main__":
    raise SystemExit(main())
