"""Time one page of the catalogue (bench/catalogue.py) on the database the last `make bench`
left, with its query count, and optionally profile it: the quick loop to find what a page spends.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_DATABASE=cimento_bench \\
        .venv/bin/python bench/page_profile.py day [--runs 100] [--profile] [--queries]
    .venv/bin/python bench/page_profile.py --list      # the page keys

The page runs alone, then (when it has one) against its bare view, in turn (a b a b …);
--profile prints the page's cProfile (20 requests, cumulative time; SORT=tottime TOP=80 to
change), --queries its SQL with the time of each. Nothing is written but sessions."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from bench import database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", default="")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if not database.open_last_run():
        return 2
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import catalogue, contention, pages, quality

    day = contention.session_day(timezone.localdate())
    found = catalogue.cases(bookable=next(iter(contention.candidates(day, 1)), None))
    found.append(catalogue.VerdictForm(catalogue.verdict_gp()).case())
    found += quality.profile_cases(gp=pages.gps_to_measure()[0][1])
    by_key = {case.key: case for case in found}
    if args.list or args.page not in by_key:
        for case in found:
            print(f"{case.key:24s} {case.label}")
        return 0 if args.list else 2
    case = by_key[args.page]
    client = pages.logged_in(case.username)

    def page() -> object:
        if case.post:
            return client.post(case.url, case.params, HTTP_HX_REQUEST="true")
        return pages.fetch(client, case.url, case.params)

    base = by_key.get(case.baseline)
    base_client = pages.logged_in(base.username) if base else None

    def bare() -> object:
        assert base is not None and base_client is not None
        return pages.fetch(base_client, base.url, base.params)

    work = {"page": page, **({"bare view": bare} if base else {})}
    for _ in range(5):
        for run in work.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in work}
    cpu = dict.fromkeys(work, 0.0)
    for _ in range(args.runs):
        for name, run in work.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
            cpu[name] += time.process_time() - started_cpu
    with CaptureQueriesContext(connection) as queries:
        page()
    for name, values in times.items():
        p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
        print(
            f"{case.label} — {name}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"
            f" (CPU {cpu[name] / args.runs * 1000:.1f} ms) over {args.runs} runs"
        )
    print(f"{len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.1f} ms in all")
    if args.queries:
        for query in queries:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:400]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            page()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "50"))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
