from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from clinic.models import User
from tests.security.world import FROZEN_NOW, World, build_world


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(frozen: object, gp: User, radiologist: User, secretary: User) -> World:
    return build_world(gp=gp, radiologist=radiologist, secretary=secretary)
