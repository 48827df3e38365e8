from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from eligibility.engine import RULES, RULESET_VERSION


@pytest.mark.parametrize("persona", ["gp", "radiologist", "secretary", "admin_user"], indirect=True)
def test_rules_page_lists_every_rule_the_engine_runs(client: Client, persona: User) -> None:
    client.force_login(persona)
    response = client.get(reverse("eligibility:rules"))
    assert response.status_code == 200
    html = response.content.decode()
    for rule in RULES:
        assert f'id="{rule.id}"' in html
    assert RULESET_VERSION in html
    assert "dernière prise J−6" in html  # B-VKA, B-CLOPIDOGREL: holds are last-dose days


def test_rules_page_shows_sources_and_conditions(client: Client, radiologist: User) -> None:
    client.force_login(radiologist)
    html = client.get(reverse("eligibility:rules")).content.decode()
    arch = next(r for r in RULES if r.id == "B-ARCH")
    assert arch.condition_fr in html or arch.condition_fr.replace("'", "&#x27;") in html
    assert "CIRSE" in html


def test_no_rule_text_has_an_unfilled_placeholder() -> None:
    for rule in RULES:
        for text in (
            rule.condition_fr,
            rule.condition_en,
            rule.message_fr,
            rule.message_en,
            rule.source,
        ):
            assert "{" not in text and "}" not in text, (rule.id, text)
