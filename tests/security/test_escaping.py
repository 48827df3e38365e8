"""Checklist row 15: `<script>` and `{{ }}` typed into any free-text field read as text on every
page and in every PDF: escaped in HTML, never run as markup nor as a template."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from clinic.models import User
from tests.conftest import client_for
from tests.security.hostile import Hostile, build_hostile, escaped, marker


@pytest.fixture
def hostile(frozen: object, gp: User, radiologist: User, secretary: User) -> Hostile:
    return build_hostile(gp=gp, radiologist=radiologist, secretary=secretary)


NAMES = {"birth_name", "used_name", "first_names"}


def _pages(h: Hostile) -> dict[str, tuple[str, str, set[str]]]:
    gp_page = "referrals:gp_referral_detail"
    review = "referrals:radiology_referral"
    return {
        "GP home": ("gp", reverse("home_gp"), NAMES),
        "GP referral page": (
            "gp",
            reverse(gp_page, args=[h.main.pk]),
            NAMES | {"address", "clinical_note", "attachment_name", "answer", "accept_message"},
        ),
        "GP page of a declined referral": (
            "gp",
            reverse(gp_page, args=[h.declined.pk]),
            {"decline_reason", "decline_message"},
        ),
        "GP page of a surgical referral": (
            "gp",
            reverse(gp_page, args=[h.surgery.pk]),
            {"surgery_reason", "surgery_message"},
        ),
        "GP page with an imaging appointment": (
            "gp",
            reverse(gp_page, args=[h.imaging.pk]),
            {"imaging_place", "imaging_notes"},
        ),
        "worklist": (
            "radiologist",
            reverse("home_radiologist") + "?status=all",
            {"birth_name", "gp_name"},
        ),
        "radiologist review": (
            "radiologist",
            reverse(review, args=[h.main.pk]),
            NAMES
            | {
                "clinical_note",
                "attachment_name",
                "question",
                "answer",
                "accept_message",
                "accept_justification",
                "gp_name",
            },
        ),
        "radiologist review of a declined referral": (
            "radiologist",
            reverse(review, args=[h.declined.pk]),
            {"decline_reason", "decline_message", "decline_justification"},
        ),
        "radiologist review of a surgical referral": (
            "radiologist",
            reverse(review, args=[h.surgery.pk]),
            {"surgery_reason", "surgery_message"},
        ),
        "accept form": (
            "radiologist",
            reverse("referrals:accept", args=[h.surgery.pk]),
            {"birth_name"},
        ),
        "secretary home": ("secretary", reverse("home_secretary"), {"birth_name", "session_room"}),
        "secretary referral page": (
            "secretary",
            reverse("scheduling:referral", args=[h.main.pk]),
            NAMES | {"cancel_reason", "reschedule_reason", "session_room", "gp_name"},
        ),
        "secretary page with an imaging appointment": (
            "secretary",
            reverse("scheduling:referral", args=[h.imaging.pk]),
            {"imaging_place", "imaging_notes", "imaging_cancel_reason"},
        ),
        "day view": (
            "secretary",
            reverse("scheduling:day") + f"?date={h.day.date.isoformat()}",
            NAMES | {"session_room", "session_notes"},
        ),
        "sessions": ("secretary", reverse("scheduling:sessions"), {"session_room"}),
        "cancel form": (
            "secretary",
            reverse("scheduling:cancel", args=[h.booking.pk]),
            {"birth_name", "session_room"},
        ),
        "reschedule form": (
            "secretary",
            reverse("scheduling:reschedule", args=[h.booking.pk]),
            {"birth_name", "session_room"},
        ),
    }


def _documents(h: Hostile) -> dict[str, tuple[str, str, set[str]]]:
    letter = "reports:decision_letter"
    return {
        "indication report": (
            "radiologist",
            reverse("reports:indication_report", args=[h.main.pk]),
            NAMES | {"clinical_note", "accept_message", "accept_justification", "gp_name"},
        ),
        "indication report of a declined referral": (
            "radiologist",
            reverse("reports:indication_report", args=[h.declined.pk]),
            {"decline_reason", "decline_message", "decline_justification"},
        ),
        "acceptance letter": (
            "gp",
            reverse(letter, args=[h.accept_decision.pk]),
            NAMES | {"accept_message", "gp_name", "practice_address"},
        ),
        "refusal letter": (
            "gp",
            reverse(letter, args=[h.decline_decision.pk]),
            {"decline_reason", "decline_message", "gp_name"},
        ),
        "surgical referral letter": (
            "gp",
            reverse("reports:surgical_letter", args=[h.surgery_decision.pk]),
            {"birth_name", "surgery_reason", "gp_name"},
        ),
        "convocation": (
            "secretary",
            reverse("scheduling:convocation", args=[h.booking.pk]),
            NAMES | {"address", "gp_name"},
        ),
    }


def _fetch(
    table: dict[str, tuple[str, str, set[str]]], users: dict[str, User]
) -> Iterator[tuple[str, bytes, set[str]]]:
    clients: dict[str, Client] = {}
    for name, (who, url, fields) in table.items():
        client = clients.setdefault(who, client_for(users[who]))
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        yield name, response.content, fields


@pytest.fixture
def users(hostile: Hostile, gp: User, radiologist: User, secretary: User) -> dict[str, User]:
    return {"gp": gp, "radiologist": radiologist, "secretary": secretary}


def test_every_free_text_field_reads_as_text_on_every_page(
    hostile: Hostile, users: dict[str, User]
) -> None:
    wrong = []
    for name, content, fields in _fetch(_pages(hostile), users):
        html = content.decode().lower()
        if "<script>alert(" in html:
            wrong.append(f"{name}: a typed <script> reached the page as markup")
        missing = sorted(f for f in fields if escaped(f) not in html)
        if missing:
            wrong.append(f"{name}: not shown as typed (escaped): {missing}")
    assert not wrong, "\n".join(wrong)


def test_every_free_text_field_reads_as_text_in_every_pdf(
    hostile: Hostile, users: dict[str, User]
) -> None:
    wrong = []
    for name, content, fields in _fetch(_documents(hostile), users):
        reader = PdfReader(io.BytesIO(content))
        # Lines wrap anywhere in a long marker: compare without white space.
        text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))
        missing = sorted(f for f in fields if re.sub(r"\s+", "", marker(f)) not in text.lower())
        if missing:
            wrong.append(f"{name}: not printed as typed: {missing}")
    assert not wrong, "\n".join(wrong)


def test_the_access_log_search_shows_hostile_names_as_text(
    hostile: Hostile, admin_user: User
) -> None:
    response = client_for(admin_user).post(reverse("access_log"), {"patient": "script"})
    html = response.content.decode().lower()
    assert "<script>alert(" not in html
    assert escaped("birth_name") in html
