"""CDS Hooks 2.0: the eligibility engine's advice on a vertebroplasty order, selected or signed.

The hook's resources (the draft orders' Bundle, then the prefetch) are read into the referral
form's fields by the same mapping as a posted Bundle (fhir_api/intake.py), validated by the same
forms as the page's live panel (nothing is saved), and evaluated by the same engine. Each finding
becomes a card: critical for a contraindication, warning for what is missing or needs review, info
for a probable indication. docs/api.md describes the service."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import RULESET_VERSION, Decision, Finding, Verdict
from fhir_api import codes
from fhir_api.cds_suggestions import suggestions
from fhir_api.intake import FormPost, read_clinical
from referrals.forms.bundle import ReferralFormBundle

SERVICE_ID = "cimento-vertebroplasty"
HOOKS = ("order-sign", "order-select")
RULE_SYSTEM = f"{codes.CIMENTO}/CodeSystem/eligibility-rule"
OVERRIDE_SYSTEM = f"{codes.CIMENTO}/CodeSystem/cds-override-reason"
SUMMARY_MAX = 140

PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
    "medications": "MedicationStatement?patient={{context.patientId}}&status=active",
    "observations": "Observation?patient={{context.patientId}}&status=final",
    "allergies": "AllergyIntolerance?patient={{context.patientId}}",
}

# What a finding's effect means to the prescriber.
CRITICAL = (Verdict.NOT_ELIGIBLE, Verdict.SURGICAL_REFERRAL)
WARNING = (Verdict.NEEDS_REVIEW, Verdict.INCOMPLETE, "action")


def services() -> list[dict[str, Any]]:
    """The discovery document's services: one id per hook, the same code behind both."""
    return [
        {
            "id": hook_service_id(hook),
            "hook": hook,
            "title": _("Cimento : éligibilité à la vertébroplastie"),
            "description": _(
                "Règles %(version)s de Cimento appliquées à une demande de vertébroplastie : "
                "contre-indications, éléments manquants, indication probable."
            )
            % {"version": RULESET_VERSION},
            "prefetch": dict(PREFETCH),
        }
        for hook in HOOKS
    ]


def hook_service_id(hook: str) -> str:
    return SERVICE_ID if hook == "order-sign" else f"{SERVICE_ID}-select"


def service_hook(service_id: str) -> str | None:
    return next((h for h in HOOKS if hook_service_id(h) == service_id), None)


def check_request(body: Any, hook: str) -> None:
    """DomainError naming what is wrong with a hook call; every resource it carries must be
    valid FHIR R4 (read with fhir.resources' R4B models, as a posted Bundle is)."""
    if not isinstance(body, dict) or body.get("hook") != hook:
        raise DomainError(_("Ce service répond au hook %(hook)s.") % {"hook": hook}, field="hook")
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        raise DomainError(_("« hookInstance » est obligatoire."), field="hookInstance")
    context = body.get("context")
    if not isinstance(context, dict) or not isinstance(context.get("draftOrders"), dict):
        raise DomainError(
            _("« context.draftOrders » (un Bundle) est obligatoire."), field="context.draftOrders"
        )
    selections = context.get("selections", [])
    if not isinstance(selections, list) or not all(isinstance(s, str) for s in selections):
        raise DomainError(_("« selections » est une liste de références."), field="selections")
    prefetch = body.get("prefetch", {})
    if not isinstance(prefetch, dict):
        raise DomainError(_("« prefetch » doit être un objet."), field="prefetch")
    named = [("context.draftOrders", context["draftOrders"])]
    named += [(f"prefetch.{key}", value) for key, value in prefetch.items() if value is not None]
    for at, resource in named:
        check_resource(at, resource)
    if "fhirServer" in body and not isinstance(body["fhirServer"], str):
        raise DomainError(_("« fhirServer » est une URL."), field="fhirServer")


def check_resource(at: str, resource: Any) -> None:
    """DomainError unless `resource` is valid FHIR R4 (fhir.resources' R4B models)."""
    from fhir.resources.R4B import get_fhir_model_class

    kind = resource.get("resourceType") if isinstance(resource, dict) else None
    try:
        get_fhir_model_class(str(kind)).model_validate(resource)
    except (ValueError, TypeError, KeyError):  # KeyError: fhir.resources on a blank type
        raise DomainError(_("Ressource FHIR R4 invalide."), field=at) from None


