"""What the list pages that write their rows in Python share (the worklist, the GP home page):
texts looked up once a page, and the paging of their rows (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Protocol

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clinic.links import url_pattern


class HtmlRow(Protocol):
    @property
    def html(self) -> SafeString: ...


@dataclass(frozen=True)
class RowsPage:
    """A page of rows written in Python, each with its `html` (every text escaped)."""

    number: int
    rows: Sequence[HtmlRow]

    @property
    def rows_html(self) -> SafeString:
        return mark_safe("".join(row.html for row in self.rows))  # rows escaped their texts

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


class PageTexts:
    """What the rows of a page say alike, looked up once a page: a translation, a URL reversal
    or a time zone lookup per cell cost more than the rest of a row."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self._memo: dict[tuple[str, object], str] = {}

    def url(self, name: str) -> str:
        """The escaped URL of `name` for one object, with « {} » where its id goes."""
        return escape(url_pattern(name))

    def memo(self, kind: str, key: object, text: Callable[[], str]) -> str:
        """An escaped text, computed once a page for each (kind, key)."""
        found = self._memo.get((kind, key))
        if found is None:
            found = self._memo[(kind, key)] = escape(text())
        return found

    def day(self, value: date | datetime | None) -> str:
        """dd/mm/yyyy (an instant in the clinic's time zone), as `date:"d/m/Y"` printed it."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.zone)
        return value.strftime("%d/%m/%Y")


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
