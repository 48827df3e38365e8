"""make backup / make restore: a dump restored into a fresh database still holds the referrals."""

from __future__ import annotations

import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from tests.clinic.test_settings import ROOT
from tests.factories import FractureLevelFactory, ReferralFactory


def _url(dbname: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgresql://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{dbname}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database(tmp_path: object) -> None:
    referral = ReferralFactory(clinical_note="note à retrouver après restauration")
    FractureLevelFactory(referral=referral, level="T12")
    source = _url(connection.settings_dict["NAME"])
    dump = f"{tmp_path}/cimento.dump"
    fresh = f"cimento_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(
            ["make", "-s", "backup", f"DUMP={dump}"],
            cwd=ROOT,
            env={"DATABASE_URL": source, "PATH": "/usr/bin:/bin"},
            check=True,
        )
        subprocess.run(
            ["make", "-s", "restore", f"DUMP={dump}", f"TARGET={_url(fresh)}"],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin"},
            check=True,
        )
        with psycopg.connect(_url(fresh)) as restored:
            rows = restored.execute(
                "SELECT r.clinical_note, l.level FROM referrals_referral r "
                "JOIN referrals_fracturelevel l ON l.referral_id = r.id"
            ).fetchall()
        assert rows == [("note à retrouver après restauration", "T12")]
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
