"""Sync nodes run off the kernel's loop by default: they overlap with async nodes, and the live table
moves while they run (real kernel)."""

from __future__ import annotations

from kernel_notebook import errors, live_rows, plain

MIXED = """%%dag --run
import asyncio, time

def crunch() -> int:
    time.sleep(0.6)
    return 1

async def a() -> int:
    await asyncio.sleep(0.2)
    return 2

async def b() -> int:
    await asyncio.sleep(0.2)
    return 3

async def c() -> int:
    await asyncio.sleep(0.2)
    return 4
"""


def test_independent_sync_and_async_nodes_overlap_by_default(notebook):
    cell = notebook.run(MIXED, "cell-a")
    assert not errors(cell), plain(cell)
    spans = notebook.value(
        "(lambda r: {n: (r.records[n].started, r.records[n].ended) for n in r.records})(livedag.kernel.last_run())"
    )
    crunch_end = spans["crunch"][1]
    for name in "abc":
        assert spans[name][1] < crunch_end  # each async node ran, and ended, while crunch slept
    first = min(start for start, _ in spans.values())
    assert max(end for _, end in spans.values()) - first < 0.6 + 0.45  # in turn: 1.2 s


SLEEPERS = """%%dag --run
import time

def one() -> int:
    time.sleep(1.2)
    return 1

def two(one: int) -> int:
    time.sleep(0.3)
    return one + 1
"""


def test_the_live_table_moves_while_sync_nodes_run(notebook):
    client = notebook.client
    client.messages.clear()
    cell = notebook.run(SLEEPERS, "cell-a")
    assert not errors(cell), plain(cell)
    running = [
        msg["content"]["data"]["text/html"] for msg in client.messages if (live_rows(msg) or {}).get("one") == "running"
    ]
    # The elapsed time counts up while `one` sleeps in its thread: several distinct redraws, not none.
    assert len(set(running)) >= 3, running