def _entries(bundle: Any) -> list[dict[str, Any]]:
    if isinstance(bundle, dict) and bundle.get("resourceType") == "Bundle":
        return [
            e["resource"]
            for e in bundle.get("entry") or []
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    return [bundle] if isinstance(bundle, dict) and bundle.get("resourceType") else []


def is_vertebroplasty(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") != "ServiceRequest":
        return False
    codings = (resource.get("code") or {}).get("coding") or []
    return any(
        isinstance(c, dict)
        and c.get("system") == codes.SNOMED
        and c.get("code") == codes.VERTEBROPLASTY[0]
        for c in codings
    )


def hook_resources(body: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The clinical resources of the hook (draft orders first, then prefetch), and the
    vertebroplasty orders among the draft orders (the selected ones for order-select)."""
    context = body.get("context") or {}
    drafts = _entries(context.get("draftOrders"))
    selections = set(context.get("selections") or [])
    orders = [r for r in drafts if is_vertebroplasty(r)]
    if selections:  # order-select: only the orders just selected count
        orders = [r for r in orders if f"ServiceRequest/{r.get('id')}" in selections]
    found = [r for r in drafts if r.get("resourceType") != "ServiceRequest"]
    for value in (body.get("prefetch") or {}).values():
        found.extend(_entries(value))
    return found, orders


def _is_fracture(condition: dict[str, Any]) -> bool:
    """A Condition that names a vertebra (an EHR's problem list holds many others)."""
    return any(
        c.get("system") == codes.SNOMED and c.get("code") in codes.SNOMED_LEVEL
        for site in condition.get("bodySite") or []
        for c in (site.get("coding") or [])
        if isinstance(c, dict)
    )


def _when(resource: dict[str, Any]) -> str:
    return str(resource.get("effectiveDateTime") or resource.get("issued") or "")


def form_post(resources: list[dict[str, Any]]) -> FormPost:
    """The referral form's fields from the hook's resources; the latest Observation of a kind
    wins, and what the mapping does not know (other drugs, other problems) is left out."""
    post = FormPost()
    levels = 0
    ordered = sorted(resources, key=lambda r: (r.get("resourceType") == "Observation", _when(r)))
    for index, resource in enumerate(ordered):
        if resource.get("resourceType") == "Condition" and not _is_fracture(resource):
            continue
        at = f"{resource.get('resourceType')}[{index}]"
        if read_clinical(post, at, resource, level_number=levels):
            levels += resource.get("resourceType") == "Condition"
    post.put("levels-TOTAL_FORMS", levels, "Bundle")
    post.put("levels-INITIAL_FORMS", 0, "Bundle")
    return post


def decision_for(resources: list[dict[str, Any]], *, today: date) -> Decision | None:
    """The engine's decision on the hook's facts, as the page's live panel evaluates a form being
    typed (valid values only, nothing saved); None without a fractured level."""
    forms = ReferralFormBundle(form_post(resources).data, referral=None, today=today)
    referral, levels, patient = forms.preview_objects()
    return evaluate_facts(facts_for_referral(referral, as_of=today, levels=levels, patient=patient))


def _indicator(finding: Finding) -> str:
    if finding.effect in CRITICAL:
        return "critical"
    return "warning" if finding.effect in WARNING else "info"


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def override_reasons() -> list[dict[str, str]]:
    return [
        {"system": OVERRIDE_SYSTEM, "code": code, "display": display}
        for code, display in (
            (
                "information-elsewhere",
                _("L’information manquante est ailleurs que dans le dossier"),
            ),
            ("clinical-judgement", _("Jugement clinique : la demande est maintenue")),
            ("radiologist-decides", _("Le radiologue tranchera à réception de la demande")),
        )
    ]


def card(
    finding: Finding, *, link: dict[str, str], order: dict[str, Any] | None = None
) -> dict[str, Any]:
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    message = finding.message(lang)
    where = f"{finding.level} — " if finding.level else ""
    indicator = _indicator(finding)
    result: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(where + message),
        "detail": f"{message}\n\n**{finding.rule}** — {_('Source')} : {finding.source}",
        "indicator": indicator,
        "source": {
            "label": f"Cimento {RULESET_VERSION} · {finding.rule}",
            "topic": {"system": RULE_SYSTEM, "code": finding.rule},
        },
        "overrideReasons": override_reasons() if indicator != "info" else [],
        "links": [link],
    }
    offered = suggestions(finding, order)
    if offered:
        result["suggestions"] = offered
        # An exam per suggestion may all be taken; a change of the order is one choice.
        result["selectionBehavior"] = "any" if indicator != "critical" else "at-most-one"
    return result


def cards_for(body: dict[str, Any], *, today: date, link: dict[str, str]) -> list[dict[str, Any]]:
    """The cards for one hook call: none when no vertebroplasty is ordered; a warning when no
    fractured level is described."""
    resources, orders = hook_resources(body)
    if not orders:
        return []
    order = orders[0]
    decision = decision_for(resources, today=today)
    if decision is None:
        missing = Finding(
            "CDS-NO-LEVEL",
            None,
            Verdict.INCOMPLETE,
            _("Aucune fracture vertébrale datée dans le dossier : décrivez le niveau fracturé."),
            "No dated vertebral fracture in the record: describe the fractured level.",
            _("Cimento : une demande sans niveau fracturé ne peut pas être évaluée."),
        )
        return [card(missing, link=link, order=order)]
    rank = {"critical": 0, "warning": 1, "info": 2}
    cards = [card(f, link=link, order=order) for f in decision.findings]
    return sorted(cards, key=lambda c: rank[c["indicator"]])
