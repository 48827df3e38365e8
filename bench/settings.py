"""Settings of `make bench`: the product's own, as in production (DEBUG off, so no query log and
cached templates), on the bench database that bench/database.py creates.

bench/run.py sets the environment (DATABASE_URL, SECRET_KEY, …) before Django reads this module
and hands the same environment to gunicorn, so both sign and read the same session cookies."""

from __future__ import annotations

import os
import warnings

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # plain HTTP on 127.0.0.1
os.environ.setdefault("OTP_REQUIRED_FOR_STAFF", "false")  # sessions are opened by force_login
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: F403

# Static files are served by name from the apps (no collectstatic), so WhiteNoise's STATIC_ROOT
# is absent on purpose.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# The bench's bare baseline views sit beside the product's urls, never in them; its app brings
# `manage.py seed_volume`, which the product's settings do not know.
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench.apps.BenchConfig"]  # noqa: F405
# Pages link their static files by name: no collectstatic needed, and the cost of a `{% static %}`
# is the same dictionary-free join as with the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The documents, uploads and e-mails of the bench stay out of the developer's folders.
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", "/tmp/cimento-bench-media"))  # noqa: F405, S108
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.locmem.SmsBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
