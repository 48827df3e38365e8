"""The tasks the queue runs (django-tasks; `manage.py db_worker` outside tests). Each takes ids,
never objects, and reads the database afresh: the row may have changed since it was enqueued."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task


@task()
def send_message(message_id: int) -> str:
    from notifications.services.sending import send_now

    return send_now(message_id=message_id)


@task()
def run_command(name: str) -> str:
    """A periodic job that is a management command (the orphan-file purge, the retention
    report): the scheduler enqueues it, the worker runs it and its output goes to the log."""
    from io import StringIO

    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()[-2000:]
