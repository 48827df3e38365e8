"""Security row 33: a client acts for one GP with its scopes, reads nothing of another GP's, its
tokens expire and it can be revoked (manage.py commands)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import AccessLog, User
from tests.fhir_api.conftest import Api, token_for
from tests.referrals.radiology import submitted_referral
from tests.security.world import World


def test_the_commands_create_a_client_whose_token_works_then_revoke_it(gp: User) -> None:
    out = StringIO()
    call_command(
        "api_client_create",
        gp=gp.username,
        name="Cabinet",
        scope=["system/Task.read"],
        stdout=out,
        stderr=StringIO(),
    )
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    token = token_for(values["client_id"], values["client_secret"])
    assert token["status"] == 200
    assert token["scope"] == "system/Task.read"
    api = Api(token["access_token"])
    assert api.get("/fhir/Task").status_code == 200

    call_command("api_client_revoke", values["client_id"], stdout=StringIO())

    assert api.get("/fhir/Task").status_code == 401
    assert token_for(values["client_id"], values["client_secret"])["status"] == 401


def test_a_wrong_secret_gets_no_token(gp: User) -> None:
    out = StringIO()
    call_command("api_client_create", gp=gp.username, name="Cabinet", stdout=out, stderr=StringIO())
    client_id = out.getvalue().split()[0].split("=", 1)[1]
    assert token_for(client_id, "not-the-secret")["status"] == 401


def test_a_scope_the_client_was_not_given_is_refused(gp: User, api_for: Callable[..., Api]) -> None:
    api = api_for(gp, ["system/Task.read"])

    response = api.get("/fhir/ServiceRequest")

    assert response.status_code == 403
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "forbidden"


def test_a_token_expires(api: Api) -> None:
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        response = api.get("/fhir/Task")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_no_data_and_a_session_is_not_a_token(client: object, gp: User) -> None:
    from django.test import Client

    browser = Client()
    browser.force_login(gp)
    for path in ("/fhir/Task", "/fhir/ServiceRequest", "/fhir/Task/1", "/fhir/Binary/attachment-1"):
        response = browser.get(path)
        assert response.status_code == 401, path
        OperationOutcome.model_validate(response.json())


def test_a_second_client_reads_none_of_the_first_ones_tasks_or_documents(
    world: World, gp: User, other_gp: User, api_for: Callable[..., Api]
) -> None:
    mine, theirs = api_for(gp), api_for(other_gp)
    referral = world.scheduled
    paths = [
        f"/fhir/Task/{referral.pk}",
        f"/fhir/ServiceRequest/{referral.pk}",
        f"/fhir/Appointment/{world.booking.pk}",
        f"/fhir/DocumentReference?related=ServiceRequest/{referral.pk}",
        f"/fhir/Binary/convocation-{world.booking.pk}",
        f"/fhir/Binary/attachment-{world.attachment.pk}",
        f"/fhir/Binary/decision-letter-{world.decision.pk}",
        f"/fhir/DocumentReference/attachment-{world.attachment.pk}",
        f"/fhir/Patient/{referral.patient_id}",
        f"/fhir/Practitioner/{gp.pk}",
    ]
    for path in paths:
        assert mine.get(path).status_code == 200, path
        before = AccessLog.objects.count()
        response = theirs.get(path)
        assert response.status_code == 404, path
        assert OperationOutcome.model_validate(response.json()).issue[0].code == "not-found"
        log = AccessLog.objects.order_by("id")[before:]
        assert [(e.user_id, e.outcome) for e in log] == [(other_gp.pk, "refused")], path
    for search in (
        "/fhir/Task",
        "/fhir/ServiceRequest",
        f"/fhir/ServiceRequest?requester=Practitioner/{gp.pk}",
    ):
        found = Bundle.model_validate(theirs.get(search).json())
        assert found.total == 0, search
    assert Bundle.model_validate(mine.get("/fhir/Task").json()).total == 4


def test_every_read_is_in_the_access_log_as_the_gp(api: Api, gp: User) -> None:
    referral = submitted_referral(gp=gp)
    before = AccessLog.objects.count()

    assert api.get(f"/fhir/Task/{referral.pk}").status_code == 200

    log = AccessLog.objects.order_by("id")[before:]
    assert [(e.user_id, e.patient_id, e.what, e.outcome) for e in log] == [
        (gp.pk, referral.patient_id, "fhir.task", "granted")
    ]
