"""The fixed cost of one small query through Django's ORM, part by part, on the database the last
`make bench` left: what any query costs before it reads anything (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimento_dev \\
        .venv/bin/python bench/query_cost.py [--runs 1000]

The query is the GP home's active bookings of two scheduled referrals (two rows by index). Each
part runs in turn (a b c …), and the median of each is printed. Nothing is written."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from bench import database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    if not database.open_last_run():
        return 2
    from django.db import connection

    from scheduling.models import ACTIVE_BOOKING_STATUSES, Booking

    ids = list(
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES).values_list(
            "referral_id", flat=True
        )[:2]
    )
    if len(ids) < 2:
        print("no bookings: run `make bench` first", file=sys.stderr)
        return 2

    def build() -> Any:
        return Booking.objects.filter(
            referral_id__in=ids, status__in=ACTIVE_BOOKING_STATUSES
        ).values_list("referral_id", "session__date", "arrival_time", "status")

    def build_and_compile() -> tuple[str, tuple[Any, ...]]:
        return build().query.get_compiler(using="default").as_sql()  # type: ignore[no-any-return]

    sql, params = build_and_compile()

    def database_only() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def round_trip() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchall()

    def orm() -> object:
        return list(build())

    parts: dict[str, Callable[[], object]] = {
        "SELECT 1 (the round trip)": round_trip,
        "the query's SQL alone (plan, run, fetch)": database_only,
        "building the queryset": build,
        "building and compiling it": build_and_compile,
        "the whole ORM query": orm,
    }
    times: dict[str, list[float]] = {name: [] for name in parts}
    for run in range(args.runs + 50):
        for name, work in parts.items():
            started = time.perf_counter()
            work()
            if run >= 50:  # warm-up
                times[name].append((time.perf_counter() - started) * 1000)
    for name, values in times.items():
        print(f"{name:45s} {statistics.median(values):6.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
