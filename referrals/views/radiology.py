"""The radiologist's pages: worklist, referral review, decisions (documents: reports/views.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from referrals import workflow
from referrals.access import get_referral_for
from referrals.choices import Antithrombotic, DecisionKind, Status
from referrals.forms.decisions import FORMS
from referrals.forms.worklist_filters import STATUS_CHOICES, WorklistFilterForm
from referrals.models import Referral
from referrals.pages.clinical_facts import clinical_fact_rows
from referrals.pages.fact_changes import facts_changes
from referrals.pages.presentation import (
    VERDICT_BADGES,
    age_on,
    group_findings,
    rule_ids,
    urgency_of,
    verdict_label,
)
from referrals.pages.rows import page_number
from referrals.pages.timeline import event_details, event_label
from referrals.pages.worklist import WorklistPage, worklist_page
from referrals.selectors import (
    CLOSED_STATUSES,
    attachments_of,
    count_label,
    decisions_of,
    latest_snapshot,
    timeline_of,
    worklist_counts,
    worklist_referrals,
)
from referrals.services import decisions
from referrals.services.evaluation import referral_follow_ruleset


@role_required(Role.RADIOLOGIST)
def worklist(request: HttpRequest) -> HttpResponse:
    """Referrals most urgent first, filtered by status, engine verdict and level."""
    today = timezone.localdate()
    form = WorklistFilterForm(request.GET or None)
    filters = form.filters()
    counts = worklist_counts()
    page = worklist_page(
        worklist_referrals(filters=filters, today=today),
        filters=filters,
        counts=counts,
        number=page_number(request.GET.get("page")),
        today=today,
    )
    tabs = [
        {
            "label": label,
            "count": count_label(counts[key]),
            "active": key == filters.status,
            "href": _query(request, status=key, page=None),
        }
        for key, label in STATUS_CHOICES
    ]
    return render(
        request,
        "referrals/radiology_worklist.html",
        {
            "form": form,
            "filters": filters,
            "tabs": tabs,
            "page": page,
            "page_range": _page_range(page),
            "closed": filters.status in CLOSED_STATUSES,
        },
    )


def _query(request: HttpRequest, **changes: str | None) -> str:
    """The current query string with some parameters set or (None) removed, as Django's
    `{% querystring %}` writes it, for the nine tabs at once."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"


def _page_range(page: WorklistPage) -> list[int | str]:
    """Page links: all of them around the current page when the total is known, else none
    (the list then offers previous and next)."""
    if page.last_page is None:
        return []
    paginator: Paginator[int] = Paginator(range(page.last_page), 1)
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [number if isinstance(number, int) else "…" for number in numbers]


def _review_context(referral: Referral, user: User, today: date) -> dict[str, Any]:
    snapshot = latest_snapshot(referral)
    history = list(decisions_of(referral))
    current = next((d for d in history if d.pk == referral.current_decision_id), None)
    basis = decisions.engine_basis(referral, as_of=today)
    # The stored evaluation may be days old: windows move with time, so say when today's
    # evaluation (the one a decision will record) reads differently.
    reevaluated = None
    if basis is not None and snapshot is not None:
        added = [r for r in rule_ids(basis.output) if r not in rule_ids(snapshot.output)]
        removed = [r for r in rule_ids(snapshot.output) if r not in rule_ids(basis.output)]
        if basis.verdict != snapshot.verdict or added or removed:
            reevaluated = {
                "verdict": basis.verdict,
                "verdict_label": verdict_label(basis.verdict),
                "added": added,
                "removed": removed,
            }
    changes = []
    if current is not None and snapshot is not None:
        changes = facts_changes(current.facts, snapshot.facts)
    allowed = decisions.allowed_decisions(user, referral)
    blocked = None
    if not allowed:
        blocked = workflow.refusal(referral, "accept")
    return {
        **_facts_context(referral, today),
        "actions": _actions(referral, allowed),
        "referral": referral,
        "patient": referral.patient,
        "age": age_on(referral.patient.birth_date if referral.patient else None, today),
        "attachments": list(attachments_of(referral)),
        "snapshot": snapshot,
        "groups": group_findings(snapshot.output if snapshot else None),
        "procedure": (snapshot.output if snapshot else {}).get("procedure", {}),
        "verdict_badge": VERDICT_BADGES.get(referral.verdict, "text-bg-secondary"),
        "verdict_label": verdict_label(referral.verdict),
        "reevaluated": reevaluated,
        "urgency": urgency_of(
            ideal_until=referral.ideal_until, latest_until=referral.latest_until, today=today
        ),
        "decisions": history,
        "current_decision": current,
        "facts_changes": changes,
        "allowed": allowed,
        "blocked": blocked,
        "events": [
            (event, event_label(event.action), event_details(event.action, event.data))
            for event in timeline_of(referral)
        ],
        "surgery_redirect": current is not None and current.kind == DecisionKind.REDIRECT_SURGERY,
        "today": today,
    }


