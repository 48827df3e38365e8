"""Eligibility-engine throughput: evaluations per second on one core.

Evaluation is single-threaded, so one process measures one core. Runs are timed in the process's
CPU time, not wall-clock time, so other work on a shared machine does not count against the
engine (it still slows it a little, through caches).

    .venv/bin/python bench/engine_bench.py [--repeats 30]

Each run times a batch of evaluations of the same referral; a row gives the median rate over the
runs and the p95 rate, the rate that 95 % of runs reached (the slow side, since a floor is what a
target needs). ``run(repeats)`` returns the rows for ``make bench``; the script also prints them
and exits 1 when the one-level median misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eligibility.engine import ReferralFacts

TARGET_ONE_LEVEL = 50_000  # evaluations per second, one level, one core
BATCH = 2_000  # evaluations per timed run: long enough for the clock, short enough to sample
ONE_LEVEL = "evaluate, one level"
UNIT = "evaluations/s"
TODAY = date(2026, 11, 28)


def _importable() -> None:
    # Run as a script, Python puts bench/ on the path, not the project root.
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


def _referral(levels: list[dict[str, Any]], drugs: list[str]) -> dict[str, Any]:
    return {
        "as_of": TODAY.isoformat(),
        "patient": {"birth_date": "1941-03-02", "sex": "F"},
        "levels": levels,
        "imaging": {"ct": True, "mri": True},
        "pain": {"nrs": 8, "analgesics_failed": True},
        "antithrombotics": drugs,
    }


def _one_level() -> dict[str, Any]:
    # The spec's example referral.
    return _referral(
        [{"level": "L1", "fracture_date": "2026-11-15", "cause": "trauma", "mri_oedema": True}],
        ["aspirin"],
    )


def _three_levels() -> dict[str, Any]:
    levels = [
        {"level": name, "fracture_date": when, "cause": "osteoporotic", "mri_oedema": True}
        for name, when in (("T12", "2026-11-01"), ("L1", "2026-10-10"), ("L2", "2026-11-20"))
    ]
    return _referral(levels, ["aspirin", "clopidogrel"])


def _rates(work: Callable[[], object], repeats: int) -> list[float]:
    # Untimed warm-up: the first call compiles the rule table, and the first batches run while
    # the CPU clock ramps up; the target is about steady state.
    for _ in range(5 * BATCH):
        work()
    rates = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(BATCH):
            work()
        rates.append(BATCH / (time.process_time() - start))
    return rates


def _row(name: str, rates: list[float]) -> dict[str, Any]:
    slow_side = statistics.quantiles(rates, n=20, method="inclusive")[0] if len(rates) > 1 else 0
    return {
        "name": name,
        "median": round(statistics.median(rates)),
        "p95": round(slow_side or rates[0]),
        "unit": UNIT,
    }


def run(repeats: int = 30) -> list[dict[str, Any]]:
    """Time the engine; one row per case: ``{name, median, p95, unit}``."""
    _importable()
    from eligibility.engine import decision_to_dict, evaluate, facts_from_dict

    one: ReferralFacts = facts_from_dict(_one_level(), today=TODAY)
    three: ReferralFacts = facts_from_dict(_three_levels(), today=TODAY)
    raw = _one_level()

    def from_json() -> object:
        return decision_to_dict(evaluate(facts_from_dict(raw, today=TODAY)), lang="fr")

    return [
        _row(ONE_LEVEL, _rates(lambda: evaluate(one), repeats)),
        _row("evaluate, three levels", _rates(lambda: evaluate(three), repeats)),
        _row("JSON in, evaluate, JSON out, one level", _rates(from_json, repeats)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed runs per case")
    args = parser.parse_args(argv)
    rows = run(args.repeats)
    width = max(len(row["name"]) for row in rows)
    print(f"{'case':<{width}}  {'median':>9}  {'p95':>9}  unit  ({args.repeats} runs x {BATCH})")
    for row in rows:
        print(f"{row['name']:<{width}}  {row['median']:>9,}  {row['p95']:>9,}  {row['unit']}")
    one_level = next(row for row in rows if row["name"] == ONE_LEVEL)
    met = one_level["median"] >= TARGET_ONE_LEVEL
    print(f"target: {ONE_LEVEL} >= {TARGET_ONE_LEVEL:,} {UNIT}: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
