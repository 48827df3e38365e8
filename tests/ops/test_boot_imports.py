"""What a gunicorn worker imports when it boots (config.wsgi and the urls every request resolves
against): not the libraries of a few requests — WeasyPrint for a PDF, the FHIR models for a
Bundle, iCalendar for an .ics, requests for a call out — which would otherwise sit in every
worker's memory (docs/performance.md, « Memory »). Run in a fresh interpreter: this process has
imported them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.clinic.test_settings import ROOT, STRONG_KEY
from tests.ops.test_deploy_kit import _template

# Each one is imported where it is used (reports/rendering.py, fhir_api/intake.py,
# scheduling/documents.py, scheduling/public_holidays.py, fhir_api/outbound.py,
# fhir_api/oauth_views.py), with the first request that needs it.
LAZY = (
    "weasyprint",
    "fontTools",
    "PIL",
    "pydyf",
    "pydantic",
    "fhir",
    "icalendar",
    "holidays",
    "requests",
    "boto3",
)

BOOT = """
import json, sys
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns  # every urls module and the views they import
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _boot_imports(**env: str) -> set[str]:
    """The top-level packages imported by a worker of the production settings (the deployment
    kit's environment file) once it has booted."""
    values, _ = _template()
    unset = {"DEBUG", "CIMENTO_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run(
        [sys.executable, "-c", BOOT],
        cwd=ROOT,
        env={**base, **values, "SECRET_KEY": STRONG_KEY, "CIMENTO_TESTING": "false", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_worker_boots_without_the_libraries_of_documents_and_the_api() -> None:
    loaded = _boot_imports()

    assert "django" in loaded and "referrals" in loaded  # the app did boot
    assert sorted(loaded.intersection(LAZY)) == []


def test_patient_files_in_a_bucket_load_boto3_with_the_first_file_not_at_boot() -> None:
    loaded = _boot_imports(S3_BUCKET="cimento-files", S3_REGION="eu-west-3")

    assert "storages" not in loaded and "boto3" not in loaded
