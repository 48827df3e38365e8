"""make bench: every performance figure in one table (median, p95, ratio to its baseline).

Sections are added as the product grows; see docs/performance.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import engine_bench  # noqa: E402


def main() -> int:
    rows = engine_bench.run(repeats=30)
    print(f"{'figure':<40} {'median':>14} {'p95':>14}  unit")
    for row in rows:
        print(f"{row['name']:<40} {row['median']:>14,.0f} {row['p95']:>14,.0f}  {row['unit']}")
    one_level = next(r for r in rows if r["name"] == engine_bench.ONE_LEVEL)
    return 0 if one_level["median"] >= engine_bench.TARGET_ONE_LEVEL else 1


if __name__ == "__main__":
    raise SystemExit(main())
