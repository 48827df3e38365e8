"""Each request on a chunk of the interpreter's frame stack of its own (CPython gh-142183).

CPython (3.11 and later) keeps the frames of Python calls in 16 KiB chunks of memory that it maps
when a call needs one and unmaps as soon as that call returns. A loop whose calls go just past the
end of a chunk maps, faults in and unmaps 16 KiB at every call. Where the chunk ends depends on
the depth at which the server calls Django, so any page can fall on it: in `make bench` the day
view of 121 bookings did so about 1,500 times a request (6,000 pages faulted in, 40 ms of its 80
in the kernel), the same page in another process not at all. CPython keeps one spare chunk in its
3.13 and 3.14 releases since March 2026 (python/cpython#145789 and #146123); 3.11 and 3.12, in
security-fix mode, will not get it.

`call_in_own_chunk(func, arg)` calls `func(arg)` from a frame too large for what is left of the
current chunk (`SLOTS` slots, about 58 KiB): the interpreter maps a 128 KiB chunk for it, and the
call runs in the 70 KiB left after it, starting at the same place every time. A request's frames
(a few hundred bytes each) stay inside that room, so no loop of a page crosses the end of a chunk
however deep the server called; the chunk is mapped once a request (about 20 pages faulted in).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Frame slots (8 bytes each) of the trampoline. With CPython's 1,000 slots of margin a chunk must
# hold, 7,300 asks for more than 64 KiB, so the chunk is 128 KiB with 70 KiB of room after it.
SLOTS = 7300


def _trampoline() -> Callable[[Callable[[Any], Any], Any], Any]:
    # The locals are never assigned (the branch never runs) but the compiler gives the frame a
    # slot for each; generated because no one writes 7,300 names by hand. The source is constant.
    names = "=".join(f"_{index}" for index in range(SLOTS))
    source = (
        "def call_in_own_chunk(func, arg):\n"
        "    if func is None:\n"
        f"        {names} = None\n"
        "    return func(arg)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<clinic.stack>", "exec"), namespace)  # noqa: S102
    function: Callable[[Callable[[Any], Any], Any], Any] = namespace["call_in_own_chunk"]
    function.__doc__ = "func(arg), called from the start of a frame-stack chunk of its own."
    return function


call_in_own_chunk = _trampoline()
