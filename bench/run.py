"""make bench: every performance figure in one table (median, p95, ratio to its baseline, target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimento_dev make bench
    BENCH_REFERRALS=5000 make bench      # a quicker run on a smaller database
    BENCH_ONLY=quality make bench        # only some figures (comma-separated groups below)

Groups for BENCH_ONLY: engine, pages (every page of bench/catalogue.py), quality (the dashboard
over a month, a year and the whole history, and a GP's quality page), submission, pdf, contention,
memory. The database is seeded all the same.

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
from datetime import date
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

GROUPS = ("engine", "pages", "quality", "submission", "pdf", "contention", "memory")


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
    "     (no query of its own): the least any page costs. If it is far above 5 ms, the machine",
    "     is busy: every wall-clock figure is slower in proportion; run again on a quiet machine.",
    "step: median at the large size / median at the small size, the same page (same kind of",
    "     referral, GP or day) picked on each database.",
]


def _seed(referrals: int, seed: int, keep_day: date | None = None) -> None:
    """Load referrals with `manage.py seed_volume` in a child process, then CHECKPOINT. In this
    process, the load's heap stayed behind it: the large-database figures ran 4–5 ms slower
    than the same pages in a fresh process, pages and bare views alike."""
    command = [sys.executable, str(ROOT / "manage.py"), "seed_volume"]
    command += ["--referrals", str(referrals), "--seed", str(seed), "--force"]
    if keep_day is not None:
        command += ["--keep-day", str(keep_day)]
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


def page_rows(found: list, small: dict, large: dict, small_label: str, big: str) -> list[Row]:
    """A row per page at the large size (its target, its ratio to its bare view), then the step
    from the small size: the same page, or for the desk's schedule pages the same content
    (catalogue.same_content)."""
    from bench import catalogue, pages

    rows: list[Row] = []
    for case in found:
        if case.key.endswith("_base") or case.key not in large:
            continue
        timed = large[case.key]
        row = Row(
            f"{case.label}, {big}",
            timed.median,
            timed.p95,
            "ms",
            via="client",
            baseline=timed.base_median if case.baseline else None,
            runs=timed.runs,
        )
        if case.target_ms is not None:
            row.target = f"p95 <= {case.target_ms:.0f} ms"
            row.met = timed.p95 <= case.target_ms
        rows.append(row)
    labels = {case.key: case.label for case in found}
    for case in found:
        if case.key.endswith("_base") or case.key not in small or case.key not in large:
            continue
        same = f"{case.key}{catalogue.SAME_CONTENT}"
        before, after = small[case.key], large.get(same, large[case.key])
        name = (
            f"{case.label.split(' (')[0]}, {small_label} -> {big} "
            f"({before.median:.1f} -> {after.median:.1f} ms)"
        )
        if same in large:  # the large database's page on the small one's content
            name += f", at {big}: {labels[same]}"
        if case.step:
            rows.append(pages.step_row(name, before, after, STEP_LIMIT))
        elif case.target_ms is not None:  # the dashboard: its growth, for information
            rows.append(
                Row(name, after.median / before.median, after.p95 / before.p95, "x",
                    via="client", runs=after.runs)
            )  # fmt: skip
    return rows


# The 1,000 -> 100,000 step of every page (median), but the dashboard's.
STEP_LIMIT = 1.3


def _pages(runs: int, bookable: object, small: int | None = None) -> tuple[list, dict]:
    """Every page, and with `small` (the sessions the small database's list showed) the schedule
    pages on its content: the day view then shows a full day of the large schedule, and its
    step is timed on the small database's day, kept as it was through the growth."""
    from bench import catalogue

    found = catalogue.cases(bookable=bookable, full_day=small is not None)  # type: ignore[arg-type]
    found.append(catalogue.VerdictForm(catalogue.verdict_gp()).case())
    if small is not None:
        found += catalogue.same_content(small)
    return found, catalogue.measure(found, runs=runs)


def web_rows(size: int, small: int, runs: int, rows: list[Row]) -> None:
    """Append each figure to `rows` as it is measured (a stage that fails leaves the others)."""
    from django.utils import timezone

    from bench import catalogue, contention, documents, pages, quality, server
    from referrals.models import Referral

    say(f"seeding {small:,} referrals")
    _seed(small, seed=0)
    day = contention.session_day(timezone.localdate())
    before: dict = {}
    if wanted("pages"):
        say("every page on the small database")
        bookable_small = next(iter(contention.candidates(day, 1)), None)
        _, before = _pages(runs, bookable_small)
    small_sessions = catalogue.sessions_in_8_weeks()
    if size > small:
        say(f"growing to {size:,} referrals (the small database's day kept as it is)")
        _seed(size - small, seed=1, keep_day=day)
    big = f"{size:,}"
    bookable = contention.candidates(day, 4)
    found: list = []
    if wanted("pages") or wanted("memory"):
        say("every page on the large database")
        found, after = _pages(runs, bookable[0] if bookable else None, small_sessions)
        if wanted("pages"):
            rows += page_rows(found, before, after, f"{small:,}", big)
        for name in catalogue.missing_pages():
            say(f"not in this version, not timed: {name}")
    posting = pages.typical_gps(6)
    if wanted("quality"):
        say("quality dashboard over a month, a year, the whole history; a GP's page")
        rows += quality.dashboard_rows(big, gp=pages.gps_to_measure()[0][1], runs=runs)
    submitter = pages.Submitter(posting[:-1])
    if wanted("submission"):
        say("referral submission")
        rows.append(pages.submission(submitter, runs=runs))
    if wanted("pdf"):
        say("indication report PDF")
        rows.append(documents.indication_report(runs=max(10, runs // 2)))
    shown = frozenset(r.pk for r in bookable[:1])  # the booking page the bench serves again
    if wanted("contention"):
        say("booking under contention")
        rows.append(contention.booking_contention(rounds=5, keep=shown))
    if not wanted("memory"):
        return
    say("gunicorn worker memory")
    report = documents.report_referral()
    referral_pks = list(
        Referral.objects.filter(status__in=("submitted", "accepted", "done"))
        .order_by("-pk")
        .values_list("pk", flat=True)[:10]
    )
    served = server.Pages(
        [case for case in found if case.http],
        posting[-1],
        report.pk,
        referral_pks,
        [r.pk for r in contention.candidates(day, 3, exclude=shown)],
        day.isoformat(),
    )
    forms = [submitter.next_form() for _ in range(10)]
    rows += server.worker_memory(served, runs=runs, forms=forms)


def load() -> str:
    """The machine's 1-minute load average: other work slows wall-clock figures."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    started_load = load()
    size = int(os.environ.get("BENCH_REFERRALS", "100000"))
    small = min(1000, size)
    runs = int(os.environ.get("BENCH_RUNS", "30"))
    rows: list[Row] = []
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
    from bench.pages import BenchError

    stopped = ""
    try:
        web_rows(size, small, runs, rows)
    except BenchError as error:  # the table of what was measured, then why it stopped
        stopped = f"STOPPED: {error}"
    version = database.server_version()
    minutes = (time.monotonic() - STARTED) / 60
    title = (
        f"make bench: PostgreSQL {version} ({database.BENCH_DATABASE}), {size:,} referrals "
        f"(and {small:,} for the small figures), DEBUG off, {os.cpu_count()} cores, load "
        f"average {started_load} at the start and {load()} at the end; whole run {minutes:.1f} min"
    )
    print(render(rows, title=title, notes=NOTES))
    if stopped:
        print(f"\n{stopped}")
        return 1
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
