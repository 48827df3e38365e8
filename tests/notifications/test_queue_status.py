"""`manage.py queue_status`, the monitoring probe of docs/deployment.md: quiet and 0 when the
queue flows; 1 with the reason when a task waits with no worker to take it, when a message is
stuck or was given up on (for a day: the desk still sees it after), or when a task raised."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from clinic.models import User
from notifications.choices import MessageStatus
from notifications.models import Message
from tests.notifications.test_sending import _book

# test_sending._book books Tuesday 8 December 2026.
FRIDAY_9AM = "2026-12-04 09:00 +01:00"


def _probe() -> tuple[int, dict[str, int], str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("queue_status", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    figures = {
        name: int(value) for name, value in (line.split() for line in out.getvalue().splitlines())
    }
    return code, figures, err.getvalue()


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_an_empty_queue_is_quiet(database_queue: None) -> None:
    code, figures, errors = _probe()
    assert code == 0 and errors == ""
    assert figures["tasks_ready"] == 0 and figures["messages_failed"] == 0


def test_a_task_no_worker_takes_is_reported_once_it_waited_too_long(
    secretary: User, database_queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(FRIDAY_9AM, tick=False) as traveller:
        _book(secretary, django_capture_on_commit_callbacks)  # two messages, two tasks, no worker
        code, figures, _ = _probe()
        assert code == 0 and figures["tasks_ready"] == 2
        traveller.shift(timedelta(minutes=20))
        code, figures, errors = _probe()
    assert code == 1
    assert figures["tasks_oldest_wait_seconds"] == 20 * 60
    assert "a task has waited 20 min: is a worker running?" in errors


def test_a_message_given_up_on_alarms_for_a_day_and_a_stuck_one_until_requeued(
    secretary: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.DownBackend"
    with time_machine.travel(FRIDAY_9AM, tick=False) as traveller:
        _book(secretary, django_capture_on_commit_callbacks)  # 4 attempts each, then failed
        code, figures, errors = _probe()
        assert code == 1 and figures["messages_failed_24h"] == 2
        assert "2 message(s) given up on in 24 h" in errors
        traveller.shift(timedelta(hours=25))
        code, figures, errors = _probe()
        assert code == 0 and errors == ""
        assert figures["messages_failed"] == 2  # still on the desk's home page

        message = Message.objects.first()
        assert message is not None
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=16)
        )
        code, figures, errors = _probe()
    assert code == 1 and figures["messages_stuck_sending"] == 1
    assert "1 message(s) stuck sending" in errors
