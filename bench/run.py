"""make bench: every performance figure in one table (median, p95, ratio to its baseline, target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimento_dev make bench
    BENCH_REFERRALS=5000 make bench      # a quicker run on a smaller database
    BENCH_ONLY=quality make bench        # only some figures (comma-separated groups below)

Groups for BENCH_ONLY: engine, worklist, gp, secretary, submission, pdf, contention, memory,
quality (the quality dashboard and the GP's quality page). The database is seeded all the same.

The engine figures need no database. Everything else runs on PostgreSQL only, in a database of
its own (cimento_bench, dropped and recreated on the server DATABASE_URL names), loaded by
seed_volume with 1,000 referrals, measured, then grown to BENCH_REFERRALS (100,000) and measured
again. See docs/performance.md for what each figure means and the figures of a full run.
Exit status: 0 when every target is met, 1 when one is missed, 2 when PostgreSQL is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script, Python puts bench/ first on the path, where settings.py and urls.py would
# shadow other modules of those names: import the package from the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import database, engine_bench  # noqa: E402
from bench.report import Row, render  # noqa: E402

STARTED = time.monotonic()
GROUPS = (
    "engine",
    "worklist",
    "gp",
    "secretary",
    "submission",
    "pdf",
    "contention",
    "memory",
    "quality",
)


def wanted(group: str) -> bool:
    """BENCH_ONLY (comma-separated groups) or every group."""
    only = {g.strip() for g in os.environ.get("BENCH_ONLY", "").split(",") if g.strip()}
    unknown = only - set(GROUPS)
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown group(s) {', '.join(sorted(unknown))}: {GROUPS}")
    return not only or group in only


def say(message: str) -> None:
    """Progress on stderr; the table alone goes to stdout."""
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def engine_rows() -> list[Row]:
    rows = []
    for row in engine_bench.run(repeats=30):
        one = row["name"] == engine_bench.ONE_LEVEL
        rows.append(
            Row(
                f"engine: {row['name']}",
                row["median"],
                row["p95"],
                row["unit"],
                runs=30,
                target=f"median >= {engine_bench.TARGET_ONE_LEVEL:,}/s" if one else "",
                met=row["median"] >= engine_bench.TARGET_ONE_LEVEL if one else None,
            )
        )
    return rows


NOTES = [
    "via: client = Django's test client in the bench process (server time: middleware, view,",
    "     queries, template; no network); HTTP = real HTTP to gunicorn on 127.0.0.1 (1 sync",
    "     worker; HTTP x4: 4 sync workers). p95 of a rate is its slow side (the rate 95 % of",
    "     runs reached); p95 of a time, the time 95 % of runs stayed under.",
    "baseline: list pages = a bare view returning the page's rows as plain text from the same",
    "     query (bench/baseline.py); PDF = WeasyPrint alone on the same HTML and stylesheet;",
    "     memory = the worker's RSS right after boot. ratio = median / baseline median.",
    "empty page in the layout: the menu, messages and footer of every page and nothing else",
    "     (no query of its own), against the same bare view: the least a list page can cost.",
]


def _seed(referrals: int, seed: int) -> None:
    """Load referrals with `manage.py seed_volume` in a child process, then CHECKPOINT. In this
    process, the load's heap stayed behind it: the large-database figures ran 4–5 ms slower
    than the same pages in a fresh process, pages and bare views alike."""
    command = [sys.executable, str(ROOT / "manage.py"), "seed_volume"]
    command += ["--referrals", str(referrals), "--seed", str(seed), "--force"]
    # Our own interpreter, script and numbers.
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:  # noqa: S603
        assert child.stdout is not None
        for line in child.stdout:
            say(f"  seed_volume {line.rstrip()}")
    if child.returncode:
        raise SystemExit(f"seed_volume failed (exit {child.returncode}): no figures")
    _settle()


def _settle() -> None:
    say("checkpoint")
    refused = database.settle()
    if refused:
        say(refused)


def web_rows(size: int, small: int, runs: int) -> tuple[list[Row], str]:
    from django.utils import timezone

    from bench import contention, documents, pages, quality, server
    from referrals.models import Referral

    rows: list[Row] = []
    say(f"seeding {small:,} referrals")
    _seed(small, seed=0)
    label = f"{small:,}"
    names = {
        "first": "worklist, first page",
        "filtered": "worklist, to review filtered (verdict, level)",
        "history": "worklist, history tab filtered (done, verdict, level)",
    }
    if wanted("worklist"):
        say("worklist on the small database")
        before = pages.worklist(runs=runs)
        for key, name in names.items():
            rows.append(pages.list_row(f"{name}, {label}", before[key], target=False))
    if size > small:
        say(f"growing to {size:,} referrals")
        _seed(size - small, seed=1)
    big = f"{size:,}"
    if wanted("worklist"):
        say("worklist on the large database")
        after = pages.worklist(runs=runs)
        for key, name in names.items():
            rows.append(pages.list_row(f"{name}, {big}", after[key], target=True))
        for key, name in names.items():
            rows.append(pages.step_row(f"{name}, {label} -> {big}", before[key], after[key], 1.3))
        rows.append(
            pages.list_row(
                "empty page in the layout, radiologist (baseline: worklist's bare view)",
                after[pages.LAYOUT],
                target=False,
            )
        )
    gps = pages.gps_to_measure()
    for title, username, count in gps if wanted("gp") else []:
        say(f"GP home: {title}")
        timed, layout = pages.gp_home(username, runs=runs)
        rows.append(pages.list_row(f"GP home, {title} ({count:,}), {big}", timed, target=True))
        rows.append(
            pages.list_row(
                f"empty page in the layout, {title} (baseline: GP home's bare view)",
                layout,
                target=False,
            )
        )
    if wanted("quality"):
        say("quality dashboard")
        rows += quality.dashboard_rows(big, gp=gps[0][1], runs=runs)
    if wanted("secretary"):
        say("secretary pages")
        rows += pages.secretary_pages(contention.session_day(timezone.localdate()), runs=runs)
    posting = pages.typical_gps(6)
    submitter = pages.Submitter(posting[:-1])
    if wanted("submission"):
        say("referral submission")
        rows.append(pages.submission(submitter, runs=runs))
    if wanted("pdf"):
        say("indication report PDF")
        rows.append(documents.indication_report(runs=max(10, runs // 2)))
    if wanted("contention"):
        say("booking under contention")
        rows.append(contention.booking_contention(rounds=5))
    if not wanted("memory"):
        return rows, database.server_version()
    say("gunicorn worker memory")
    day = contention.session_day(timezone.localdate())
    bookable = [r.pk for r in contention.candidates(day, 3)]
    report = documents.report_referral()
    referral_pks = list(
        Referral.objects.filter(status__in=("submitted", "accepted", "done"))
        .order_by("-pk")
        .values_list("pk", flat=True)[:10]
    )
    served = server.Pages(
        gps[0][1], gps[1][1], posting[-1], report.pk, referral_pks, bookable, day.isoformat()
    )
    forms = [submitter.next_form() for _ in range(10)]
    rows += server.worker_memory(served, runs=runs, forms=forms)
    return rows, database.server_version()


def load() -> str:
    """The machine's 1-minute load average: other work slows wall-clock figures."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    started_load = load()
    size = int(os.environ.get("BENCH_REFERRALS", "100000"))
    small = min(1000, size)
    runs = int(os.environ.get("BENCH_RUNS", "30"))
    rows = []
    if wanted("engine"):
        say("engine")
        rows = engine_rows()
    try:
        url = database.bench_url(os.environ.get("DATABASE_URL"))
    except database.NotPostgres as error:
        print(render(rows, title="make bench: engine only", notes=NOTES))
        print(f"\nThe web figures were NOT measured. {error}", file=sys.stderr)
        return 2
    say(f"creating {database.BENCH_DATABASE}")
    database.recreate(url)
    database.configure(url)
    database.setup_django()
    web, version = web_rows(size, small, runs)
    rows += web
    minutes = (time.monotonic() - STARTED) / 60
    title = (
        f"make bench: PostgreSQL {version} ({database.BENCH_DATABASE}), {size:,} referrals "
        f"(and {small:,} for the small figures), DEBUG off, {os.cpu_count()} cores, load "
        f"average {started_load} at the start and {load()} at the end; whole run {minutes:.1f} min"
    )
    print(render(rows, title=title, notes=NOTES))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
