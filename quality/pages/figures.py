"""Tables and their charts: what every quality table is made of, for the page, the CSV and the
PDF alike. Charts are horizontal bars whose geometry is computed here and drawn as SVG by
templates/quality/_chart.html."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.formats import number_format
from django.utils.text import Truncator

# Each row: its label on a line of its own (never cut at the chart's left edge), then the bar and
# its value. In viewBox units; a phone shows the chart at about 0.7 of this size.
CHART_WIDTH = 480
BAR_LEFT = 0
BAR_WIDTH = 380
ROW_HEIGHT = 48
# A label longer than this ends with an ellipsis (the chart is 480 units wide).
LABEL_CHARS = 58


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int
    target_x: int | None = None
    muted: bool = False  # the clinic's bar beside a GP's own (drawn grey)

    @property
    def short_label(self) -> str:
        return Truncator(self.label).chars(LABEL_CHARS)

    @property
    def label_y(self) -> int:
        return self.y + 15

    @property
    def bar_y(self) -> int:
        return self.y + 21

    @property
    def text_y(self) -> int:
        return self.y + 36

    @property
    def text_x(self) -> int:
        return BAR_LEFT + self.width + 6

    @property
    def target_top(self) -> int:
        return self.bar_y - 3

    @property
    def target_bottom(self) -> int:
        return self.bar_y + 23


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    description: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bars: tuple[Bar, ...] = field(default=())

    @property
    def body(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each row as its heading cell and the others (the template writes no test per cell)."""
        return tuple((row[0], row[1:]) for row in self.rows)

    @property
    def chart_height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 8

    @property
    def bar_left(self) -> int:
        return BAR_LEFT

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH


def bars(
    values: list[tuple[str, float | None, str]],
    *,
    scale: float | None = None,
    target: float | None = None,
) -> tuple[Bar, ...]:
    """Bars of (label, value, text) scaled to `scale` (the largest value by default)."""
    top = scale or max((v for _, v, _ in values if v), default=0) or 1
    target_x = None if target is None else BAR_LEFT + round(BAR_WIDTH * min(target / top, 1))
    return tuple(
        Bar(
            label=label,
            text=text,
            y=4 + i * ROW_HEIGHT,
            width=round(BAR_WIDTH * min((value or 0) / top, 1)),
            target_x=target_x,
        )
        for i, (label, value, text) in enumerate(values)
    )


def paired_bars(
    rows: list[tuple[str, float | None, str, float | None, str]],
    *,
    mine: str,
    theirs: str,
    scale: float | None = None,
) -> tuple[Bar, ...]:
    """Two bars per (label, value, text, other value, other text): `mine` then `theirs` (grey),
    on one scale so that their lengths compare."""
    flat: list[tuple[str, float | None, str]] = []
    for label, value, text, other, other_text in rows:
        flat += [(f"{label} — {mine}", value, text), (f"{label} — {theirs}", other, other_text)]
    return tuple(replace(bar, muted=bool(i % 2)) for i, bar in enumerate(bars(flat, scale=scale)))


def days(value: float | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value * 100, decimal_pos=0)} %"


def count(value: int | None) -> str:
    return "—" if value is None else str(value)
