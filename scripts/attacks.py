"""The attacks of issue 17, findings 1 to 8, as scripts/attack_replay.py repeats them over HTTP.

Each function runs one finding's attacks against the running server and records, through
`replay.check`, whether each was refused (and what the server answered). The database is read
directly to see what an attack changed."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from replay_kit import PASSWORD, ROOT, SERVER, Browser, Replay, throwaway_database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TWO_MB = PDF + b"%" * (2 * 1024 * 1024 - len(PDF))
OTHER_GPS_ADDRESS = "99 rue de l'Autre Médecin, 13000 Marseille"
DEVNULL = open(os.devnull, "w")  # noqa: SIM115 (the commands' own output, for the whole run)


def _referral(action: str = "submit", **overrides: Any) -> dict[str, str]:
    from tests.referrals.form_data import referral_data

    return {k: str(v) for k, v in referral_data(action=action, **overrides).items()}


def finding_1_shared_patient(replay: Replay, scratch: Path) -> None:
    from referrals.models import Patient, Referral

    first = replay.gp("dr-a")
    assert first.post("/medecin/demandes/nouvelle/", _referral(**BLANK_CONTACT)).status == 302
    referral = Referral.objects.filter(gp__username="dr-a").latest("pk")
    replay.referral_pk = referral.pk
    second = replay.gp("dr-b")
    typed = {"patient-phone": "07 99 99 99 99", "patient-address": OTHER_GPS_ADDRESS}
    saved = second.post("/medecin/demandes/nouvelle/", _referral("save", **typed))

    def record_unchanged() -> tuple[bool, str]:
        record = Patient.objects.get(referrals=referral)
        blank = not (record.phone or record.address or record.email)
        return blank, f"draft saved ({saved.status}); clinic record's contact still blank: {blank}"

    def first_gps_page() -> tuple[bool, str]:
        page = first.get(f"/medecin/demandes/{referral.pk}/")
        leaked = "Autre Médecin" in page.text
        return page.status == 200 and not leaked, f"{page.status}, other GP's address: {leaked}"

    replay.check("1", "GP B's draft fills GP A's patient record", record_unchanged)
    replay.check("1", "GP A's page prints GP B's address", first_gps_page)


BLANK_CONTACT: dict[str, Any] = {
    "patient__phone": None,
    "patient__email": None,
    "patient__address": None,
}


def finding_2_admin_takes_a_role(replay: Replay, scratch: Path) -> None:
    from clinic.models import AccountEvent, User

    admin = replay.staff("chief")
    chief = User.objects.get(username="chief")

    def own_role() -> tuple[bool, str]:
        change = f"/admin/clinic/user/{chief.pk}/change/"
        fields = [(k, v) for k, v in _fields(admin, change, "user_form") if k != "role"]
        answer = admin.post(change, [*fields, ("role", "radiologist"), ("_save", "1")])
        role = User.objects.get(pk=chief.pk).role
        return role == "admin", f"admin posted role=radiologist ({answer.status}); role: {role}"

    def reads_clinical_pages() -> tuple[bool, str]:
        pk = replay.referral_pk
        statuses = [admin.get(p).status for p in ("/radiologie/", f"/radiologie/demandes/{pk}/")]
        return all(s in (403, 404) for s in statuses), f"worklist, referral: {statuses}"

    def others_role_logged() -> tuple[bool, str]:
        target = User.objects.get(username="dr-new-radio")
        change = f"/admin/clinic/user/{target.pk}/change/"
        fields = [(k, v) for k, v in _fields(admin, change, "user_form") if k != "role"]
        admin.post(change, [*fields, ("role", "secretary"), ("_save", "1")])
        event = AccountEvent.objects.filter(account_id=target.pk).order_by("-pk").first()
        logged = event is not None and event.actor_id == chief.pk
        admin.post(change, [*fields, ("role", "radiologist"), ("_save", "1")])
        return logged, f"role change in the append-only account log by the admin: {logged}"

    replay.check("2", "administrator gives themselves a clinical role", own_role)
    replay.check("2", "administrator opens the worklist and a referral", reads_clinical_pages)
    replay.check("2", "a role change goes unrecorded", others_role_logged)
    replay.admin = admin


def _id(username: str) -> int:
    from clinic.models import User

    return User.objects.get(username=username).pk


def _fields(client: Any, path: str, form_id: str) -> list[tuple[str, str]]:
    from replay_kit import form_fields

    page = client.get(path)
    assert page.status == 200, f"{path}: {page.status}"
    return form_fields(page.text, form_id)


def finding_3_totp_secrets(replay: Replay, scratch: Path) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = replay.verified_admin()
    device = TOTPDevice.objects.get(user__username="desk")

    def config_page() -> tuple[bool, str]:
        statuses = [
            admin.get(p).status
            for p in (
                "/admin/otp_totp/totpdevice/",
                f"/admin/otp_totp/totpdevice/{device.pk}/config/",
            )
        ]
        return statuses == [404, 404], f"device list, QR code page: {statuses}"

    def enrol_with_password_only() -> tuple[bool, str]:
        thief = replay.browser()
        thief.login("dr-new-radio", PASSWORD)
        page = thief.get("/compte/double-authentification/")
        secret_shown = "otpauth" in page.text or "data:image" in page.text
        guessed = thief.post("/compte/double-authentification/", {"code": "AAAA-BBBB-CCCC"})
        devices = TOTPDevice.objects.filter(user__username="dr-new-radio").count()
        ok = not secret_shown and guessed.status == 200 and devices == 0
        return ok, f"QR code shown: {secret_shown}; wrong code {guessed.status}; devices: {devices}"

    replay.check("3", "admin opens a staff member's TOTP QR code", config_page)
    replay.check(
        "3", "staff enrols an authenticator with the password only", enrol_with_password_only
    )


def finding_4_lockout(replay: Replay, scratch: Path) -> None:
    def distributed_guessing() -> tuple[bool, str]:
        statuses = set()
        for _address in range(8):
            client = replay.browser()
            for _ in range(4):
                statuses.add(client.login("dr-victim", "wrong-password-42").status)
        last = replay.browser()
        answer = last.login("dr-victim", PASSWORD)
        return (
            answer.status != 302,
            f"32 failures from 8 addresses, then from a 9th: {answer.status}",
        )

    def one_client_locks_everyone() -> tuple[bool, str]:
        guesser = replay.browser()
        for _ in range(5):
            guesser.login("dr-shared", "wrong-password-42")
        locked = guesser.login("dr-shared", PASSWORD).status
        colleague = replay.browser().login("dr-shared", PASSWORD).status
        ok = locked == 429 and colleague == 302
        return ok, f"the guesser's address: {locked}; the user's own address: {colleague}"

    replay.check(
        "4", "32 passwords from 8 addresses, the right one from a 9th", distributed_guessing
    )
    replay.check(
        "4", "5 failures behind the proxy lock the account for all", one_client_locks_everyone
    )


def finding_5_uploads(replay: Replay, scratch: Path) -> None:
    from referrals.models import Attachment, Referral

    gp = replay.gp("dr-uploads")
    new = "/medecin/demandes/nouvelle/"

    def pdfs(count: int, body: bytes = PDF) -> list[tuple[str, str, bytes, str]]:
        return [("files-mri_report", f"cr-{n}.pdf", body, "application/pdf") for n in range(count)]

    def many_in_one_request() -> tuple[bool, str]:
        answer = gp.post(new, _referral("save"), pdfs(40))
        stored = Attachment.objects.filter(referral__gp__username="dr-uploads").count()
        return answer.status == 400 and stored == 0, f"40 files: {answer.status}, stored {stored}"

    def piling_up() -> tuple[bool, str]:
        statuses = [gp.post(new, _referral("save"), pdfs(10, TWO_MB)).status]
        draft = Referral.objects.filter(gp__username="dr-uploads").latest("pk")
        edit = f"/medecin/demandes/{draft.pk}/modifier/"
        statuses += [gp.post(edit, _referral("save"), pdfs(10, TWO_MB)).status for _ in range(3)]
        stored = draft.attachments.count()
        return stored <= 20, f"4 × 10 files of 2 MB on one draft: {statuses}, stored {stored}"

    def oversized() -> tuple[bool, str]:
        before = sum(1 for p in replay.media.rglob("*") if p.is_file())
        answer = gp.declare_and_stall(new, declared=60 * 1024 * 1024, sent=1024 * 1024)
        after = sum(1 for p in replay.media.rglob("*") if p.is_file())
        ok = answer.status == 413 and after == before
        return ok, f"60 MB announced, 1 MB sent: {answer.status}, files stored {after - before}"

    replay.check("5", "40 files in one request", many_in_one_request)
    replay.check("5", "40 files of 2 MB on one draft in 4 requests", piling_up)
    replay.check("5", "a 60 MB request", oversized)


def finding_6_backups(replay: Replay, scratch: Path) -> None:
    import psycopg
    from django.core.management import call_command
    from django.core.management.base import CommandError

    archive = scratch / "backup.tar"
    call_command("backup", output=archive, stdout=DEVNULL)

    def files_in_backup() -> tuple[bool, str]:
        stored = {str(p.relative_to(replay.media)) for p in replay.media.rglob("*") if p.is_file()}
        with tarfile.open(archive) as tar:
            held = {n.removeprefix("files/default/") for n in tar.getnames()}
        return bool(stored) and stored <= held, f"{len(stored)} stored files, all in the archive"

    def restore_refused(target: str | None, expected: str) -> Callable[[], tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            try:
                call_command("restore", archive, target_database=target)
            except CommandError as error:
                return expected in str(error), str(error)[:90]
            return False, "restored"

        return run

    def grants_after_restore() -> tuple[bool, str]:
        role = f"cimento_app_replay_{os.getpid()}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
        try:
            with throwaway_database(f"{role}_restored") as target:
                call_command(
                    "restore",
                    archive,
                    target_database=target,
                    app_role=role,
                    stdout=DEVNULL,
                )
                with psycopg.connect(target) as db:
                    db.execute(f'SET ROLE "{role}"')
                    rows = db.execute("SELECT count(*) FROM referrals_attachment").fetchone()
                    try:
                        db.execute("DELETE FROM clinic_accesslog")
                        deleted = True
                    except psycopg.errors.InsufficientPrivilege:
                        deleted = False
            read = rows[0] if rows else None
            return not deleted, f"app role reads {read} attachments, may DELETE the log: {deleted}"
        finally:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')

    def ignored_by_git() -> tuple[bool, str]:
        command = ["git", "check-ignore", "-q", "backups/x.tar"]
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (git on PATH)
        return done.returncode == 0, f"git check-ignore backups/: {done.returncode == 0}"

    replay.check("6", "a backup without the attachments", files_in_backup)
    replay.check(
        "6", "restore with no target (onto DATABASE_URL)", restore_refused(None, "explicit target")
    )
    replay.check(
        "6",
        "restore over the live database",
        restore_refused(os.environ["DATABASE_URL"], "already holds"),
    )
    replay.check("6", "restore leaves the app role without its grants", grants_after_restore)
    replay.check("6", "backups/ committed to git", ignored_by_git)


def finding_7_bad_input(replay: Replay, scratch: Path) -> None:
    desk = replay.staff("desk")
    admin = replay.verified_admin()
    for path, client in (
        ("/secretariat/journee/?date=9999-12-31", desk),
        ("/secretariat/journee/?date=0001-01-01", desk),
        ("/admin/clinic/user/?role__exact=%00", admin),
    ):
        replay.check("7", f"GET {path}", _no_server_error(client, path))


def _no_server_error(client: Browser, path: str) -> Callable[[], tuple[bool, str]]:
    def run() -> tuple[bool, str]:
        status = client.get(path).status
        return status < 500, str(status)

    return run


def finding_8_hardening(replay: Replay, scratch: Path) -> None:
    from axes.models import AccessAttempt
    from axes.models import AccessLog as LoginLog

    from clinic.models import AccessLog, User

    admin = replay.verified_admin()
    gp = replay.gp("dr-a")
    pk = replay.referral_pk

    def console_email() -> tuple[bool, str]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
        done = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode != 0 and "EMAIL_BACKEND" in done.stderr, f"exit {done.returncode}"

    def search_logged() -> tuple[bool, str]:
        admin.post("/administration/journal-des-acces/", {"patient": "Rousseau"})
        row = AccessLog.objects.filter(what="access_log.search").order_by("-pk").first()
        ok = row is not None and row.search == "Rousseau" and row.user_id == _id("chief")
        return ok, f"logged: {ok}"

    def refusal_logged() -> tuple[bool, str]:
        status = replay.gp("dr-b").get(f"/medecin/demandes/{pk}/").status
        row = AccessLog.objects.filter(referral_id=pk, user__username="dr-b").last()
        outcome = row.outcome if row else None
        return status == 404 and outcome == "refused", f"{status}, logged as {outcome}"

    def login_history_deleted() -> tuple[bool, str]:
        entries = [
            ("accesslog", LoginLog.objects.first()),
            ("accessattempt", AccessAttempt.objects.first()),
        ]
        statuses = [
            admin.get(f"/admin/axes/{m}/{e.pk if e else 0}/delete/").status for m, e in entries
        ]
        return all(s == 403 for s in statuses), f"delete pages: {statuses}"

    def live_verdict_flood() -> tuple[bool, str]:
        # The limit is 120 per clock minute (a fixed window): a flood that starts late in one
        # minute may pass 120 + 120 before its first 429, never more (it lasts under a minute).
        data, sent = _referral("save"), 0
        while sent < 2 * 120 + 1:
            sent += 1
            if gp.post("/medecin/demandes/apercu/", data).status == 429:
                return True, f"429 after {sent} requests"
        return False, f"{sent} requests, no 429"

    def weak_password() -> tuple[bool, str]:
        answer = gp.post(
            "/compte/mot-de-passe/",
            {
                "old_password": PASSWORD,
                "new_password1": "password1234",
                "new_password2": "password1234",
            },
        )
        kept = User.objects.get(username="dr-a").check_password(PASSWORD)
        return (
            answer.status == 200 and "trop courant" in answer.text and kept,
            f"{answer.status}, password kept: {kept}",
        )

    def headers() -> tuple[bool, str]:
        page = replay.browser().get("/connexion/")
        policy = page.headers.get("Permissions-Policy", "")
        ok = all(f"{f}=()" in policy for f in ("camera", "microphone", "geolocation"))
        ok = ok and "max-age" in page.headers.get("Strict-Transport-Security", "")
        return ok, f"Permissions-Policy and HSTS: {ok}"

    def plain_http() -> tuple[bool, str]:
        answer = _plain(replay.browser())
        return answer[0] == 301 and answer[1].startswith("https://"), f"{answer[0]} to {answer[1]}"

    def setuptools() -> tuple[bool, str]:
        from packaging.version import Version

        found = version("setuptools")
        return Version(found) >= Version("78.1.1"), f"setuptools {found}"

    replay.check("8", "console e-mail backend with DEBUG off", console_email)
    replay.check("8", "an access-log search leaves no trace", search_logged)
    replay.check("8", "another GP's referral, logged as granted", refusal_logged)
    replay.check("8", "admin deletes the login history", login_history_deleted)
    replay.check("8", "a flood of live verdicts", live_verdict_flood)
    replay.check("8", "password « password1234 »", weak_password)
    replay.check("8", "a page without Permissions-Policy or HSTS", headers)
    replay.check("8", "plain HTTP served", plain_http)
    replay.check("8", "the venv's setuptools with advisories", setuptools)


def _plain(client: Any) -> tuple[int, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=20)
    try:
        connection.request("GET", "/connexion/", headers={"Host": f"127.0.0.1:{client.port}"})
        answer = connection.getresponse()
        return answer.status, answer.headers.get("Location", "")
    finally:
        connection.close()


ATTACKS = [
    finding_1_shared_patient,
    finding_2_admin_takes_a_role,
    finding_3_totp_secrets,
    finding_4_lockout,
    finding_5_uploads,
    finding_6_backups,
    finding_7_bad_input,
    finding_8_hardening,
]
