"""Date inputs are the browser's own picker: their help never imposes a day/month order that an
English browser (mm/dd/yyyy) would contradict; text boxes that read dates keep theirs."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User


def _birth_date_block(html: str) -> str:
    """The birth date's input with its label and help (crispy's wrapper div)."""
    block = re.search(r'<div id="div_id_patient-birth_date".*?</div>\s*</div>', html, re.S)
    assert block, "no birth date field on the form"
    return block.group(0)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_birth_date_picker_says_no_fixed_format(
    client: Client, gp: User, language: str
) -> None:
    client.force_login(gp)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("referrals:gp_referral_new")).content.decode()

    field = _birth_date_block(html)
    assert 'type="date"' in field
    for fixed in ("jj/mm/aaaa", "dd/mm/yyyy", "mm/dd/yyyy", "Jour, mois et année"):
        assert fixed not in field


def test_the_search_box_still_says_how_to_type_a_date(client: Client, gp: User) -> None:
    client.force_login(gp)
    html = client.get(reverse("home_gp")).content.decode()
    assert "Date de naissance en jj/mm/aaaa" in html  # a text box: the format is the user's to type
