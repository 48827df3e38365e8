"""What the list pages share (the worklist, the GP home page): labels looked up once a page, and
the paging of their rows.

A list page reads its rows as plain values (`values()`), turns each into a frozen row object of
texts, dates, urls and badge classes, and its template writes them with one `{% for %}` loop
(conventions § 12, docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from clinic.links import url_pattern


@dataclass(frozen=True)
class RowsPage:
    """A page of frozen rows, for a template to loop over."""

    number: int
    rows: Sequence[Any]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


class PageLabels:
    """What the rows of a page say alike, looked up once a page: a choice's label translated
    again, or a URL reversed again, for every row cost more than the rest of the row."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, object], str] = {}

    def url(self, name: str) -> str:
        """The URL of `name` for one object, with « {} » where its id goes (for `str.format`)."""
        return url_pattern(name)

    def memo(self, kind: str, key: object, text: Callable[[], object]) -> str:
        """A plain text (the template escapes it), computed once a page for each (kind, key)."""
        found = self._memo.get((kind, key))
        if found is None:
            found = self._memo[(kind, key)] = str(text())
        return found


# Any larger page number is this one: past the end of any list, so its last page.
MAX_PAGE = 1_000_000


def page_number(raw: str | None) -> int:
    """The page asked for: anything but a positive number (in ASCII digits: « ² » is a digit to
    Python, not a number) is the first page; a huge number is MAX_PAGE."""
    if not raw or not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(raw), 1), MAX_PAGE)


@dataclass(frozen=True)
class IdWindow:
    """The ids a list page reads from its index: its own, one more (is there a next page?), and
    on the first pages as many as it takes to count the list up to `cap`."""

    number: int
    start: int
    ids: list[int]
    page_size: int
    cap: int

    @property
    def page_ids(self) -> list[int]:
        return self.ids[: self.page_size]

    @property
    def has_next(self) -> bool:
        return len(self.ids) > self.page_size

    @property
    def total(self) -> int | None:
        """How many the list holds, when the window reached its end before the cap."""
        counted = self.start + len(self.ids)
        return counted if counted <= self.cap else None


def id_window(queryset: QuerySet[Any], *, number: int, page_size: int, cap: int) -> IdWindow:
    """Page `number` of an ordered queryset, read as ids (its index's entries alone; the top
    of cap + 1 costs what the top of a page does). A page past the end shows the last one (a
    link kept from a longer list): only then is the whole list counted."""

    def read(number: int) -> IdWindow:
        start = (number - 1) * page_size
        size = max(page_size + 1, cap + 1 - start)
        ids = list(queryset.values_list("pk", flat=True)[start : start + size])
        return IdWindow(number, start, ids, page_size, cap)

    window = read(number)
    if not window.ids and number > 1:
        window = read(max(1, -(-queryset.count() // page_size)))
    return window


def capped_count(queryset: QuerySet[Any], cap: int) -> int | None:
    """How many, reading at most cap + 1 index entries; None past the cap."""
    count = int(queryset.order_by().values("pk")[: cap + 1].count())
    return count if count <= cap else None
