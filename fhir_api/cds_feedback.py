"""CDS Hooks feedback (`POST /cds-services/{id}/feedback`): each item checked, then all stored in
one transaction, or none. Refusals are DomainError, naming the item at fault. The cards the
service answers are recorded too (`cds_cards_record`), so that feedback on a card is counted
against its rule on the quality dashboard."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from clinic.errors import DomainError
from fhir_api.models import CdsCard, CdsFeedback
from fhir_api.resources import parse_instant

MAX_ITEMS = 50
MAX_COMMENT = 2000


def _item(service: str, at: str, item: Any, application: Application | None) -> CdsFeedback:
    if not isinstance(item, dict):
        raise DomainError(_("Chaque retour doit être un objet JSON."), field=at)
    try:
        card = uuid.UUID(str(item.get("card", "")))
    except ValueError:
        raise DomainError(_("« card » doit être l’uuid de la carte."), field=f"{at}.card") from None
    outcome = item.get("outcome")
    if outcome not in CdsFeedback.Outcome.values:
        raise DomainError(_("« outcome » vaut accepted ou overridden."), field=f"{at}.outcome")
    moment = parse_instant(item.get("outcomeTimestamp"))
    if moment is None:
        raise DomainError(
            _("« outcomeTimestamp » doit être un instant ISO 8601 avec son fuseau."),
            field=f"{at}.outcomeTimestamp",
        )
    suggestions = item.get("acceptedSuggestions", [])
    if not isinstance(suggestions, list) or not all(isinstance(s, dict) for s in suggestions):
        raise DomainError(
            _("« acceptedSuggestions » est une liste."), field=f"{at}.acceptedSuggestions"
        )
    override = item.get("overrideReason", {})
    reason = override.get("reason") if isinstance(override, dict) else None
    if reason is None and isinstance(override, dict) and "reason" not in override:
        reason = {"system": "", "code": ""}  # a comment without a coded reason
    comment = override.get("userComment", "") if isinstance(override, dict) else None
    if (
        not isinstance(reason, dict)
        or not isinstance(comment, str)
        or len(comment) > MAX_COMMENT
        or not all(isinstance(reason.get(k), str) for k in ("system", "code"))
        or not isinstance(reason.get("display", ""), str)
        or len(reason.get("code", "")) > 100
        or len(reason.get("display", "")) > 300
    ):
        raise DomainError(
            _("Motif illisible : un Coding et un commentaire de %(n)d caractères au plus.")
            % {"n": MAX_COMMENT},
            field=f"{at}.overrideReason",
        )
    return CdsFeedback(
        application=application,
        service=service,
        card=card,
        outcome=outcome,
        override_code=reason.get("code", ""),
        override_display=reason.get("display", ""),
        user_comment=comment,
        outcome_at=moment,
    )


def cds_feedback_record(
    *, service: str, body: Any, application: Application | None
) -> list[CdsFeedback]:
    """The feedback items of `body`, stored; DomainError (nothing stored) if one is malformed."""
    items = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise DomainError(
            _("Envoyez « feedback » : une liste de 1 à %(n)d retours.") % {"n": MAX_ITEMS},
            field="feedback",
        )
    rows = [_item(service, f"feedback[{i}]", item, application) for i, item in enumerate(items)]
    with transaction.atomic():
        for row in rows:
            row.save()
    return rows


def cds_cards_record(
    *, service: str, cards: list[dict[str, Any]], application: Application | None
) -> None:
    """Record the cards of one hook call (uuid, rule, indicator) in one transaction."""
    rows = [
        CdsCard(
            card=uuid.UUID(card["uuid"]),
            service=service,
            rule=card["source"]["topic"]["code"],
            indicator=card["indicator"],
            application=application,
        )
        for card in cards
    ]
    with transaction.atomic():
        CdsCard.objects.bulk_create(rows)
