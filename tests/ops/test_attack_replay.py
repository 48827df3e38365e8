"""Issue 17's attacks, replayed over HTTP on gunicorn with DEBUG off, PostgreSQL and the proxy
header (scripts/attack_replay.py, `make attack-replay`): every one is refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.clinic.test_settings import ROOT


@pytest.mark.postgres
def test_every_attack_of_issue_17_is_refused_on_a_production_like_server() -> None:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    server = f"postgres://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CIMENTO_TESTING")}
    replay = subprocess.run(
        [sys.executable, "scripts/attack_replay.py"],
        cwd=ROOT,
        env={**env, "REPLAY_POSTGRES": server},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert replay.returncode == 0, replay.stdout[-4000:] + replay.stderr[-4000:]
    assert ", 0 got through," in replay.stdout
