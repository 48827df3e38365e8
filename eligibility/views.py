"""The rules page: every rule the engine runs, generated from the engine's own table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from clinic.models import Role
from clinic.roles import role_required
from eligibility.adapter import engine_settings
from eligibility.engine import EFFECT_LABELS, RULESET_VERSION, Scope, rules_for

SCOPE_TITLES = {
    Scope.LEVEL: ("Règles par niveau vertébral", "Per-level rules"),
    Scope.PATIENT: ("Règles par patient", "Per-patient rules"),
    Scope.MEDICATION: ("Médicaments et anesthésie", "Medication and anaesthesia"),
}


@role_required(Role.GP, Role.RADIOLOGIST, Role.SECRETARY, Role.ADMIN)
def rules_page(request: HttpRequest) -> HttpResponse:
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    settings = engine_settings()
    groups = []
    for scope, titles in SCOPE_TITLES.items():
        rows = [
            {
                "id": rule.id,
                "condition": rule.condition(lang),
                "effect": rule.effect,
                "effect_label": EFFECT_LABELS.get(rule.effect, {}).get(lang, rule.effect),
                "message": rule.message(lang),
                "source": rule.source,
                "hold_days": rule.hold_days(settings),
                # A drug's hold is its last dose J−n; the consultation's is a deadline.
                "hold_is_deadline": (rule.hold_setting or "").startswith("anaesthesia"),
                "origin": "B" if rule.id.startswith("B-") else "G",
            }
            for rule in rules_for(settings)
            if rule.scope == scope
        ]
        groups.append({"title": titles[1] if lang == "en" else titles[0], "rules": rows})
    return render(
        request,
        "eligibility/rules.html",
        {"groups": groups, "ruleset_version": RULESET_VERSION},
    )
