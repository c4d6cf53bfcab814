"""The live table's display updates while a run goes on, generator items arriving, and interrupts."""

from __future__ import annotations

import asyncio

import pytest
from kernel_notebook import Notebook, errors, html, make_client, plain, row_statuses, stream

LIVE = """%%dag --run
import asyncio
from collections.abc import AsyncIterator

async def quick() -> int:
    return 1

async def slow(quick: int) -> int:
    await asyncio.sleep(0.5)
    return quick + 1

async def counting(quick: int) -> AsyncIterator[int]:
    for i in range(3):
        await asyncio.sleep(0.15)
        yield i
"""


def _display_rows(messages):
    """(index, {node: status}, html) for every display (update) of the live table, in arrival order."""
    found = []
    for index, msg in enumerate(messages):
        if msg["msg_type"] in ("display_data", "update_display_data"):
            value = msg["content"].get("data", {}).get("text/html", "")
            if "data-node=" in value:
                found.append((index, row_statuses(value), value))
    return found


def _index_of(messages, msg_type):
    return next(i for i, msg in enumerate(messages) if msg["msg_type"] == msg_type)


def test_live_table_updates_carry_rows_before_the_run_ends_and_are_plain_html(notebook):
    client = notebook.client
    client.messages.clear()
    cell = notebook.run(LIVE, "cell-a")
    assert not errors(cell), plain(cell)
    messages = client.messages
    updates = _display_rows(messages)
    assert updates, "no display update carried the table"
    end = _index_of(messages, "execute_result")
    live = [rows for index, rows, _ in updates if index < end and rows.get("slow") == "running"]
    assert live, "no update showed `slow` running before the run ended"
    assert any(rows.get("quick") == "done" for rows in live)  # quick finished while slow was still running
    arriving = [value for _, rows, value in updates if rows.get("counting") == "running" and "items, last:" in value]
    assert arriving, "generator items did not show while the generator ran"
    # No widget anywhere: a notebook saved mid-run keeps the static table it showed then.
    assert not any(msg["msg_type"].startswith("comm_") for msg in messages)
    for msg in messages:
        if msg["msg_type"].endswith("display_data"):
            assert set(msg["content"]["data"]) == {"text/html", "text/plain"}
    final = cell.outputs[0]["data"]
    assert row_statuses(final["text/html"]) == {"quick": "done", "slow": "done", "counting": "done"}
    assert "3 items" in final["text/plain"]


def test_graph_beside_the_table_is_coloured_by_status(notebook):
    cell = notebook.run("%%dag --run --graph\ndef one() -> int:\n    return 1\n", "cell-a")
    mermaid = [out["data"]["text/vnd.mermaid"] for out in cell.outputs if "text/vnd.mermaid" in out.get("data", {})]
    assert len(mermaid) == 1
    assert "class n0 done" in mermaid[0]


INTERRUPTIBLE = """%%dag --run
import asyncio
CLEANED = []

async def waits_forever() -> int:
    try:
        await asyncio.sleep(3600)
    finally:
        CLEANED.append("waits_forever")
    return 1

async def quick() -> int:
    return 2
"""


@pytest.mark.parametrize("autoawait", ["on", "off"])
def test_interrupting_the_kernel_cancels_the_run_cleanly(autoawait):
    async def scenario():
        client = make_client()
        async with client.async_setup_kernel():
            book = Notebook(client)
            setup = f"%load_ext livedag\nimport livedag.kernel\n%autoawait {autoawait}"
            await client.async_execute_cell(book.add(setup), 0)
            interrupted = asyncio.Event()
            sent = []

            def watch(msg):
                if interrupted.is_set() or not msg["msg_type"].endswith("display_data"):
                    return
                value = msg["content"].get("data", {}).get("text/html", "")
                if row_statuses(value).get("waits_forever") == "running":
                    interrupted.set()
                    sent.append(asyncio.ensure_future(client.km.interrupt_kernel()))

            client.on_message = watch
            cell = book.add(INTERRUPTIBLE, "cell-a")
            await client.async_execute_cell(cell, 1)
            client.on_message = None
            after = book.add("print(CLEANED, livedag.kernel.last_run().status['quick'].value)")
            await client.async_execute_cell(after, 2)
            again = book.add("%dag run quick", "cell-b")
            await client.async_execute_cell(again, 3)
            return interrupted.is_set(), cell, after, again

    was_interrupted, cell, after, again = asyncio.run(scenario())
    assert was_interrupted
    assert [error.ename for error in errors(cell)] == ["RunInterruptedError"], plain(cell)
    statuses = row_statuses(html(cell))
    assert statuses["waits_forever"] == "cancelled"  # shown as interrupted, not left running
    assert "interrupted" in plain(cell)
    assert stream(after).strip() == "['waits_forever'] done", plain(after)  # the finally ran; the run is kept
    assert not errors(again), plain(again)  # the kernel goes on
    assert row_statuses(html(again)) == {"quick": "cached"}, plain(again)  # kept from the interrupted run


def test_without_the_widget_the_html_table_updates_in_place(notebook):
    client = notebook.client
    client.messages.clear()
    cell = notebook.run(LIVE.replace("%%dag --run", "%%dag --run --no-widget --graph"), "cell-a")
    assert not errors(cell), plain(cell)
    messages = client.messages
    assert not any(msg["msg_type"] == "comm_open" for msg in messages)
    end = _index_of(messages, "execute_result")
    updates = [
        row_statuses(msg["content"]["data"].get("text/html", ""))
        for msg in messages[:end]
        if msg["msg_type"] == "update_display_data"
    ]
    assert any(rows.get("slow") == "running" and rows.get("quick") == "done" for rows in updates)
    graphs = [msg for msg in messages[:end] if "text/vnd.mermaid" in msg["content"].get("data", {})]
    assert any("running" in msg["content"]["data"]["text/vnd.mermaid"] for msg in graphs)
    assert row_statuses(html(cell)) == {"quick": "done", "slow": "done", "counting": "done"}
