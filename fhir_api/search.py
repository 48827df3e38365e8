"""Searches over the client's GP's referrals (Task, ServiceRequest): parameters, paging and the
searchset Bundle. Another GP's referrals are never candidates; a search naming another requester
finds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from clinic.models import AccessLog, Role, User
from fhir_api.http import FhirRefused, Issue
from fhir_api.resources import parse_instant
from referrals.choices import Status
from referrals.models import Referral

DEFAULT_COUNT, MAX_COUNT = 50, 100
PREFIXES = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


@dataclass(frozen=True)
class Found:
    total: int
    offset: int
    count: int
    page: list[Referral]


def referrals_for_search(request: HttpRequest, gp: User, *, allowed: tuple[str, ...]) -> Found:
    params = request.GET
    unknown = set(params) - {*allowed, "_count", "_offset", "_format"}
    if unknown:
        raise FhirRefused(
            [
                Issue(
                    _("Paramètre de recherche non pris en charge : %(name)s.") % {"name": n},
                    n,
                    code="not-supported",
                )
                for n in sorted(unknown)
            ],
            status=400,
        )
    referrals: QuerySet[Referral] = Referral.objects.filter(gp=gp).exclude(
        status__in=(Status.DRAFT, Status.DISCARDED)
    )
    requester = params.get("requester")
    if requester is not None and requester.removeprefix("Practitioner/") != str(gp.pk):
        referrals = referrals.none()
    for value in params.getlist("_lastUpdated"):
        referrals = referrals.filter(_updated_since(value))
    total = referrals.count()
    offset = _integer(params.get("_offset"), 0, "_offset", maximum=10**9)
    count = _integer(params.get("_count"), DEFAULT_COUNT, "_count", maximum=MAX_COUNT)
    page = list(
        referrals.select_related("gp", "current_decision").order_by("updated_at", "id")[
            offset : offset + count
        ]
    )
    return Found(total=total, offset=offset, count=count, page=page)


def _updated_since(value: str) -> Q:
    """`_lastUpdated=gt2026-12-04T09:00:00+01:00`: a Task changes with its referral, and when a
    radiologist first opens it (received)."""
    prefix, raw = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
    moment = _instant(raw)
    if prefix == "eq":
        raise FhirRefused(
            [Issue(_("Utilisez _lastUpdated avec gt, ge, lt ou le."), "_lastUpdated")], status=400
        )
    lookup = PREFIXES[prefix]
    opened = AccessLog.objects.filter(
        referral_id=OuterRef("pk"),
        user__role=Role.RADIOLOGIST,
        outcome=AccessLog.Outcome.GRANTED,
        **{f"at__{lookup}": moment},
    )
    updated = Q(**{f"updated_at__{lookup}": moment})
    return (
        updated | Q(Exists(opened), status=Status.SUBMITTED) if prefix in ("gt", "ge") else updated
    )


def _instant(raw: str) -> datetime:
    moment = parse_instant(raw)
    if moment is None and len(raw) == 10:
        try:
            day = parse_date(raw)
        except ValueError:  # no such day
            day = None
        if day is not None:
            moment = datetime.fromisoformat(f"{day.isoformat()}T00:00:00+00:00")
    if moment is None:
        raise FhirRefused(
            [
                Issue(
                    _("Date non reconnue : 2026-12-04T09:00:00+01:00 par exemple."), "_lastUpdated"
                )
            ],
            status=400,
        )
    return moment


def _integer(raw: str | None, default: int, name: str, *, maximum: int) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise FhirRefused(
            [
                Issue(
                    _("%(name)s : un entier de 0 à %(max)d.") % {"name": name, "max": maximum}, name
                )
            ],
            status=400,
        )
    return int(raw)


def searchset(
    request: HttpRequest, found: Found | None, resources: list[dict[str, Any]], kind: str
) -> dict[str, Any]:
    base = request.build_absolute_uri(request.path)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": found.total if found is not None else len(resources),
        "link": [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": [
            {
                "fullUrl": request.build_absolute_uri(
                    f"{request.path.rstrip('/').rsplit('/', 1)[0]}/{kind}/{r['id']}"
                ),
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
    if found is not None and found.offset + found.count < found.total:
        params = request.GET.copy()
        params["_offset"] = str(found.offset + found.count)
        params["_count"] = str(found.count)
        bundle["link"].append(
            {"relation": "next", "url": f"{base}?{urlencode(list(params.lists()), doseq=True)}"}
        )
    return bundle
