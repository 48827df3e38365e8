"""The patient search of the GP's list, the worklist and the desk: by name, birth date or NIR,
within what the user's lists show, each search written to the access log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.audit import log_patient_search
from clinic.models import Role, User
from clinic.roles import role_required
from referrals.pages.search import search_rows
from referrals.selectors import SEARCH_LIMIT, parse_patient_query, search_referrals

HOMES: dict[str, str] = {
    Role.GP: "home_gp",
    Role.RADIOLOGIST: "home_radiologist",
    Role.SECRETARY: "home_secretary",
}


@role_required(Role.GP, Role.RADIOLOGIST, Role.SECRETARY)
def search(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    text = request.GET.get("q", "").strip()[:100]
    query = parse_patient_query(text)
    found = list(search_referrals(user=user, query=query))
    if text:
        log_patient_search(
            request, query=text, patient_ids=sorted({r.patient_id for r in found if r.patient_id})
        )
    return render(
        request,
        "referrals/search.html",
        {
            "q": text,
            "query": query,
            "rows": search_rows(user, found),
            "limit": SEARCH_LIMIT,
            "home": HOMES[user.role],
        },
    )
