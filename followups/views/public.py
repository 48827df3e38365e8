"""The patient's questionnaire, opened by their personal link: no login, nothing shown but the
questions (no name, no date, no clinical data), rate-limited per address. A wrong, expired or
used token gets the same plain page, with the same status, and no data (security row 34)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.ratelimit import rate_limit
from followups.forms import QuestionnaireForm
from followups.links import live_link
from followups.services.answers import LinkDead, followup_answer_by_link


def _dead(request: HttpRequest) -> HttpResponse:
    return render(request, "followups/link_dead.html", status=404)


@login_not_required
@never_cache
@rate_limit("followup-link", limit=30, window_seconds=600, methods=("GET", "POST"))
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if live_link(token) is None:
        return _dead(request)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_answer_by_link(token=token, data=form.to_input())
        except LinkDead:
            return _dead(request)
        return render(request, "followups/thanks.html")
    # The token is in the address: the site's « Referrer-Policy: same-origin » keeps it from
    # other sites (« no-referrer » would make the browser post with « Origin: null », which the
    # CSRF check refuses).
    return render(request, "followups/questionnaire.html", {"form": form})
