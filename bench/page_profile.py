"""Time one list page against its bare baseline on the database the last `make bench` left, and
optionally profile it: the quick loop behind the « profile script » figures of
docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimento_dev \\
        .venv/bin/python bench/page_profile.py worklist|filtered|history|gp [--runs 100] [--profile]

The page and its baseline run in turn (a b a b …); --profile then prints the page's cProfile
(20 requests, cumulative time). Nothing is written but sessions."""

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

PAGES = ("worklist", "filtered", "history", "gp")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=PAGES)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not database.open_last_run():
        return 2
    from django.urls import reverse

    from bench import pages

    if args.page == "gp":
        client = pages.logged_in(pages.gps_to_measure()[0][1])
        page, base, params = reverse("home_gp"), reverse("bench_gp_rows"), {}
    else:
        client = pages.logged_in(pages.RADIOLOGIST)
        page, base = reverse("home_radiologist"), reverse("bench_worklist_rows")
        params = {"worklist": {}, "filtered": pages.FILTERED, "history": pages.HISTORY}[args.page]
    for _ in range(5):
        pages.fetch(client, page, params)
        pages.fetch(client, base, params)
    times: dict[str, list[float]] = {page: [], base: []}
    cpu = dict.fromkeys(times, 0.0)
    for _ in range(args.runs):
        for path in (page, base):
            started, started_cpu = time.perf_counter(), time.process_time()
            pages.fetch(client, path, params)
            times[path].append((time.perf_counter() - started) * 1000)
            cpu[path] += time.process_time() - started_cpu
    page_ms, base_ms = statistics.median(times[page]), statistics.median(times[base])
    print(
        f"{args.page}: page median {page_ms:.1f} ms (CPU {cpu[page] / args.runs * 1000:.1f} ms), "
        f"baseline median {base_ms:.1f} ms (CPU {cpu[base] / args.runs * 1000:.1f} ms), "
        f"ratio {page_ms / base_ms:.2f}x over {args.runs} runs each"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            pages.fetch(client, page, params)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "50"))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
