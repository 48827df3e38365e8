#!/usr/bin/env python
"""Replay issue 17's attacks on a production-like Cimento and check that every one is refused.

gunicorn (two sync workers) serves the product with DEBUG off on a throwaway PostgreSQL database
this script creates and drops, on 127.0.0.1 behind the TLS proxy's headers (X-Forwarded-Proto,
X-Forwarded-For from TRUSTED_PROXIES=127.0.0.1), with secure cookies, HTTPS redirect and the
second factor for staff (scripts/replay_settings.py: the product's settings, static files served
by name). The script seeds accounts, then repeats each attack over HTTP and checks the answer and
the database; it prints one row per attack and exits 1 if any got through.

    .venv/bin/python scripts/attack_replay.py        (make attack-replay)

REPLAY_POSTGRES names the server (default postgres://postgres@127.0.0.1:5432, trust auth).
tests/ops/test_attack_replay.py runs it on PostgreSQL runs of the suite."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from replay_kit import Browser, Replay, Row, throwaway_database  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(port: int) -> Iterator[None]:
    log = Path(tempfile.mkstemp(prefix="cimento-replay-gunicorn-", suffix=".log")[1])
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers=2"]
    command += [f"--bind=127.0.0.1:{port}", f"--chdir={ROOT}", f"--pythonpath={ROOT / 'scripts'}"]
    command += ["--log-level=warning", "--forwarded-allow-ips=127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, env=os.environ.copy(), stdout=out, stderr=out, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {log}")
            time.sleep(0.2)
        yield
    except BaseException:
        print(f"gunicorn's log: {log}", file=sys.stderr)
        raise
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # our own process group, nothing else
        process.wait(timeout=30)
    log.unlink(missing_ok=True)


def _answers(port: int) -> bool:
    try:
        return Browser(port, "127.0.0.1").get("/healthz").status == 200
    except OSError:
        return False


def environment(database_url: str, media: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "replay_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXIES": "127.0.0.1",
            "OTP_REQUIRED_FOR_STAFF": "true",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "SMS_BACKEND": "notifications.sms.locmem.SmsBackend",
            "MEDIA_ROOT": str(media),
            "CIMENTO_TESTING": "false",
            "LOG_LEVEL": "WARNING",
        }
    )


def seed(replay: Replay) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import (
        AdminFactory,
        GPFactory,
        RadiologistFactory,
        SecretaryFactory,
    )

    for username in ("dr-a", "dr-b", "dr-victim", "dr-shared", "dr-uploads"):
        GPFactory(username=username)
    for factory, username in (
        (AdminFactory, "chief"),
        (SecretaryFactory, "desk"),
        (RadiologistFactory, "dr-radio"),
    ):
        user = factory(username=username)
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="replay", key=key, confirmed=True)
        replay.keys[username] = key
    RadiologistFactory(username="dr-new-radio")  # staff without an authenticator yet


def main() -> int:
    started = time.monotonic()
    port = free_port()
    with (
        tempfile.TemporaryDirectory(prefix="cimento-replay-") as scratch,
        throwaway_database(f"cimento_replay_{secrets.token_hex(4)}") as url,
    ):
        media = Path(scratch) / "media"
        environment(url, media)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        replay = Replay(port, media)
        seed(replay)
        print(f"-- database ready in {time.monotonic() - started:.0f} s", flush=True)
        with gunicorn(port):
            from attacks import ATTACKS

            for attack in ATTACKS:
                begun = time.monotonic()
                attack(replay, Path(scratch))
                print(f"-- {attack.__name__}: {time.monotonic() - begun:.1f} s", flush=True)
        from django.db import connections

        connections.close_all()  # before the database is dropped
    failed = [row for row in replay.rows if not row.refused]
    print_table(replay.rows)
    print(
        f"\n{len(replay.rows)} attacks, {len(failed)} got through, "
        f"{time.monotonic() - started:.0f} s"
    )
    return 1 if failed else 0


def print_table(rows: list[Row]) -> None:
    width = max(len(row.attack) for row in rows)
    print(f"\n{'#':>3}  {'attack':<{width}}  result")
    for row in rows:
        mark = "refused" if row.refused else "GOT THROUGH"
        print(f"{row.finding:>3}  {row.attack:<{width}}  {mark}: {row.result}")


if __name__ == "__main__":
    sys.exit(main())
