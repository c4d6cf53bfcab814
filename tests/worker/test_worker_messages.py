"""Run events -> protocol messages, one row per event kind."""

from __future__ import annotations

import pytest

from livedag.execution.events import (
    NodeCached,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeSkipped,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from livedag.worker.messages import message_for


def _failure() -> ValueError:
    try:
        raise ValueError("nope")
    except ValueError as error:
        return error


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (RunStarted("d1", ("a", "b"), 5.0), {"type": "run-started", "run": "R", "nodes": ["a", "b"], "time": 5.0}),
        (NodeStarted("d1", "a", 1, 6.0), {"type": "node", "run": "R", "node": "a", "status": "running", "time": 6.0}),
        (
            NodeFinished("d1", "a", [1, 2], 0.0034),
            {
                "type": "node",
                "run": "R",
                "node": "a",
                "status": "done",
                "time": 9.0,
                "durationMs": 3.4,
                "preview": "[1, 2]",
            },
        ),
        (
            NodeCached("d1", "a", "v"),
            {"type": "node", "run": "R", "node": "a", "status": "cached", "time": 9.0, "preview": "'v'"},
        ),
        (
            NodeSkipped("d1", "b", "`a` failed", ("a",)),
            {"type": "node", "run": "R", "node": "b", "status": "skipped", "time": 9.0, "reason": "`a` failed"},
        ),
        (RunFinished("d1", True, 0.5), {"type": "run-finished", "run": "R", "ok": True, "durationMs": 500.0}),
        (
            NodeChunk("d1", "a", 2, "item"),
            {
                "type": "node",
                "run": "R",
                "node": "a",
                "status": "running",
                "time": 9.0,
                "chunks": 3,
                "preview": "'item'",
            },
        ),
    ],
)
def test_message_for(event, expected):
    assert message_for(event, "R", 9.0) == expected


def test_a_failure_carries_type_message_and_the_user_frame():
    message = message_for(NodeFailed("d1", "a", _failure(), 0.001, "tb"), "R", 9.0)
    assert message is not None
    assert message["status"] == "failed"
    assert message["durationMs"] == 1.0
    assert message["error"]["type"] == "ValueError"
    assert message["error"]["message"] == "nope"
    assert [frame["function"] for frame in message["error"]["frames"]] == ["_failure"]
