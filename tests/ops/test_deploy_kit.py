"""The deployment kit (deploy/, docs/deployment.md) checked by the tools that will read it: the
environment template lists every variable the code reads and passes `check --deploy` as it
stands; the systemd units pass `systemd-analyze verify`; the nginx site passes `nginx -t`.
A missing tool skips its test on a laptop and fails it on CI (.ci/run installs them)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clinic.test_settings import ROOT, STRONG_KEY, _manage
from tests.ops.nginx_site import render_site

DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "cimento.env"
ON_CI = os.environ.get("CI", "").lower() == "true"
# Where the code reads its environment: the settings, the storage, gunicorn's file, the restore.
READERS = [
    ROOT / "config" / "settings.py",
    ROOT / "config" / "storage.py",
    DEPLOY / "gunicorn.conf.py",
    ROOT / "clinic" / "management" / "commands" / "restore.py",
]
READ = re.compile(
    r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/bin")
    if found is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def _template() -> tuple[dict[str, str], set[str]]:
    """(the variables set, every variable named, set or commented out)."""
    values, named = {}, set()
    for line in TEMPLATE.read_text().splitlines():
        match = re.match(r"^(#?)([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match is None:
            continue
        commented, name, value = match.groups()
        named.add(name)
        if not commented:
            values[name] = " ".join(shlex.split(value))
    return values, named


def test_the_environment_template_lists_every_variable_the_code_reads() -> None:
    read = {name for path in READERS for name in READ.findall(path.read_text())}
    assert {"SECRET_KEY", "S3_BUCKET", "GUNICORN_BIND", "DATABASE_APP_ROLE"} <= read  # the regex
    assert {"SMS_BACKEND", "TASKS_BACKEND", "CLINIC_EMERGENCY_PHONE"} <= read  # across lines
    _, named = _template()
    assert sorted(read - named) == [], "read by the code, missing from deploy/cimento.env"
    assert sorted(named - read) == [], "in deploy/cimento.env, read by nothing"


def test_the_environment_template_is_read_alike_by_systemd_and_the_shell() -> None:
    values, _ = _template()
    shell = subprocess.run(
        ["bash", "-c", f"set -a; . {shlex.quote(str(TEMPLATE))}; set +a; env -0"],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        check=True,
    )
    sourced = dict(item.split("=", 1) for item in shell.stdout.decode().split("\0") if "=" in item)
    assert {name: sourced.get(name) for name in values} == values


def test_the_environment_template_passes_check_deploy_once_the_secret_key_is_set() -> None:
    values, _ = _template()
    assert values["SECRET_KEY"] == ""  # never a usable key in a template
    refused = _manage("check", **values)
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**values, "SECRET_KEY": STRONG_KEY}
    )
    assert result.returncode == 0, result.stderr + result.stdout


def _render_units(tmp: Path) -> list[Path]:
    """The units with /srv/cimento and /etc/cimento pointing at this checkout (verify checks
    that each command exists)."""
    srv = tmp / "srv"
    srv.mkdir()
    (srv / ".venv").symlink_to(ROOT / ".venv")
    (srv / "deploy").symlink_to(DEPLOY)
    (tmp / "cimento.env").write_text(TEMPLATE.read_text())
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text()
        text = text.replace("/etc/cimento/cimento.env", str(tmp / "cimento.env"))
        text = text.replace("/srv/cimento", str(srv))
        (tmp / unit.name).write_text(text)
        units.append(tmp / unit.name)
    return units


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze")
    units = _render_units(tmp_path)
    assert {u.name for u in units} == {
        "cimento-web.service",
        "cimento-worker.service",
        "cimento-scheduler.service",
        "cimento-scheduler.timer",
    }
    result = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, units)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    # verify exits 0 with warnings on stderr (an unknown key is one): both must be clean.
    problems = [
        line
        for line in result.stderr.splitlines()
        if "cimento" in line and "Failed to create" not in line
    ]
    assert result.returncode == 0 and problems == [], result.stderr


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    nginx = _tool("nginx")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    ports = {"a": 8001, "b": 8002, "http": 8080, "https": 8443}
    main = render_site(tmp_path, ports, tmp_path / "static", cert, key)
    result = subprocess.run(
        [nginx, "-t", "-q", "-c", str(main), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warn" not in result.stderr, result.stderr
