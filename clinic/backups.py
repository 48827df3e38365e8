"""Backups: the database and every stored file in one archive; restores into an explicit target.

An archive is a tar file (mode 0600: it holds health data) with
  manifest.json           the format, the date, the database engine, and each file's storage, name,
                          size and SHA-256;
  database.dump           `pg_dump --format=custom` (PostgreSQL), or database.sqlite3 (SQLite);
  files/<storage>/<name>  every file of the storages in BACKUP_STORAGES (attachments and anything
                          else the application stores), read through Django's storage API, so
                          that S3-compatible storage backs up the same way.

The database is dumped before the files are read: an upload is written before its row commits, so
every file a dumped row names is already there. A restore checks the whole archive, refuses a
target database that already holds Cimento's tables (unless told to replace them) and a stored
file of the same name with other contents, then restores the database in one transaction,
re-applies the application role's grants (docs/postgres-app-role.sql) and writes the files into
the storages of the settings it runs with.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import dj_database_url
import psycopg
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from psycopg import sql

FORMAT = "cimento-backup/1"
GRANTS = Path(settings.BASE_DIR) / "docs" / "postgres-app-role.sql"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


Database = Mapping[str, Any]  # a settings.DATABASES entry, or dj_database_url's parse of a URL


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    files_written: int
    files_already_there: int
    grants_applied_to: str | None
    missing_files: list[str]


def engine_of(database: Database) -> str:
    engine = str(database.get("ENGINE", ""))
    for name in DUMPS:
        if name in engine:
            return name
    raise BackupError(f"unsupported database engine {engine!r} (PostgreSQL or SQLite)")


def file_storages() -> dict[str, Storage]:
    return {alias: storages[alias] for alias in settings.BACKUP_STORAGES}


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield str(PurePosixPath(folder, name))
    for sub in sorted(folders):
        yield from stored_files(storage, str(PurePosixPath(folder, sub)))


class _Hashing:
    """Reads a file for tarfile and hashes what went through."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.sha256 = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.sha256.update(chunk)
        return chunk


def _pg_env(database: Database) -> dict[str, str]:
    # Credentials by environment, never on a command line another user could read.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[var] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _dump_database(database: Database, into: Path) -> None:
    if engine_of(database) == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={into}"]
        _run(command, _pg_env(database))
    else:
        with (
            contextlib.closing(sqlite3.connect(database["NAME"])) as source,
            contextlib.closing(sqlite3.connect(into)) as copy,
        ):
            source.backup(copy)


def backup(output: Path, *, database: Database | None = None) -> dict[str, Any]:
    """Write the archive to `output` (replaced only once complete) and return its manifest."""
    database = database or settings.DATABASES["default"]
    engine = engine_of(database)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"engine": engine, "file": DUMPS[engine]},
        "files": [],
    }
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[engine]
        _dump_database(database, dump)
        partial.unlink(missing_ok=True)  # left by a backup that was killed
        partial.touch(mode=0o600)
        try:
            with tarfile.open(partial, "w") as archive:
                archive.add(dump, arcname=DUMPS[engine])
                for alias, storage in file_storages().items():
                    for name in stored_files(storage):
                        manifest["files"].append(_add_file(archive, alias, storage, name))
                body = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(output)
    return manifest


