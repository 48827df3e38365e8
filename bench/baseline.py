"""Bare views: the rows a list page shows, read from the same table with the same query and
written out as plain text. No template, no counts, no joins beyond the names shown: what the
page would cost if it did nothing but fetch its rows (the baseline of the list figures).

They run through the same middleware as the product (session, authentication, CSP, …), so the
ratio page / baseline measures what the page itself adds."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.template.backends.django import Template
from django.utils import timezone

from referrals.models import Referral
from referrals.pages.gp_home import PAGE_SIZE as GP_PAGE_SIZE
from referrals.pages.gp_home import gp_referrals
from referrals.pages.worklist import PAGE_SIZE as WORKLIST_PAGE_SIZE
from referrals.selectors import (
    TO_REVIEW,
    WorklistFilters,
    worklist_referrals,
)

WORKLIST_COLUMNS = (
    "pk",
    "patient__birth_name",
    "patient__first_names",
    "patient__birth_date",
    "gp__last_name",
    "status",
    "verdict",
    "ideal_until",
    "latest_until",
    "submitted_at",
)
GP_COLUMNS = (
    "pk",
    "patient__birth_name",
    "patient__first_names",
    "status",
    "verdict",
    "target_before",
    "created_at",
)


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def _text(rows: list[tuple[object, ...]]) -> HttpResponse:
    body = "\n".join("\t".join(str(value) for value in row) for row in rows)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def worklist_rows(request: HttpRequest) -> HttpResponse:
    """The worklist page's rows (same filters, same order, same page)."""
    filters = WorklistFilters(
        status=request.GET.get("status") or TO_REVIEW,
        verdict=request.GET.get("verdict", ""),
        level=request.GET.get("level", ""),
    )
    start = (_page(request) - 1) * WORKLIST_PAGE_SIZE
    today = timezone.localdate()
    queryset = worklist_referrals(filters=filters, today=today)
    # The page's ids first, then their rows by id, as the page itself reads them
    # (referrals.pages.worklist): the fastest way to read these rows, so that the ratio shows all
    # the page adds to them.
    ids = list(queryset.values_list("pk", flat=True)[start : start + WORKLIST_PAGE_SIZE])
    by_id = {
        row[0]: row for row in Referral.objects.filter(pk__in=ids).values_list(*WORKLIST_COLUMNS)
    }
    return _text([by_id[pk] for pk in ids if pk in by_id])


def gp_rows(request: HttpRequest) -> HttpResponse:
    """The GP home page's rows: the user's referrals, newest first."""
    start = (_page(request) - 1) * GP_PAGE_SIZE
    rows = (
        gp_referrals(request.user)  # type: ignore[arg-type]
        .order_by("-created_at", "-id")
        .values_list(*GP_COLUMNS)
    )
    return _text(list(rows[start : start + GP_PAGE_SIZE]))


@cache
def _layout() -> Template:
    # Compiled once per process, as the cached template loader keeps the product's templates.
    return engines["django"].from_string(  # type: ignore[return-value]
        '{% extends "base.html" %}{% block title %}Cimento{% endblock %}'
    )


def layout_page(request: HttpRequest) -> HttpResponse:
    """An empty page in the product's layout (menu, messages, footer with the language form),
    no query of its own: the least any page of Cimento costs, to set beside the bare views."""
    return HttpResponse(_layout().render({}, request))
