"""The one table `make bench` prints: a row per figure, its baseline ratio and its target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    figure: str
    median: float
    p95: float
    unit: str  # "ms", "evaluations/s", "MB"
    via: str = "-"  # "client" (Django test client, in process), "HTTP" (gunicorn), "-" (no web)
    baseline: float | None = None  # the baseline's median, same unit
    target: str = ""
    met: bool | None = None  # None: no target on this row
    runs: int = 0

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.median / self.baseline


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:,.1f}"
    if unit == "x":
        return f"{value:.2f}"
    if unit == "requests/s":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def render(rows: list[Row], *, title: str, notes: list[str]) -> str:
    header = ("figure", "via", "runs", "median", "p95", "unit", "baseline", "ratio", "target", "")
    table = [header]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        verdict = "" if row.met is None else ("met" if row.met else "MISSED")
        table.append(
            (
                row.figure,
                row.via,
                str(row.runs or "-"),
                _number(row.median, row.unit),
                _number(row.p95, row.unit),
                row.unit,
                _number(row.baseline, row.unit),
                ratio,
                row.target,
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    right = {2, 3, 4, 6, 7}
    lines = [title, ""]
    for index, line in enumerate(table):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", *notes]
    return "\n".join(lines)
