"""The editor's last run survives a server restart: results come back from the run history."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from run_helpers import (
    SERVER,
    as_dict,
    hover_text,
    inlay_labels,
    line_of,
    open_file,
    run,
    start,
    statuses_reach,
)

from livedag.history import HistoryStore, store_path
from livedag.lsp.positions import uri_to_path


@pytest_lsp.fixture(config=SERVER)
async def first(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield lsp_client


@pytest_lsp.fixture(config=SERVER)
async def second(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_hover_inline_values_and_failures_come_back_after_a_restart(first, second, workspace):
    path = workspace / "pipe.py"
    text = path.read_text()
    uri = open_file(first, path)
    outcome = await run(first, uri, "c")
    assert (outcome["status"], outcome["ok"]) == ("finished", False)
    await first.shutdown_session()  # the first server (and its worker) is gone

    with HistoryStore(store_path(workspace)) as store:  # the worker recorded it
        entry = store.latest(label=str(workspace / "pipe.py"))
    assert entry is not None
    assert entry.source == "editor"

    uri = open_file(second, path)  # a new server that never ran anything
    await statuses_reach(second, {"a": "done", "b": "done", "c": "failed"})
    labels = await inlay_labels(second, uri)
    assert labels[line_of(text, "def b(")].endswith(" = 84")
    assert labels[line_of(text, "def c(")] == "✗ ValueError"
    hover = await hover_text(second, uri, types.Position(line_of(text, "def b("), 5))
    assert "84" in hover
    assert "took" in hover
    failed = [d for d in second.diagnostics.get(uri, []) if d.code == "node-failed"]
    assert [d.message for d in failed] == ["'c' failed: ValueError: bad 84"]  # plain text in diagnostics
    (related,) = failed[0].related_information
    assert related.location.range.start.line == line_of(text, "raise ValueError")


async def test_the_timeline_request_answers_the_last_run(first, second, workspace):
    path = workspace / "pipe.py"
    uri = open_file(first, path)
    assert await first.protocol.send_request_async("livedag/timeline", {"uri": uri}) is None  # never run
    await run(first, uri, "c")
    answer = await first.protocol.send_request_async("livedag/timeline", {"uri": uri})
    await first.shutdown_session()
    payload = as_dict(answer)
    assert payload["ok"] is False
    assert dict(re.findall(r'data-timeline-node="(\w+)" data-timeline-status="(\w+)"', payload["html"])) == {
        "a": "done",
        "b": "done",
        "c": "failed",
    }
    assert [as_dict(node)["name"] for node in payload["nodes"]] == ["a", "b", "c"]
    assert "<script" not in payload["html"]
    uri = open_file(second, path)
    again = as_dict(await second.protocol.send_request_async("livedag/timeline", {"uri": uri}))
    assert again["run"] == payload["run"]  # after a restart too


async def test_a_finished_run_is_announced_once_it_can_be_read(first, workspace):
    uri = open_file(first, workspace / "pipe.py")
    announced = asyncio.ensure_future(first.wait_for_notification("livedag/runFinished"))
    try:
        await asyncio.sleep(0)  # the wait is registered before the run starts
        outcome = await run(first, uri, "b")
        params = as_dict(await asyncio.wait_for(announced, timeout=60))
        timeline = as_dict(await first.protocol.send_request_async("livedag/timeline", {"uri": uri}))
    finally:
        announced.cancel()
        await first.shutdown_session()
    assert (params["run"], params["status"]) == (outcome["run"], "finished"), params
    assert [uri_to_path(found) for found in params["uris"]] == [str(workspace / "pipe.py")], params
    # recorded by the time it was announced: the timeline reads this very run
    assert {as_dict(node)["name"]: as_dict(node)["status"] for node in timeline["nodes"]} == {"a": "done", "b": "done"}
