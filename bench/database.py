"""The bench's own PostgreSQL database: dropped, created and migrated at every run, on the server
DATABASE_URL names (never its database: dev data stays untouched), local servers only."""

from __future__ import annotations

import os
import re
import secrets
import sys
from urllib.parse import urlsplit, urlunsplit

# BENCH_DATABASE names it otherwise, so that two people benching on one server do not drop each
# other's database mid-run (a plain lowercase name: it is written into DROP DATABASE).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "cimento_bench"
if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", BENCH_DATABASE):
    raise SystemExit(f"BENCH_DATABASE={BENCH_DATABASE!r}: letters, digits and _ only, please.")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


class NotPostgres(Exception):
    """DATABASE_URL is missing, is not PostgreSQL or is not on this machine (message says which)."""


def bench_url(database_url: str | None, name: str = BENCH_DATABASE) -> str:
    """DATABASE_URL with the bench database's name instead of its own."""
    if not database_url:
        raise NotPostgres(
            "DATABASE_URL is not set: the web figures need PostgreSQL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimento_dev make bench "
            f"(the bench creates and drops its own database, {name}, on that server)."
        )
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise NotPostgres(
            f"DATABASE_URL is {parts.scheme or 'not a URL'}, not PostgreSQL: the web figures are "
            "only meaningful on the production database engine. Point DATABASE_URL at a local "
            "PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/cimento_dev."
        )
    if (parts.hostname or "") not in LOCAL_HOSTS:
        raise NotPostgres(
            f"DATABASE_URL points at {parts.hostname}: the bench drops and recreates a database, "
            "so it only runs against a PostgreSQL server on this machine (127.0.0.1)."
        )
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str) -> None:
    """DROP (closing any leftover connection) and CREATE the database of `url`."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str) -> dict[str, str]:
    """The environment Django (here and in gunicorn) runs the bench with."""
    values = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "notifications.sms.locmem.SmsBackend",
        "CIMENTO_TESTING": "false",
        "DB_CONN_MAX_AGE": "600",
    }
    os.environ.update(values)
    return values


def open_last_run() -> bool:
    """Set Django up on the database the last `make bench` left (the quick scripts beside it:
    page_profile.py, query_cost.py). False, with the reason on stderr, when DATABASE_URL is not
    a local PostgreSQL server."""
    try:
        url = bench_url(os.environ.get("DATABASE_URL"))
    except NotPostgres as error:
        print(error, file=sys.stderr)
        return False
    configure(url)
    import django

    django.setup()
    return True


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0]).split(" ")[0]


def settle() -> str:
    """Write the loaded data out now (CHECKPOINT), so that the figures that follow are not
    measured while PostgreSQL flushes hundreds of megabytes in the background: after the 99,000
    referrals, a checkpoint that WAL volume set off ran through the measures and slowed both the
    pages and their baselines by about 1.6×. Returns "" or why it could not (the role lacks the
    right: the figures then carry the flush)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        return f"CHECKPOINT refused ({error}): figures may include the load's write-out"
    return ""
