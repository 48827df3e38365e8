"""Checklist rows 4 and 19: every URL of the resolver, asked by each persona, answers what the
table says, and every page about one patient's data writes one access-log row.

A URL added without a row here fails `test_every_url_has_a_row`: decide who may open it first.
Ids are filled with real objects of the GP `gp` (tests/security/world.py); `other_gp` is a GP who
did not refer any of them, so their answer must be the same as for an id that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clinic.models import AccessLog, User
from referrals.access import ROUTE_REFERRAL_LOOKUPS
from referrals.models import Attachment, Decision, Referral
from scheduling.models import Booking, ImagingAppointment
from tests.conftest import client_for
from tests.security.world import World

PERSONAS = ("gp", "other_gp", "radiologist", "secretary", "admin_user")


@dataclass(frozen=True)
class Row:
    """Expected answers to a GET by persona; `post` only where a POST answers differently."""

    obj: str | None  # the kind of object filling <pk> (World.objects())
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)


def _all(code: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, code)


def _only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    return {persona: allowed.get(persona, others) for persona in PERSONAS}


GP_OWN = {"gp": 200, "other_gp": 404}  # the referring GP; another GP finds nothing
SECRETARY = {"secretary": 200}
RADIOLOGIST = {"radiologist": 200}

MATRIX: dict[str, Row] = {
    # Home pages: "/" sends each role to its own.
    "home": Row(None, _all(302)),
    "home_gp": Row(None, _only({"gp": 200, "other_gp": 200})),
    "home_radiologist": Row(None, _only(RADIOLOGIST)),
    "home_secretary": Row(None, _only(SECRETARY)),
    "home_admin": Row(None, _only({"admin_user": 200})),
    "access_log": Row(None, _only({"admin_user": 200})),
    "healthz": Row(None, _all(200)),
    "favicon": Row(None, _all(302)),  # to the static icon
    "eligibility:rules": Row(None, _all(200)),
    # Accounts
    "login": Row(None, _all(302)),  # already logged in
    "logout": Row(None, _all(405)),  # POST only
    "password_change": Row(None, _all(200)),
    "password_change_done": Row(None, _all(200)),
    "password_reset": Row(None, _all(200)),
    "password_reset_done": Row(None, _all(200)),
    "password_reset_confirm": Row(None, _all(200)),  # an invalid link, said so
    "password_reset_complete": Row(None, _all(200)),
    "otp_enrol": Row(None, _all(200)),  # optional for GPs, required for staff in production
    "otp_verify": Row(None, _all(302)),  # nothing to verify without a device
    "set_language": Row(None, _all(302)),
    # The GP's intake
    "referrals:gp_referral_new": Row(None, _only({"gp": 200, "other_gp": 200})),
    "referrals:gp_referral_preview": Row(
        None, _only({"gp": 405, "other_gp": 405}), post=_only({"gp": 200, "other_gp": 200})
    ),
    "referrals:gp_level_row": Row(None, _only({"gp": 200, "other_gp": 200})),
    "referrals:gp_referral_detail": Row("referral", _only(GP_OWN)),
    # A submitted referral is no longer editable: its GP is sent back to its page.
    "referrals:gp_referral_edit": Row("referral", _only({"gp": 302, "other_gp": 404})),
    # Only a draft is deleted: the GP of a submitted one is sent back to its page.
    "referrals:gp_referral_discard": Row("referral", _only({"gp": 302, "other_gp": 404})),
    # The world's submitted referral has an MRI booked at the centre: its GP is sent back to its
    # page, to call the secretariat first (tests/referrals/test_withdrawal.py has the form).
    "referrals:gp_referral_withdraw": Row("referral", _only({"gp": 302, "other_gp": 404})),
    "referrals:gp_attachment_remove": Row(
        "attachment", _only({"gp": 405, "other_gp": 405}), post=_only({"gp": 403, "other_gp": 404})
    ),
    # Downloads are not role pages: whoever may not see the referral finds nothing, and an
    # administrator (a superuser for Django) is no exception.
    "referrals:attachment_download": Row(
        "attachment", _only({**GP_OWN, "radiologist": 200, "secretary": 200}, 404)
    ),
    # The radiologist's review
    "referrals:radiology_referral": Row("referral", _only(RADIOLOGIST)),
    "referrals:accept": Row("referral", _only(RADIOLOGIST)),
    "referrals:decline": Row("referral", _only(RADIOLOGIST)),
    "referrals:request_information": Row("referral", _only(RADIOLOGIST)),
    "referrals:redirect_to_surgery": Row("referral", _only(RADIOLOGIST)),
    # Staff clear an identity check (POST only); a GP is refused by role, and logged.
    "referrals:identity_checked": Row(
        "referral", _all(405), post=_only({"secretary": 302, "radiologist": 302})
    ),
    "referrals:patient_confirmed": Row(
        "referral", _all(405), post=_only({"secretary": 302, "radiologist": 302})
    ),
    # Documents: the report is the radiologist's working file; letters go to the referring GP.
    "reports:indication_report": Row("referral", _only(RADIOLOGIST)),
    "reports:decision_letter": Row("decision", _only({**GP_OWN, **RADIOLOGIST})),
    "reports:surgical_letter": Row("surgery_decision", _only({**GP_OWN, **RADIOLOGIST})),
    # The secretary's planning
    "scheduling:sessions": Row(None, _only(SECRETARY)),
    "scheduling:session_new": Row(None, _only(SECRETARY)),
    "scheduling:session_template": Row(None, _only(SECRETARY)),
    "scheduling:session_edit": Row("session", _only(SECRETARY)),
    "scheduling:day": Row(None, _only(SECRETARY)),
    # An empty form: the secretary is sent back to the day with the errors.
    "scheduling:day_record": Row(None, _all(405), post=_only({"secretary": 302})),
    "scheduling:session_move": Row("session", _only(SECRETARY)),
    # The patient search: each role within its own lists (referrals.selectors.search_referrals).
    "referrals:search": Row(
        None, _only({"gp": 200, "other_gp": 200, "radiologist": 200, "secretary": 200})
    ),
    "scheduling:referral": Row("referral", _only(SECRETARY)),
    "scheduling:book": Row("accepted", _only(SECRETARY)),
    "scheduling:close": Row("accepted", _only(SECRETARY)),
    "scheduling:imaging": Row("referral", _only(SECRETARY)),
    "scheduling:imaging_change": Row("imaging", _only(SECRETARY)),
    "scheduling:imaging_cancel": Row("imaging", _only(SECRETARY)),
    "scheduling:reschedule": Row("booking", _only(SECRETARY)),
    "scheduling:cancel": Row("booking", _only(SECRETARY)),
    "scheduling:arrived": Row("booking", _all(405), post=_only({"secretary": 302})),
    "notifications:retry": Row("message", _all(405), post=_only({"secretary": 302})),
    "scheduling:done": Row("booking", _all(405), post=_only({"secretary": 302})),
    "scheduling:no_show": Row("booking", _all(405), post=_only({"secretary": 302})),
    "scheduling:convocation": Row("booking", _only({**GP_OWN, **SECRETARY})),
    "scheduling:convocation_ics": Row("booking", _only({**GP_OWN, **SECRETARY})),
    "scheduling:imaging_letter": Row("imaging", _only({**GP_OWN, **SECRETARY})),
    "scheduling:imaging_ics": Row("imaging", _only({**GP_OWN, **SECRETARY})),
    "scheduling:convocation_resend": Row(
        "convocation_change", _all(405), post=_only({"secretary": 302})
    ),
    # The day of the procedure: the desk and the radiologist; the report is the radiologist's.
    # The world's referral has no booking (the page says so) and no report (the PDFs are 404).
    "procedures:procedure": Row("referral", _only({**SECRETARY, **RADIOLOGIST})),
    "procedures:checklist": Row(
        "referral", _all(405), post=_only({"secretary": 302, "radiologist": 302})
    ),
    "procedures:override": Row("referral", _all(405), post=_only({"radiologist": 302})),
    "procedures:report": Row("referral", _only({"radiologist": 302})),
    "procedures:addendum": Row("referral", _all(405), post=_only({"radiologist": 302})),
    "procedures:report_pdf": Row("referral", _only({}, 404) | {"admin_user": 403}),
    "procedures:discharge_pdf": Row("referral", _only({}, 404) | {"admin_user": 403}),
    # Follow-ups: staff; nothing to record on the world's referral (sent back to the list).
    "followups:worklist": Row(None, _only({**SECRETARY, **RADIOLOGIST})),
    "followups:record": Row("referral", _only({"secretary": 302, "radiologist": 302})),
    "followups:send_link": Row(
        "referral", _all(405), post=_only({"secretary": 302, "radiologist": 302})
    ),
    # The patient's questionnaire: no login; a token that opens nothing is a 404 for anyone.
    "followups:answer": Row(None, _all(404)),
    # The quality dashboard, its CSV tables and PDF: radiologists and administrators.
    "quality:dashboard": Row(None, _only({**RADIOLOGIST, "admin_user": 200})),
    # Without `?tableau=` no table is named: 404 for those allowed (tests/quality reads them).
    "quality:table_csv": Row(None, _only({"radiologist": 404, "admin_user": 404})),
    "quality:report_pdf": Row(None, _only({**RADIOLOGIST, "admin_user": 200})),
    # A GP's own figures against the clinic's medians (tests/quality/test_gp_page.py).
    "quality:gp": Row(None, _only({"gp": 200, "other_gp": 200})),
    # A kept monthly report (tests/quality/test_monthly_report.py reads one).
    "quality:kept_report": Row("kept_report", _only({**RADIOLOGIST, "admin_user": 200})),
    # The Django admin: administrators only (tests/clinic/test_access.py walks it further).
    "admin:index": Row(None, _only({"admin_user": 200})),
}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            found.append((f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)))
    return found


# The API authenticates by bearer token, not by session, and its paths are FHIR's (Binary ids are
# not integers): tests/fhir_api/ checks its isolation and access log; tests/clinic/test_access.py
# that it answers no session.
# The CDS Hooks service (cds_hooks:) is the same: tests/fhir_api/test_cds_hooks.py.
API_PREFIXES = ("fhir_api:", "cds_hooks:", "oauth2_provider:")
ROUTES = dict(
    (name, route)
    for name, route in _walk(get_resolver().url_patterns)
    if (not name.startswith("admin:") or name == "admin:index")
    and not name.startswith(API_PREFIXES)
)


def _path(name: str, world: World) -> str:
    row = MATRIX[name]
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    if name == "followups:answer":
        return reverse(name, kwargs={"token": "not-a-token"})
    if row.obj is None:
        return reverse(name)
    return reverse(name, kwargs={"pk": world.objects()[row.obj].pk})


def test_every_url_has_a_row() -> None:
    unlisted = sorted(set(ROUTES) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not unlisted, f"URLs without a row in MATRIX (who may open them?): {unlisted}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_url_with_an_id_has_an_object_and_carries_ids_only() -> None:
    for name, route in ROUTES.items():
        converters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if name in ("password_reset_confirm", "followups:answer"):
            continue  # a signed or random token, no personal data
        assert all(conv == "int" and arg == "pk" for conv, arg in converters), (name, route)
        assert (MATRIX[name].obj is not None) == bool(converters), name


def _changes() -> tuple[object, ...]:
    return (
        list(Referral.objects.values_list("pk", "status", "current_decision_id")),
        list(Booking.objects.values_list("pk", "status")),
        list(ImagingAppointment.objects.values_list("pk", "at", "place", "cancelled_at")),
        Decision.objects.count(),
        Attachment.objects.count(),
    )


def _check(
    name: str, method: str, expected: dict[str, int], world: World, users: dict[str, User]
) -> list[str]:
    row = MATRIX[name]
    path = _path(name, world)
    wrong = []
    for persona in expected:
        client = client_for(users[persona])
        before = AccessLog.objects.count()
        response = client.get(path) if method == "GET" else client.post(path)
        code = response.status_code
        if code != expected[persona]:
            wrong.append(f"{method} {name} as {persona}: {code}, expected {expected[persona]}")
            continue
        if row.obj is None or code == 405:
            continue
        logs = list(AccessLog.objects.order_by("id")[before:])
        patient = world.patient_of(row.obj)
        if patient is None:  # a session: no patient data, nothing to log
            assert not logs, (name, persona)
            continue
        refused = code in (403, 404)
        if len(logs) != 1 or logs[0].user_id != users[persona].pk:
            wrong.append(f"{method} {name} as {persona}: {len(logs)} access-log rows")
        elif logs[0].patient_id != patient or logs[0].outcome != (
            AccessLog.Outcome.REFUSED if refused else AccessLog.Outcome.GRANTED
        ):
            wrong.append(f"{method} {name} as {persona}: logged {logs[0]} for another patient")
    return wrong


@pytest.fixture
def users(world: World, request: pytest.FixtureRequest) -> dict[str, User]:
    return {persona: request.getfixturevalue(persona) for persona in PERSONAS}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix_get(name: str, world: World, users: dict[str, User]) -> None:
    before = _changes()
    wrong = _check(name, "GET", MATRIX[name].get, world, users)
    assert not wrong, "\n".join(wrong)
    assert _changes() == before, f"GET {name} changed data"


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row.obj is not None))
def test_role_matrix_post_is_refused_as_get_is(
    name: str, world: World, users: dict[str, User]
) -> None:
    """Whoever may not open a page may not post to it either, and their post changes nothing."""
    row = MATRIX[name]
    expected = row.post or row.get
    refused = {p: code for p, code in expected.items() if code in (403, 404)}
    before = _changes()
    wrong = _check(name, "POST", refused, world, users)
    assert not wrong, "\n".join(wrong)
    assert _changes() == before, f"a refused POST to {name} changed data"


def test_every_non_referral_id_route_says_how_to_find_its_patient() -> None:
    # The access log of a role refusal finds the patient through this table (referrals/access.py).
    for name, row in MATRIX.items():
        if row.obj in (
            "attachment",
            "decision",
            "surgery_decision",
            "booking",
            "imaging",
            "session",
            "convocation_change",
            "message",
            "kept_report",
        ):
            assert name in ROUTE_REFERRAL_LOOKUPS, name
        elif row.obj is not None:
            assert name not in ROUTE_REFERRAL_LOOKUPS, name
