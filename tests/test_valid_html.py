"""Every main page of each role is valid HTML for the Nu Html Checker (the W3C's validator).

The checker is npm's vnu-jar, run on Java 17+ (`make tools` installs it under tools/): pages are
fetched with the test client and checked in one run (the JVM takes seconds to start). Without Java
or the jar the test is skipped with the reason; on CI it fails instead (.ci/run installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from clinic.models import User
from tests.conftest import ON_CI, client_for
from tests.tour import (
    ANONYMOUS_STOPS,
    Stop,
    admin_stops,
    build_clinic,
    gp_stops,
    radiologist_stops,
    secretary_stops,
)

VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(settings.BASE_DIR) / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def _checker() -> list[str]:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Java 17 or later) is not on PATH")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} is missing (run `make tools`)")
    if missing:
        reason = "Nu Html Checker unavailable: " + "; ".join(missing)
        if ON_CI:
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    assert java is not None
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def _save(client: Client, stops: list[Stop], role: str, folder: Path) -> list[Path]:
    paths = []
    for stop in stops:
        response = client.get(stop.path)
        expected = 404 if stop.name == "not-found" else 200
        assert response.status_code == expected, (stop, response.status_code)
        assert response["Content-Type"].startswith("text/html"), stop
        path = folder / f"{role}-{stop.name}.html"
        path.write_bytes(response.content)
        paths.append(path)
    return paths


def test_main_pages_of_each_role_have_no_html_error(
    tmp_path: Path, gp: User, radiologist: User, secretary: User, admin_user: User
) -> None:
    command = _checker()
    clinic = build_clinic(gp=gp, radiologist=radiologist, secretary=secretary)
    pages = [
        *_save(client_for(gp), gp_stops(clinic), "gp", tmp_path),
        *_save(client_for(radiologist), radiologist_stops(clinic), "radiologist", tmp_path),
        *_save(client_for(secretary), secretary_stops(clinic), "secretary", tmp_path),
        *_save(client_for(admin_user), admin_stops(), "admin", tmp_path),
        *_save(Client(), ANONYMOUS_STOPS, "anonymous", tmp_path),
    ]

    run = subprocess.run(
        [*command, "--format", "json", "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" — {m.get('extract', '').strip()!r}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)
    assert run.returncode == 0, run.stderr[-2000:]
