"""Run events -> table rows: the pure model the live and the final table share."""

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
    cut = interrupted(fold([STARTED, NodeFinished(R, "b", 2, 0.1), NodeStarted(R, "a", 1, 1.0)]))
    assert cut.interrupted
    assert [(row.name, row.status) for row in cut.rows] == [("a", "cancelled"), ("b", "done"), ("c", "not started")]
    assert cut.row("a").note == "cancelled by the interrupt"


def test_interrupted_rows_tell_abandoned_threads_and_graceful_skips_apart():
    events = [
        STARTED,
        NodeStarted(R, "a", 1, 1.0),
        NodeFailed(R, "b", ValueError("x"), 0.1, "tb"),
        NodeSkipped(R, "c", "needs `b`, which failed", ("b",)),
    ]
    cut = interrupted(fold(events), abandoned=["a"])
    assert cut.row("a").status == "cancelled"
    assert "abandoned" in cut.row("a").note
    assert (cut.row("b").status, cut.row("c").status) == ("failed", "skipped")


def test_rows_follow_the_graph_order_with_cached_nodes_in_place():
    state = apply(initial_state(order=["a", "b", "c"]), RunStarted(R, ("b", "a", "c"), 100.0))
    assert [row.name for row in state.rows] == ["a", "b", "c"]


def test_initial_state_is_all_pending():
    assert [row.status for row in initial_state(["x", "y"]).rows] == ["pending", "pending"]
