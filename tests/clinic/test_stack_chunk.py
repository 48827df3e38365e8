"""clinic.stack: a loop of calls at the end of one of the interpreter's frame-stack chunks maps and
unmaps memory at every call; inside `call_in_own_chunk` no loop within its room does.

The figure a user notices is time (40 ms of the day view's 80 in `make bench`); the test counts
what causes it, the pages the process faults in, which does not depend on the machine's load."""

from __future__ import annotations

import resource
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from clinic.stack import call_in_own_chunk

CALLS = 200
# Frames of `_at_depth` fill one 16 KiB chunk every ~136 calls deep: 300 cross two chunk ends.
PLAIN_DEPTHS = 300
# The room after the trampoline (about 70 KiB) holds ~590 of them.
ROOM_DEPTHS = 550


def _leaf() -> int:
    return 1


def _at_depth(depth: int) -> None:
    if depth:
        _at_depth(depth - 1)
        return
    for _ in range(CALLS):
        _leaf()


def _faults_by_depth(depths: int) -> dict[int, int]:
    found = {}
    for depth in range(depths):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _at_depth(depth)
        found[depth] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    return found


def _thrashing(faults: dict[int, int]) -> list[int]:
    """The depths whose loop faulted memory in at (nearly) every call."""
    return [depth for depth, count in faults.items() if count >= CALLS // 2]


@pytest.mark.skipif(
    sys.version_info >= (3, 13), reason="3.13 and later keep a spare chunk (python/cpython#145789)"
)
def test_a_loop_at_the_end_of_a_chunk_faults_memory_in_at_every_call() -> None:
    # What the fix is for: without it, some depth of any call path falls on a chunk's end.
    assert _thrashing(_faults_by_depth(PLAIN_DEPTHS))


def test_inside_its_own_chunk_no_loop_faults_memory_in_at_every_call() -> None:
    faults = call_in_own_chunk(lambda _: _faults_by_depth(ROOM_DEPTHS), None)

    assert _thrashing(faults) == []


def test_the_call_returns_its_result_and_raises_its_errors() -> None:
    assert call_in_own_chunk(lambda value: value * 2, 21) == 42
    with pytest.raises(ZeroDivisionError):
        call_in_own_chunk(lambda value: value / 0, 1)


def test_every_request_runs_in_its_own_chunk(client: Client) -> None:
    # First, so that every other middleware's frames are inside the room too.
    assert settings.MIDDLEWARE[0] == "clinic.middleware.OwnStackChunkMiddleware"
    assert client.get(reverse("healthz")).status_code == 200
