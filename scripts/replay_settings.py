"""Settings of scripts/attack_replay.py and tests/ops/test_two_servers.py: the product's own, as
in production (DEBUG off, HTTPS redirect, secure cookies, second factor for staff, trusted proxy),
but for two things: static files are served by name from the apps, so that a run needs no
`collectstatic` (a minute or more of compression; the two-server test does collect them, for
nginx), and passwords are hashed cheaply (below). Each caller sets the environment before Django
reads this module."""

from __future__ import annotations

import warnings

from config.settings import *  # noqa: F403

# WhiteNoise's STATIC_ROOT is absent on purpose (no collectstatic).
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# And one more: passwords are hashed as in the test suite. The attacks count failures and
# lockouts, they crack nothing; PBKDF2's cost (half a second a login on the 2-core machines, 50
# logins) would make the run too slow for CI.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
