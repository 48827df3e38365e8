"""manage.py create_administrator USERNAME: the clinic's first administrator, from the server.

Administrators are staff: they log in with a password and a second factor, and pair their
authenticator only with a one-time code another administrator issues (docs/security.md, row 9).
The first one has nobody to issue it: this command creates the account (role « administrateur »,
the Django admin's rights) and prints its enrolment code once, for the person to type at their
first login. Run again for an administrator who lost their authenticator when no other
administrator can reset it: a new code, the old device removed. Both are in the account log
(no actor: the server's command line). docs/deployment.md, step 6."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clinic.accounts import enrolment_code_issue
from clinic.models import Role, User

PASSWORD_VARIABLE = "CIMENTO_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = "Create the first administrator (or give one a new enrolment code) and print the code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Read a new account's password from {PASSWORD_VARIABLE} instead of asking.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        existing = User.objects.filter(username=username).first()
        if existing is not None and existing.role != Role.ADMIN:
            raise CommandError(
                f"{username} exists and is not an administrator: choose another username "
                "(roles are given in the administration pages, never from here)."
            )
        with transaction.atomic():
            if existing is None:
                account = self._create(username, options)
                done = f"Administrator {username} created."
            else:
                account = existing
                done = f"{username}'s second factor was reset."
            code = enrolment_code_issue(account=account, by=None)
        hours = settings.OTP_ENROLMENT_CODE_HOURS
        self.stdout.write(done)
        self.stdout.write(
            f"One-time enrolment code (valid {hours} h, shown only now): {code}\n"
            "Log in with the password, type this code, then scan the QR code with an "
            "authenticator app."
        )

    def _create(self, username: str, options: dict[str, Any]) -> User:
        account = User(
            username=username,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
        )
        password = self._password(account, interactive=options["interactive"])
        account.set_password(password)
        account.save()
        return account

    def _password(self, account: User, *, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"--noinput: set {PASSWORD_VARIABLE} to the new password.")
            self._validate(password, account)
            return password
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                self._validate(password, account)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password

    @staticmethod
    def _validate(password: str, account: User) -> None:
        try:
            validate_password(password, account)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
