"""Run events -> table rows: the pure model the widget and the fallback table share."""

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
from livedag.kernel.rows import apply, fold, initial_state, interrupted

R = "run-1"
STARTED = RunStarted(R, ("a", "b", "c"), 100.0)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([STARTED], {"a": "pending", "b": "pending", "c": "pending"}),
        ([STARTED, NodeStarted(R, "a", 1, 100.1)], {"a": "running", "b": "pending", "c": "pending"}),
        ([STARTED, NodeStarted(R, "a", 1, 100.1), NodeFinished(R, "a", 1, 0.2)], {"a": "done"}),
        ([STARTED, NodeCached(R, "b", 2)], {"b": "cached"}),
        ([STARTED, NodeFailed(R, "a", ValueError("bad"), 0.1, "Traceback...")], {"a": "failed"}),
        ([STARTED, NodeSkipped(R, "c", "upstream failed", ("a",))], {"c": "skipped"}),
    ],
)
def test_status_follows_the_events(events, expected):
    state = fold(events)
    assert {name: state.row(name).status for name in expected} == expected


def test_rows_keep_the_announced_order_and_unknown_nodes_are_appended():
    state = fold([STARTED, NodeStarted(R, "zzz", 1, 1.0)], nodes=["c"])
    assert [row.name for row in state.rows] == ["c", "a", "b", "zzz"]


def test_finished_node_has_duration_and_preview():
    row = fold([STARTED, NodeFinished(R, "a", {"k": [1, 2, 3]}, 0.25)]).row("a")
    assert row.duration == 0.25
    assert row.preview == "{'k': [1, 2, 3]}"


def test_failure_keeps_message_and_traceback():
    row = fold([STARTED, NodeFailed(R, "a", ValueError("bad input"), 0.1, "Traceback (most recent call last)")]).row(
        "a"
    )
    assert row.error == "ValueError: bad input"
    assert row.traceback.startswith("Traceback")


def test_skipped_names_what_it_needed():
    assert fold([STARTED, NodeSkipped(R, "c", "upstream failed", ("a", "b"))]).row("c").note == "needs a, b"


def test_generator_items_arrive_then_the_list_is_the_value():
    state = fold([STARTED, NodeStarted(R, "a", 1, 1.0), NodeChunk(R, "a", 0, "x"), NodeChunk(R, "a", 1, "y")])
    row = state.row("a")
    assert (row.status, row.items) == ("running", 2)
    assert row.preview == "2 items, last: 'y'"
    done = apply(state, NodeFinished(R, "a", ["x", "y"], 0.3)).row("a")
    assert done.items == 2
    assert done.preview.startswith("2 items: ['x', 'y']")


def test_run_finished_and_interrupted():
    state = fold([STARTED, NodeFinished(R, "a", 1, 0.1), RunFinished(R, True, 0.4)])
    assert (state.finished, state.ok, state.duration) == (True, True, 0.4)
    cut = interrupted(fold([STARTED, NodeStarted(R, "a", 1, 1.0)]))
    assert cut.interrupted
    assert {row.status for row in cut.rows} == {"skipped"}
    assert cut.row("a").note == "interrupted"


def test_initial_state_is_all_pending():
    assert [row.status for row in initial_state(["x", "y"]).rows] == ["pending", "pending"]
