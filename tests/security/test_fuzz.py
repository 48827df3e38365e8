"""Checklist row 24: whatever is posted (hostile, malformed, absurd), the referral form, the
decision forms, the booking form and `manage.py evaluate_referral` answer without a crash: the
page comes back saying what to fix with what was typed, the command exits 0 or 2 with a message.

The test client re-raises any exception a view lets through, so a 500 fails the test."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clinic.models import User
from referrals.choices import SPINE_LEVELS
from referrals.models import FACT_FIELDS
from tests.conftest import client_for
from tests.factories import GPFactory
from tests.referrals.form_data import referral_data
from tests.referrals.radiology import submitted_referral

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a browser can send: any text without NUL surrogates; numbers, dates and choices slightly off.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
near_values = st.sampled_from(
    ["", " ", "0", "-1", "11", "99999999999999999999", "1e9", "NaN", "true", "on", "off",
     "2026-02-30", "30/02/2026", "1900-01-01", "2999-12-31", "L1", "S", "Z9", "trauma", "vka",
     "<script>alert(1)</script>", "{{ x }}", "' OR 1=1 --", "\x00", "é" * 400]
)  # fmt: skip
values = st.one_of(texts, near_values)

PATIENT_FIELDS = ["birth_name", "used_name", "first_names", "birth_date", "sex",
                  "birth_place_insee", "nir", "phone", "email", "address"]  # fmt: skip
LEVEL_FIELDS = ["level", "sacral_pattern", "fracture_date", "cause", "mri_oedema",
                "posterior_arch_involved", "posterior_wall_involved", "retropulsion"]  # fmt: skip
MANAGEMENT = ["levels-TOTAL_FORMS", "levels-INITIAL_FORMS", "levels-MAX_NUM_FORMS", "action"]

FORM_KEYS = (
    [f"patient-{f}" for f in PATIENT_FIELDS]
    + [f"facts-{f}" for f in FACT_FIELDS]
    + [f"levels-{i}-{f}" for i in (0, 1, 7, 40) for f in LEVEL_FIELDS]
    + MANAGEMENT
    + ["reply-reply", "shown_verdict"]
)

overrides = st.dictionaries(
    st.sampled_from(FORM_KEYS), st.one_of(values, st.lists(values, max_size=3)), max_size=12
)


def _fresh_gp() -> User:
    # One GP per example: the save limit (30 per 10 minutes per GP) is not what is tested here.
    return GPFactory()


@FUZZ
@given(changes=overrides)
def test_the_referral_form_never_crashes_and_keeps_what_was_typed(
    db: None, changes: dict[str, Any]
) -> None:
    client = client_for(_fresh_gp())
    data = referral_data() | changes

    response = client.post(reverse("referrals:gp_referral_new"), data)

    assert response.status_code in (200, 302)
    event(f"status {response.status_code}")
    if response.status_code == 200:
        page = response.content.decode()
        assert 'id="error-summary"' in page  # what to fix, listed above the form
        typed = data.get("patient-birth_name")
        if isinstance(typed, str) and typed.strip() and "\x00" not in typed:
            assert escape(typed) in page  # the form came back with the name as typed


@FUZZ
@given(changes=overrides)
def test_the_live_panel_never_crashes(db: None, changes: dict[str, Any]) -> None:
    client = client_for(_fresh_gp())
    response = client.post(reverse("referrals:gp_referral_preview"), referral_data() | changes)
    assert response.status_code == 200


decision_posts = st.dictionaries(
    st.sampled_from(
        [
            "levels_to_treat",
            "stay",
            "anaesthesia",
            "reason",
            "message_to_gp",
            "justification",
            "based_on",
        ]
    ),
    st.one_of(values, st.lists(st.one_of(values, st.sampled_from(SPINE_LEVELS)), max_size=4)),
    max_size=7,
)


@FUZZ
@given(kind=st.sampled_from(["accept", "decline", "request_information", "redirect_to_surgery"]),
       data=decision_posts)  # fmt: skip
def test_the_decision_forms_never_crash(
    radiologist: User, gp: User, kind: str, data: dict[str, Any]
) -> None:
    referral = submitted_referral(gp=gp)
    response = client_for(radiologist).post(reverse(f"referrals:{kind}", args=[referral.pk]), data)
    assert response.status_code in (200, 302)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["session", "confirm_outside_ideal", "reason",
                                             "contact_channel"]),
                            values, max_size=4))  # fmt: skip
def test_the_booking_form_never_crashes(secretary: User, data: dict[str, Any]) -> None:
    from tests.scheduling.helpers import accepted_referral

    referral = accepted_referral()
    response = client_for(secretary).post(reverse("scheduling:book", args=[referral.pk]), data)
    assert response.status_code in (200, 302)


# --- manage.py evaluate_referral ----------------------------------------------------------------

SPEC = {
    "as_of": "2026-11-28",
    "patient": {"birth_date": "1941-03-02", "sex": "F", "pregnant": False},
    "levels": [
        {"level": "L1", "fracture_date": "2026-11-15", "cause": "trauma", "mri_oedema": True}
    ],
    "imaging": {"ct": True, "mri": True},
    "pain": {"nrs": 8, "analgesics_failed": True, "opioids_failed": False},
    "antithrombotics": ["aspirin"],
    "anaesthesia": "local",
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts | near_values,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*prefix, index))
    return found


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def _evaluate(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evaluate_referral", "-", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@FUZZ
@given(data=st.data())
def test_evaluate_referral_answers_every_document_with_a_decision_or_exit_2(
    data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data.draw(st.sampled_from(_paths(SPEC)))
    document = _replace(SPEC, path, data.draw(json_values))
    code, out, err = _evaluate(json.dumps(document), monkeypatch)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 0:
        assert json.loads(out)["verdict"]
    else:
        assert err.strip() and not out


@FUZZ
@given(text=texts)
def test_evaluate_referral_answers_any_text_without_a_traceback(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = _evaluate(text, monkeypatch)
    assert code in (0, 2) and "Traceback" not in err
