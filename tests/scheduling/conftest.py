from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

# A Friday with no public holiday near: Tuesday 8 and Thursday 10 December 2026 are working days.
FROZEN_NOW = "2026-12-04 09:00 +01:00"


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller
