"""The memory figure of `make bench` alone, on the database the last bench left: one gunicorn
worker serves what the bench serves (bench/server.py), and its RSS is printed after each stage.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_DATABASE=cimento_bench_copy \\
        .venv/bin/python bench/worker_memory.py [--runs 30]

VmRSS is what the worker holds at that moment, VmHWM its peak so far (the bench's figure).
It writes what the bench writes: sessions and ten referrals submitted over HTTP, so run it on
a copy of the bench database (createdb -T) rather than on the one a bench run is using."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from bench import database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="as BENCH_RUNS (default 30)")
    args = parser.parse_args()
    if not database.open_last_run():
        return 2
    from django.utils import timezone

    from bench import catalogue, contention, documents, pages, server
    from referrals.models import Referral

    day = contention.session_day(timezone.localdate())
    bookable = contention.candidates(day, 4)
    found = catalogue.cases(bookable=bookable[0] if bookable else None)
    found.append(catalogue.VerdictForm(catalogue.verdict_gp()).case())
    posting = pages.typical_gps(6)
    submitter = pages.Submitter(posting[:-1])
    shown = frozenset(r.pk for r in bookable[:1])
    served = server.Pages(
        [case for case in found if case.http],
        posting[-1],
        documents.report_referral().pk,
        list(
            Referral.objects.filter(status__in=("submitted", "accepted", "done"))
            .order_by("-pk")
            .values_list("pk", flat=True)[:10]
        ),
        [r.pk for r in contention.candidates(day, 3, exclude=shown)],
        day.isoformat(),
    )
    forms = [submitter.next_form() for _ in range(10)]
    gunicorn = server.start()
    try:
        (worker,) = gunicorn.worker_pids()
        gunicorn.get("/healthz", {})
        print(f"{'stage':34s} {'VmRSS':>7s} {'VmHWM':>7s}")
        rss, peak = server.rss_mb(worker)
        print(f"{'booted, /healthz':34s} {rss:7.1f} {peak:7.1f}")
        for stage in server.serve(gunicorn, served, args.runs, forms):
            rss, peak = server.rss_mb(worker)
            print(f"{stage:34s} {rss:7.1f} {peak:7.1f}", flush=True)
    except BaseException:
        server.stop(gunicorn, failed=True)
        raise
    server.stop(gunicorn)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
