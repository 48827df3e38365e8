"""French plurals: none and one take the singular (« 0 place de jour », « 1 jour »), which the
source texts alone cannot say (gettext falls back to the English rule). The French catalogue
holds every plural message of the interface for that."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

LOCALE = Path(settings.BASE_DIR) / "locale"


def _plural_ids(language: str) -> set[tuple[str, str]]:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return {message.id for message in read_po(po) if isinstance(message.id, tuple)}


def test_every_plural_message_has_its_french_entry() -> None:
    missing = _plural_ids("en") - _plural_ids("fr")

    assert not missing, (
        "add these to locale/fr/LC_MESSAGES/django.po (msgstr[0] the singular, msgstr[1] the "
        f"plural): {sorted(missing)}"
    )


def test_french_entries_repeat_the_source_texts() -> None:
    with (LOCALE / "fr" / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po)
    assert catalog.plural_expr == "(n > 1)"
    for message in catalog:
        if isinstance(message.id, tuple):
            assert tuple(message.string) == message.id, message.id


def test_none_and_one_take_the_singular_in_french_only() -> None:
    singular, plural = "%(places)s place de jour", "%(places)s places de jour"
    with translation.override("fr"):
        assert [ngettext(singular, plural, n) for n in (0, 1, 2)] == [singular, singular, plural]
    with translation.override("en"):
        assert ngettext(singular, plural, 0) == "%(places)s day places"
