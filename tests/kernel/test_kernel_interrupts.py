"""Interrupting a run in a real kernel: any number of interrupts stop it at once, the kernel survives,
what finished is kept (cached), and the interrupted run is ``last_run()`` with distinct states."""

from __future__ import annotations

import asyncio

import pytest
from kernel_notebook import Notebook, errors, html, interrupt_when, make_client, plain, row_statuses, stream

BLOCKING = """%%dag --run
import asyncio, time

def blocker() -> int:
    time.sleep(20)
    return 1

async def fetched() -> int:
    return 2

def early(fetched: int) -> int:
    return fetched * 10

async def slow_async() -> int:
    await asyncio.sleep(20)
    return 3

def after(blocker: int, early: int) -> int:
    return blocker + early
"""


def _scenario(cells, interrupted_cell, ready, times=1, setup="", spacing=0.5, delay=0.0):
    """Run ``cells`` after loading livedag; interrupt the cell at ``interrupted_cell`` when ``ready``."""

    async def main():
        client = make_client()
        async with client.async_setup_kernel():
            book = Notebook(client)
            await client.async_execute_cell(book.add(f"%load_ext livedag\nimport livedag.kernel\n{setup}"), 0)
            out, took = [], None
            for index, source in enumerate(cells, start=1):
                cell = book.add(source, f"cell-{index}")
                if index - 1 == interrupted_cell:
                    took = await interrupt_when(book, cell, index, ready, times=times, spacing=spacing, delay=delay)
                else:
                    await client.async_execute_cell(cell, index)
                out.append(cell)
            return out, took

    return asyncio.run(main())


def _running(*names):
    return lambda rows: all(rows.get(name) == "running" for name in names)


@pytest.mark.parametrize("times", [1, 2, 5])
def test_interrupts_stop_a_blocking_sync_node_at_once_and_keep_finished_work(times):
    cells = [
        BLOCKING,
        "r = livedag.kernel.last_run()\n"
        "print(sorted((n, r.status[n].value, r.records[n].skipped_because) for n in r.records))",
        "%dag run",
    ]
    (run, after, again), took = _scenario(
        cells, 0, lambda rows: _running("blocker", "slow_async")(rows) and rows.get("early") == "done", times=times
    )
    assert took < 10, plain(run)  # the 20 s sleep did not have to end (about 0.1 s here)
    assert [error.ename for error in errors(run)] == ["RunInterruptedError"], plain(run)
    assert "Values computed before the interrupt are kept" in errors(run)[0].evalue
    assert row_statuses(html(run)) == {
        "blocker": "cancelled",
        "fetched": "done",
        "early": "done",
        "slow_async": "cancelled",
        "after": "not started",
    }
    # The kernel is alive and the interrupted run is last_run(), with distinct states for cancelled and not started.
    assert not errors(after), plain(after)
    listed = stream(after)
    assert "('blocker', 'skipped', ('cancelled: the kernel was interrupted while it ran',))" in listed
    assert "('after', 'pending', ('not started: the kernel was interrupted before it could start',))" in listed
    assert "('early', 'done', ())" in listed
    # The next run reuses what finished before the interrupt (and is itself interrupted no more).
    statuses = row_statuses(html(again))
    assert statuses["fetched"] == "cached"
    assert statuses["early"] == "cached"


PURE_PYTHON = """%%dag --run
def spins() -> int:
    n = 0
    while True:
        n += 1
"""


def test_a_sync_node_looping_in_python_is_stopped_not_abandoned():
    (run, check), took = _scenario(
        [PURE_PYTHON, "import threading\nprint([t.name for t in threading.enumerate() if 'livedag' in t.name])"],
        0,
        _running("spins"),
    )
    assert took < 10
    [error] = errors(run)
    assert error.ename == "RunInterruptedError"
    assert "abandoned" not in error.evalue
    assert row_statuses(html(run)) == {"spins": "cancelled"}
    assert "[]" in stream(check) or "livedag-node" not in stream(check)  # the node's thread stopped


STUCK_IN_C = """%%dag --run
import select, socket

def reads_socket() -> bytes:
    left, right = socket.socketpair()
    select.select([left], [], [], 4)   # C code: Python cannot interrupt it in a worker thread
    return b""

async def quick() -> int:
    return 1
"""


def test_a_node_stuck_in_c_is_abandoned_with_a_message_naming_it():
    (run, after), took = _scenario([STUCK_IN_C, "print(1 + 1)"], 0, _running("reads_socket"), times=2)
    assert took < 4, plain(run)
    [error] = errors(run)
    assert error.ename == "RunInterruptedError"
    assert "`reads_socket` did not stop" in error.evalue
    assert "abandoned" in error.evalue
    assert "abandoned" in html(run)
    assert stream(after).strip() == "2"


INLINE = BLOCKING.replace("%%dag --run", "%%dag --run --inline")


def test_inline_sync_nodes_are_interrupted_too():
    # An inline node blocks the loop, so the table cannot show it running: interrupt 1 s after the table shows.
    (run, after), took = _scenario([INLINE, "print('alive')"], 0, lambda rows: True, times=2, delay=1.0)
    assert took < 10, plain(run)
    assert [error.ename for error in errors(run)] == ["RunInterruptedError"], plain(run)
    assert row_statuses(html(run))["blocker"] == "cancelled"
    assert stream(after).strip() == "alive"


def test_with_autoawait_off_interrupts_stop_the_run_and_the_kernel_survives():
    (run, after), took = _scenario(
        [BLOCKING, "print('alive')"], 0, _running("blocker"), times=2, setup="%autoawait off"
    )
    assert took < 10, plain(run)
    assert [error.ename for error in errors(run)] == ["RunInterruptedError"], plain(run)
    assert stream(after).strip() == "alive"
