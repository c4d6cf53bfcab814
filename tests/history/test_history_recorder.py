"""The recorder's compact rows (``HistoryHook`` -> ``FinishedRun`` -> ``history.compact``) read back as the
entry ``entry_from_run`` makes from the same run's ``Run``, for runs of every shape."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hamilton.htypes import Collect, Parallelizable

from livedag import Driver
from livedag.execution import Run
from livedag.history import HistoryStore
from livedag.history.capture import entry_from_run
from livedag.history.compact import fast_preview
from livedag.history.recorder import HistoryHook


def _clean() -> list[Callable[..., Any]]:
    def a(x: int) -> int:
        return x + 1

    async def b(a: int) -> list[str]:
        await asyncio.sleep(0)
        return [str(a)] * 3

    def c(a: int, b: list[str]) -> dict[str, object]:
        return {"a": a, "b": b}

    return [a, b, c]


def _failing() -> list[Callable[..., Any]]:
    calls = {"flaky": 0}

    def a(x: int) -> int:
        return x + 1

    async def flaky(a: int) -> int:
        calls["flaky"] += 1
        if calls["flaky"] < 2:
            raise ValueError("first try fails")
        return a

    def broken(a: int) -> int:
        raise RuntimeError(f"broken with {a}")

    def after(broken: int, flaky: int) -> int:
        return broken + flaky

    return [a, flaky, broken, after]


def _streaming() -> list[Callable[..., Any]]:
    def items(x: int) -> Iterator[int]:
        yield from range(x)

    def total(items: list[int]) -> int:
        return sum(items)

    return [items, total]


def _parallel() -> list[Callable[..., Any]]:
    def each(x: int) -> Parallelizable[int]:
        yield from range(x)

    def doubled(each: int) -> int:
        return each * 2

    def gathered(doubled: Collect[int]) -> int:
        return sum(doubled)

    return [each, doubled, gathered]


class Keep:
    def __init__(self) -> None:
        self.runs: list[Run] = []

    def after_run(self, *, run: Run, **_: Any) -> None:
        self.runs.append(run)


CASES = {
    "clean, async": (_clean, {}, {}),
    "failed, retried, skipped": (_failing, {"flaky": {"retries": 1}}, {}),
    "streaming": (_streaming, {}, {}),
    "parallel copies": (_parallel, {}, {}),
    "cached override": (_clean, {}, {"a": 41}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_recorded_rows_read_back_as_the_run(case: str, tmp_path: Path) -> None:
    functions, options, overrides = CASES[case]
    graph = Driver(functions()).graph
    hook, keep = HistoryHook(graph, path=tmp_path / "runs.db", label=case), Keep()
    driver = Driver(graph, hooks=[hook, keep], graceful=True, node_options=options)
    driver.run(inputs={"x": 3}, overrides=overrides)
    assert hook.flush()
    with HistoryStore(tmp_path / "runs.db") as store:
        recorded = store.latest()
    assert recorded is not None
    run = keep.runs[0]
    expected = entry_from_run(run, graph, outputs=run.outputs, inputs={"x": 3}, source="api", label=case)
    assert (recorded.run_id, recorded.ok, recorded.label, recorded.inputs_fingerprint) == (
        expected.run_id,
        expected.ok,
        case,
        expected.inputs_fingerprint,
    )
    assert recorded.counts() == expected.counts()
    assert [node.name for node in recorded.nodes] == [node.name for node in expected.nodes]
    for got, want in zip(recorded.nodes, expected.nodes, strict=True):
        for field in ("status", "attempts", "error", "traceback", "preview", "upstream", "items", "skipped_because"):
            assert getattr(got, field) == getattr(want, field), (got.name, field)
        for field in ("started", "ended", "duration"):
            mine, theirs = getattr(got, field), getattr(want, field)
            assert (mine is None) == (theirs is None), (got.name, field)
            if mine is not None:
                assert math.isclose(mine, theirs, abs_tol=1e-6), (got.name, field)


def test_the_failing_case_records_what_happened(tmp_path: Path) -> None:
    graph = Driver(_failing()).graph
    hook = HistoryHook(graph, path=tmp_path / "runs.db")
    Driver(graph, hooks=[hook], graceful=True, node_options={"flaky": {"retries": 1}}).run(inputs={"x": 1})
    assert hook.flush()
    with HistoryStore(tmp_path / "runs.db") as store:
        entry = store.latest()
    assert entry is not None
    nodes = {node.name: node for node in entry.nodes}
    assert (nodes["flaky"].attempts, nodes["flaky"].preview) == (2, "2")
    assert nodes["broken"].error == "RuntimeError: broken with 2"
    assert (nodes["after"].status, nodes["after"].skipped_because, nodes["after"].started) == (
        "skipped",
        ("broken",),
        None,
    )
    assert not entry.ok


@pytest.mark.parametrize(
    "value",
    [
        "short",
        "two  spaces",
        "line\nbreak",
        "x" * 500,
        3.5,
        None,
        [1, "a", None],
        list(range(100)),
        ("x" * 150, "y" * 150),
        {"text": "a", "tokens": 3},
        {1: "a"},
        {"k": list(range(50))},
        object(),
    ],
)
def test_fast_preview_matches_the_preview_everyone_shows(value: object) -> None:
    from livedag.execution.progress import preview

    expected = preview(value, 200)
    assert fast_preview(value) == expected
