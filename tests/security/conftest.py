"""The security tests' clinic (world.py), built once per module instead of once per test.

A module whose tests use `world` shares one clinic, as Django's TestCase.setUpTestData shares a
class's data: it is built in a transaction opened before the module's first test and rolled back
after its last one, and every test runs in a savepoint inside it (pytest-django's `db`), so what a
test writes is gone before the next one. Each test gets its own copy of the Python objects, and of
the uploaded file in its own MEDIA_ROOT.

In such a module the personas `gp`, `radiologist` and `secretary` are the world's, so every test
that uses the database there must use `world` (a fixture says so if one does not).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from clinic.models import User
from tests.conftest import PERSONAS
from tests.security.world import FROZEN_NOW, World, build_world

WORLD_PERSONAS = ("gp", "radiologist", "secretary")


@dataclass
class Clinic:
    world: World
    users: dict[str, User]
    media: Path


_open_in: list[str] = []  # the module whose clinic is open, while it is


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def module_clinic(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Clinic]:
    media = tmp_path_factory.mktemp("world-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media), time_machine.travel(FROZEN_NOW, tick=False):
                users = {name: PERSONAS[name]() for name in WORLD_PERSONAS}
                world = build_world(**users)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    _open_in.append(request.node.nodeid)
    try:
        yield Clinic(world=world, users=users, media=media)
    finally:
        _open_in.remove(request.node.nodeid)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def _clinic_copy(
    module_clinic: Clinic, db: None, frozen: object, settings: object
) -> tuple[World, dict[str, User]]:
    shutil.copytree(module_clinic.media, settings.MEDIA_ROOT, dirs_exist_ok=True)  # type: ignore[attr-defined]
    # One deepcopy for both, so that world.submitted.gp is the `gp` the test logs in with.
    return copy.deepcopy((module_clinic.world, module_clinic.users))


@pytest.fixture
def world(_clinic_copy: tuple[World, dict[str, User]]) -> World:
    return _clinic_copy[0]


@pytest.fixture(autouse=True)
def _world_or_no_database(request: pytest.FixtureRequest) -> None:
    # A test that used the database beside an open clinic without asking for it would see its
    # rows (and fail, or pass, by accident).
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if _open_in and uses_db and "world" not in request.fixturenames:
        pytest.fail(
            f"{request.node.nodeid} uses the database in a module whose tests share a `world` "
            "(tests/security/conftest.py): ask for `world` too, or move the test to another module."
        )


def _persona(request: pytest.FixtureRequest, name: str) -> User:
    if "world" in request.fixturenames:
        users: dict[str, User] = request.getfixturevalue("_clinic_copy")[1]
        return users[name]
    return PERSONAS[name]()


@pytest.fixture
def gp(request: pytest.FixtureRequest, db: None) -> User:
    return _persona(request, "gp")


@pytest.fixture
def radiologist(request: pytest.FixtureRequest, db: None) -> User:
    return _persona(request, "radiologist")


@pytest.fixture
def secretary(request: pytest.FixtureRequest, db: None) -> User:
    return _persona(request, "secretary")
