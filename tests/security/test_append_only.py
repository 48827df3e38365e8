"""Checklist row 20: the audit trail (access log, timeline, decisions, engine snapshots) is
append-only: the models and their querysets refuse to change or delete a row, and on PostgreSQL the
application's role is refused it by the database itself (docs/postgres-app-role.sql)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from clinic.append_only import AppendOnlyError
from clinic.models import AccessLog, User
from referrals.models import Decision, EligibilitySnapshot, Referral, TimelineEvent
from referrals.services.evaluation import referral_evaluate
from referrals.services.timeline import log_event
from tests.factories import FractureLevelFactory, ReferralFactory
from tests.referrals.radiology import submitted_referral

GRANTS = Path(__file__).resolve().parents[2] / "docs" / "postgres-app-role.sql"


def _records(gp: User, radiologist: User) -> dict[type[models.Model], models.Model]:
    """One row of each audit table, as the application writes them."""
    from referrals.services.decisions import decline_referral

    referral = submitted_referral(gp=gp)
    decision = decline_referral(
        referral=referral, by=radiologist, reason="Fracture ancienne", justification="Relu"
    )
    access = AccessLog.objects.create(
        at=timezone.now(), user=gp, what="referral", outcome="granted"
    )
    return {
        AccessLog: access,
        TimelineEvent: referral.events.first(),
        Decision: decision,
        EligibilitySnapshot: referral.snapshots.first(),
    }


# A text field of each table, to forge.
FORGEABLE = {
    AccessLog: "what",
    TimelineEvent: "action",
    Decision: "reason",
    EligibilitySnapshot: "reason",
}
BULK_WRITES: dict[str, Callable[[type[Any], Any], object]] = {
    "update": lambda model, row: model.objects.filter(pk=row.pk).update(
        **{FORGEABLE[model]: "forged"}
    ),
    "update_all": lambda model, row: model.objects.all().update(**{FORGEABLE[model]: "forged"}),
    "bulk_update": lambda model, row: model.objects.bulk_update([row], [FORGEABLE[model]]),
    "delete": lambda model, row: model.objects.filter(pk=row.pk).delete(),
}


@pytest.mark.parametrize("write", BULK_WRITES, ids=list(BULK_WRITES))
def test_audit_rows_cannot_be_rewritten_in_bulk(gp: User, radiologist: User, write: str) -> None:
    for model, row in _records(gp, radiologist).items():
        count = model.objects.count()
        with pytest.raises(AppendOnlyError):
            BULK_WRITES[write](model, row)
        assert model.objects.count() == count, model.__name__
        assert not model.objects.filter(**{FORGEABLE[model]: "forged"}).exists()


def test_audit_rows_cannot_be_changed_or_deleted_one_by_one(gp: User, radiologist: User) -> None:
    for model, row in _records(gp, radiologist).items():
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        assert model.objects.filter(pk=row.pk).exists(), model.__name__


def test_a_referrals_history_cannot_be_deleted_through_the_referral(gp: User) -> None:
    referral = submitted_referral(gp=gp)
    with pytest.raises(AppendOnlyError):
        referral.events.all().delete()
    with pytest.raises(AppendOnlyError):
        referral.snapshots.update(verdict="eligible")
    assert referral.events.exists()


def test_a_purge_of_a_whole_referral_still_removes_its_records(gp: User) -> None:
    # Deleting the referral itself (a retention purge, run by the tables' owner) cascades through
    # raw SQL: the records go with the file they belong to, and nothing else does.
    referral = ReferralFactory(gp=gp)
    FractureLevelFactory(referral=referral)
    log_event(referral=referral, action="referral.created", actor=gp)
    referral_evaluate(referral=referral, reason="submitted")
    kept = submitted_referral(gp=gp)

    referral.delete()

    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not TimelineEvent.objects.filter(referral_id=referral.pk).exists()
    assert not EligibilitySnapshot.objects.filter(referral_id=referral.pk).exists()
    assert kept.events.exists() and kept.snapshots.exists()


def _as_app_role(role: str, statement: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute(statement, params)
        cursor.execute("RESET ROLE")  # on failure, the savepoint's rollback undoes SET LOCAL


@pytest.mark.postgres
def test_the_app_role_may_append_but_not_rewrite_audit_tables(gp: User, radiologist: User) -> None:
    records = _records(gp, radiologist)
    role = f"cimento_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        # Rolled back with the test's transaction: the role never outlives the test.
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(GRANTS.read_text().replace("cimento_app", f'"{role}"'))

    access = records[AccessLog]
    _as_app_role(
        role,
        "INSERT INTO clinic_accesslog (at, what, outcome) VALUES (now(), 'referral', 'granted')",
    )
    _as_app_role(role, "SELECT count(*) FROM referrals_timelineevent")
    _as_app_role(role, "UPDATE referrals_referral SET clinical_note = clinical_note")
    for model, row in records.items():
        table = model._meta.db_table
        for statement in (
            f"UPDATE {table} SET id = id WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="permission denied"):
                _as_app_role(role, statement, [row.pk])
        with pytest.raises(DatabaseError, match="permission denied"):
            _as_app_role(role, f"TRUNCATE {table} CASCADE")
        assert model.objects.filter(pk=row.pk).exists()
    assert AccessLog.objects.filter(pk=access.pk).exists()


def test_every_append_only_table_is_revoked_from_the_app_role() -> None:
    from django.apps import apps

    from clinic.append_only import AppendOnlyModel

    revoke = GRANTS.read_text().split("REVOKE UPDATE, DELETE, TRUNCATE ON", 1)[1].split("FROM")[0]
    revoked = {name.strip() for name in revoke.split(",")}
    append_only = {
        model._meta.db_table for model in apps.get_models() if issubclass(model, AppendOnlyModel)
    }
    assert append_only <= revoked, f"not in docs/postgres-app-role.sql: {append_only - revoked}"
