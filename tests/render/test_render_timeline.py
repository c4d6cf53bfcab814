"""The timeline's layout: times, depths, the critical path and the axis, from plain node entries."""

from __future__ import annotations

import pytest

from livedag.history import NodeEntry
from livedag.render.timeline import COLLAPSE_OVER, critical_path, layout, ticks, timeline_html


def _node(
    name: str,
    start: float | None,
    end: float | None,
    *upstream: str,
    status: str = "done",
    attempts: tuple[float, ...] = (),
    items: tuple[float, ...] = (),
) -> NodeEntry:
    return NodeEntry(
        name,
        status,
        start,
        end,
        None if start is None or end is None else end - start,
        len(attempts) or 1,
        upstream=upstream,
        attempt_starts=attempts,
        item_times=items,
        items=len(items),
    )


DIAMOND = [
    _node("a", 100.0, 100.1),
    _node("slow", 100.1, 100.9, "a"),
    _node("fast", 100.1, 100.2, "a"),
    _node("join", 100.9, 101.0, "slow", "fast"),
    _node("skipped", None, None, "join", status="skipped"),
]


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        (DIAMOND, ("a", "slow", "join")),
        ([_node("x", 0, 1), _node("y", 0, 2)], ("y",)),  # independent: the one that ended last
        ([_node("x", None, None, status="skipped")], ()),
        ([_node("b", 1, 2, "a"), _node("a", 0, 1, "b")], ("a", "b")),  # a cycle in bad data: no endless walk
    ],
)
def test_critical_path(nodes: list[NodeEntry], expected: tuple[str, ...]) -> None:
    assert critical_path(nodes) == expected


def test_layout_is_relative_to_the_run_start_with_depths() -> None:
    plan = layout(DIAMOND, started=99.9)
    rows = {row.name: row for row in plan.rows}
    assert rows["a"].start == pytest.approx(0.1)
    assert rows["join"].end == pytest.approx(1.1)
    assert plan.span == pytest.approx(1.1)
    assert [row.depth for row in plan.rows] == [0, 1, 1, 2, 3]
    assert [depth for depth, _ in plan.groups] == [0, 1, 2, 3]
    assert rows["slow"].critical
    assert not rows["fast"].critical
    assert rows["skipped"].start is None


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.09, [0.0, 0.02, 0.04, 0.06, 0.08, 0.1]),
        (7.0, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),
    ],
)
def test_ticks_are_round(span: float, expected: list[float]) -> None:
    assert ticks(span) == pytest.approx(expected)


def test_retries_and_items_are_drawn() -> None:
    nodes = [_node("retried", 0.0, 0.3, attempts=(0.0, 0.1, 0.2)), _node("stream", 0.0, 0.2, items=(0.05, 0.1))]
    markup = timeline_html(nodes, started=0.0)
    assert markup.count('data-attempt="') == 4  # three attempts and one for the stream
    assert 'data-attempt="3"' in markup
    assert markup.count('data-item="1"') == 2
    assert "repeating-linear-gradient" in markup  # the failed attempts are hatched


def test_large_runs_collapse_into_layers() -> None:
    nodes = [_node(f"n{i}", i * 0.001, i * 0.001 + 0.001, *([f"n{i - 1}"] if i % 10 else [])) for i in range(1000)]
    markup = timeline_html(nodes)
    assert len(nodes) > COLLAPSE_OVER
    assert markup.count("<details") == 11  # the critical path, then ten layers
    assert markup.count(" open>") == 1  # only the critical path is open
    nodes[500] = _node("n500", 0.5, 0.501, status="failed")  # a chain's first node: layer 0
    opened = timeline_html(nodes)
    assert opened.count(" open>") == 2
    assert 'data-group="0" open' in opened  # the layer with the failure
    assert timeline_html(nodes[:20]).count("<details") == 0


def test_attempts_without_their_times_are_counted() -> None:
    node = NodeEntry("retried", "done", 0.0, 0.3, 0.3, 3)  # recorded from a Run: no attempt start times
    markup = timeline_html([node])
    assert 'data-tries="3"' in markup
    assert "3 attempts" in markup
    assert "data-tries" not in timeline_html([_node("once", 0.0, 0.1)])
