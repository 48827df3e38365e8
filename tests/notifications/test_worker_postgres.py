"""End to end on PostgreSQL: a booking commits, its messages wait as rows of the database queue,
and the real worker (`manage.py db_worker`, another process) sends them and records them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from clinic.models import User
from notifications.models import Message
from scheduling.services.bookings import booking_create
from tests.clinic.test_settings import ROOT
from tests.ops.test_backup_restore import _url
from tests.scheduling.helpers import accepted_referral, day_session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_what_a_booking_enqueued(secretary: User, settings: Any) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    referral = accepted_referral()
    day = timezone.localdate() + timedelta(days=14)
    booking_create(
        referral=referral,
        session=day_session(day),
        by=secretary,
        confirm_outside_ideal=True,
        contact_channel="sms",
    )  # committed (transaction=True): the on_commit hook enqueued two tasks
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _url(connection.settings_dict["NAME"]),
            "CIMENTO_TESTING": "false",
            "SITE_URL": "https://cimento.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]

    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    # The console backends printed both: the GP's e-mail with its link, the patient's SMS.
    assert f"https://cimento.example/medecin/demandes/{referral.pk}/" in worker.stdout
    assert "SMS from CIMENTO to +33600000000" in worker.stdout
    assert referral.events.filter(action="notification.sent").count() == 2