def _add_file(archive: tarfile.TarFile, alias: str, storage: Storage, name: str) -> dict[str, Any]:
    info = tarfile.TarInfo(f"files/{alias}/{name}")
    info.size = storage.size(name)
    info.mode = 0o600
    with storage.open(name, "rb") as source:
        reader = _Hashing(source)
        archive.addfile(info, reader)
    return {"storage": alias, "name": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


# Restore


def restore(
    archive_path: Path,
    *,
    target_url: str | None,
    app_role: str | None,
    replace: bool = False,
) -> Restored:
    if not target_url:
        raise BackupError(
            "restore needs an explicit target database: --target-database URL (make restore "
            "TARGET=…). DATABASE_URL, the live database, is never assumed."
        )
    target = dj_database_url.parse(target_url)
    engine = engine_of(target)
    if app_role is not None and not ROLE_NAME.match(app_role):
        raise BackupError(f"{app_role!r} is not a PostgreSQL role name")
    with tarfile.open(archive_path, "r") as archive:
        manifest = _checked_manifest(archive, engine)
        _check_target(target, engine, app_role, replace)
        new_files = _files_to_write(archive, manifest)
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / DUMPS[engine]
            _extract(archive, DUMPS[engine], dump)
            _restore_database(target, engine, dump)
        if engine == "postgresql" and app_role:
            _apply_grants(target, app_role)
        for entry in new_files:
            _write_file(archive, entry)
    return Restored(
        files_written=len(new_files),
        files_already_there=len(manifest["files"]) - len(new_files),
        grants_applied_to=app_role if engine == "postgresql" else None,
        missing_files=_missing_files(target, engine),
    )


def _checked_manifest(archive: tarfile.TarFile, engine: str) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(_read(archive, "manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("not a Cimento backup (no readable manifest.json)") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"the backup holds a {manifest['database']['engine']} database; the target is {engine}"
        )
    for entry in manifest["files"]:
        if entry["storage"] not in settings.STORAGES or ".." in PurePosixPath(entry["name"]).parts:
            raise BackupError(f"unexpected file in the backup: {entry['storage']}/{entry['name']}")
        digest = hashlib.sha256(_read(archive, f"files/{entry['storage']}/{entry['name']}"))
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"the backup is damaged: {entry['name']} does not match its checksum")
    return manifest


def _read(archive: tarfile.TarFile, member: str) -> bytes:
    source = archive.extractfile(member)
    if source is None:
        raise KeyError(member)
    return source.read()


def _extract(archive: tarfile.TarFile, member: str, into: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"the backup has no {member}")
    with into.open("wb") as out:
        shutil.copyfileobj(source, out)


def _check_target(target: Database, engine: str, app_role: str | None, replace: bool) -> None:
    role_exists = True
    if engine == "sqlite":
        holds_tables = _sqlite_holds_tables(Path(target["NAME"]))
    else:
        with _pg_connect(target) as connection:
            holds_tables = _pg_holds_tables(connection)
            if app_role:
                found = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
                role_exists = found.fetchone() is not None
    if holds_tables and not replace:
        raise BackupError(
            f"the target database {target['NAME']} already holds Cimento's tables: restore into "
            "an empty database, or add --replace to overwrite it"
        )
    if not role_exists:
        raise BackupError(
            f"the application role {app_role} does not exist on the target's server: "
            "create it, name yours with --app-role, or restore with --no-grants"
        )


def _sqlite_holds_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with contextlib.closing(sqlite3.connect(path)) as connection:
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    return found is not None


def _pg_connect(target: Database) -> psycopg.Connection[Any]:
    return psycopg.connect(
        dbname=target["NAME"],
        user=target.get("USER") or None,
        password=target.get("PASSWORD") or None,
        host=target.get("HOST") or None,
        port=target.get("PORT") or None,
        autocommit=True,
    )


def _pg_holds_tables(connection: psycopg.Connection[Any]) -> bool:
    found = connection.execute("SELECT to_regclass('public.django_migrations')").fetchone()
    return found is not None and found[0] is not None


def _files_to_write(archive: tarfile.TarFile, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The files not yet in storage; a stored file of the same name must hold the same bytes."""
    new = []
    for entry in manifest["files"]:
        storage = storages[entry["storage"]]
        if not storage.exists(entry["name"]):
            new.append(entry)
            continue
        with storage.open(entry["name"], "rb") as stored:
            if hashlib.sha256(stored.read()).hexdigest() != entry["sha256"]:
                raise BackupError(
                    f"{entry['storage']}/{entry['name']} is already stored with other contents: "
                    "restore into an empty storage (MEDIA_ROOT) or move that file away"
                )
    return new


def _restore_database(target: Database, engine: str, dump: Path) -> None:
    if engine == "postgresql":
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        command += ["--single-transaction", "--exit-on-error", f"--dbname={target['NAME']}"]
        _run([*command, str(dump)], _pg_env(target))
        return
    path = Path(target["NAME"])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(dump, partial)
    partial.chmod(0o600)
    partial.replace(path)


def _apply_grants(target: Database, app_role: str) -> None:
    """The grants of docs/postgres-app-role.sql, for `app_role` (pg_restore restored none)."""
    statements = GRANTS.read_text().replace("cimento_app", sql.Identifier(app_role).as_string())
    with _pg_connect(target) as connection, connection.transaction():
        connection.execute(statements)  # several statements: no parameters, simple protocol


def _write_file(archive: tarfile.TarFile, entry: dict[str, Any]) -> None:
    storage = storages[entry["storage"]]
    source = archive.extractfile(f"files/{entry['storage']}/{entry['name']}")
    assert source is not None  # checked with the manifest
    saved = storage.save(entry["name"], File(source, name=entry["name"]))
    if saved != entry["name"]:
        raise BackupError(f"the storage saved {entry['name']} as {saved}")


def _file_fields() -> list[models.FileField]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def _missing_files(target: Database, engine: str) -> list[str]:
    """Files the restored rows name that no storage holds (should be none)."""
    missing = []
    for field in _file_fields():
        column, table = str(field.column), field.model._meta.db_table
        query = sql.SQL("SELECT {column} FROM {table} WHERE {column} <> ''").format(
            column=sql.Identifier(column), table=sql.Identifier(table)
        )
        if engine == "postgresql":
            with _pg_connect(target) as connection:
                names = [row[0] for row in connection.execute(query)]
        else:
            with contextlib.closing(sqlite3.connect(target["NAME"])) as connection:
                names = [row[0] for row in connection.execute(query.as_string())]
        missing += [name for name in names if not field.storage.exists(name)]
    return missing