RED_FLAG_FIELDS = (
    "active_infection",
    "uncorrectable_coagulopathy",
    "cement_allergy",
    "neurological_deficit",
    "high_energy_trauma",
    "pregnant",
    "cannot_lie_prone",
)


def _actions(referral: Referral, allowed: list[str]) -> list[tuple[str, str, Promise, str]]:
    """The decision buttons: kind, url name, label, Bootstrap style (from the workflow table)."""
    actions = []
    for kind in allowed:
        transition = workflow.TRANSITIONS[kind]
        label = transition.label
        if kind == DecisionKind.ACCEPT and referral.status == Status.ACCEPTED:
            label = gettext_lazy("Modifier l’acceptation")
        actions.append((kind, transition.url_name, label, transition.style))
    return actions


def _facts_context(referral: Referral, today: date) -> dict[str, Any]:
    """The clinical facts as the page shows them."""
    levels = referral.levels_in_order()
    antithrombotics = dict(Antithrombotic.choices)
    return {
        "level_rows": [
            (lv, (today - lv.fracture_date).days if lv.fracture_date else None) for lv in levels
        ],
        "red_flags": [
            getattr(Referral._meta.get_field(name), "verbose_name", name)
            for name in RED_FLAG_FIELDS
            if getattr(referral, name)
        ],
        "antithrombotic_labels": [antithrombotics.get(a, a) for a in referral.antithrombotics],
        "clinical_facts": clinical_fact_rows(referral),
    }


@role_required(Role.RADIOLOGIST)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk)
    if referral_follow_ruleset(referral=referral) is not None:
        referral.refresh_from_db()
    context = _review_context(referral, request.user, timezone.localdate())  # type: ignore[arg-type]
    return render(request, "referrals/radiology_referral.html", context)


SERVICES: dict[str, Callable[..., Any]] = {
    DecisionKind.ACCEPT: decisions.accept_referral,
    DecisionKind.DECLINE: decisions.decline_referral,
    DecisionKind.REQUEST_INFORMATION: decisions.request_information,
    DecisionKind.REDIRECT_SURGERY: decisions.redirect_to_surgery,
}


def _decide(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = get_referral_for(
        request, pk, perm="referrals.decide_referral", what="referral.decision"
    )
    refusal = workflow.refusal(referral, kind)
    if refusal:
        messages.error(request, refusal)
        return redirect("referrals:radiology_referral", pk=referral.pk)
    today = timezone.localdate()
    basis = decisions.engine_basis(referral, as_of=today)
    if basis is None:
        messages.error(request, _("Cette demande ne comporte aucun niveau fracturé à évaluer."))
        return redirect("referrals:radiology_referral", pk=referral.pk)
    form = FORMS[kind](request.POST or None, referral=referral, basis=basis)
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[kind](
                referral=referral,
                by=user,
                based_on=form.cleaned_data["based_on"],
                **form.service_input(),
            )
        except DomainError as error:
            show(request, error, form)
        else:
            messages.success(request, str(workflow.TRANSITIONS[kind].done))
            return redirect("referrals:radiology_referral", pk=referral.pk)
    context = _review_context(referral, user, today)
    context.update({"form": form, "kind": kind, "kind_label": workflow.TRANSITIONS[kind].title})
    return render(request, "referrals/radiology_decide.html", context)


@role_required(Role.RADIOLOGIST)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, DecisionKind.ACCEPT)


@role_required(Role.RADIOLOGIST)
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, DecisionKind.DECLINE)


@role_required(Role.RADIOLOGIST)
def request_information(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, DecisionKind.REQUEST_INFORMATION)


@role_required(Role.RADIOLOGIST)
def redirect_to_surgery(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, DecisionKind.REDIRECT_SURGERY)
