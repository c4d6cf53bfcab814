"""Entry points agree: execute, aexecute, run, arun and astream over the same mixed graphs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from exec_support import load

import livedag
from livedag.execution import (
    Driver,
    NodeCached,
    NodeChunk,
    NodeFinished,
    NodeStarted,
    RunFinished,
    RunStarted,
    RunStatus,
)


def base(x: int) -> int:
    return x + 1


async def doubled(base: int) -> int:
    await asyncio.sleep(0)
    return base * 2


def tripled(base: int) -> int:
    return base * 3


def counted(doubled: int, tripled: int) -> Iterator[int]:
    yield from range(doubled, tripled)


async def streamed(counted: list[int]) -> AsyncIterator[str]:
    for item in counted:
        await asyncio.sleep(0)
        yield str(item)


def total(counted: list[int], streamed: list[str], offset: int = 100) -> int:
    return sum(counted) + len(streamed) + offset


MIXED = (base, doubled, tripled, counted, streamed, total)
EXPECTED = {"base": 3, "doubled": 6, "tripled": 9, "counted": [6, 7, 8], "streamed": ["6", "7", "8"], "total": 124}


async def _stream_values(driver: Driver, **kwargs: object) -> dict[str, object]:
    return {
        event.node: event.value
        async for event in driver.astream(**kwargs)  # type: ignore[arg-type]
        if isinstance(event, NodeFinished | NodeCached)
    }


def test_execute_returns_the_requested_outputs() -> None:
    driver = Driver(MIXED)
    assert driver.execute(["total", "counted"], inputs={"x": 2}) == {"total": 124, "counted": [6, 7, 8]}
    assert driver.execute("tripled", inputs={"x": 2}) == {"tripled": 9}


def test_outputs_none_means_every_node() -> None:
    assert Driver(MIXED).execute(inputs={"x": 2}) == EXPECTED


async def test_execute_aexecute_astream_agree() -> None:
    driver = Driver(MIXED)
    from_async = await driver.aexecute(inputs={"x": 2})
    from_stream = await _stream_values(driver, inputs={"x": 2})
    from_arun = (await driver.arun(inputs={"x": 2})).values
    assert from_async == from_stream == from_arun == EXPECTED


def test_run_record() -> None:
    run = Driver(MIXED).run(["total"], inputs={"x": 2})
    assert run.ok
    assert run.error is None
    assert not run.failed
    assert not run.skipped
    assert run.values == EXPECTED
    assert run.outputs == {"total": 124}
    assert set(run.status.values()) == {RunStatus.DONE}
    record = run.records["counted"]
    assert record.chunks == [6, 7, 8]
    assert record.attempts == 1
    assert record.started is not None
    assert record.ended is not None
    assert record.ended >= record.started
    assert set(run.durations) == set(EXPECTED)
    assert all(duration >= 0 for duration in run.durations.values())


def test_only_the_needed_subgraph_runs() -> None:
    calls: list[str] = []

    def a(x: int) -> int:
        calls.append("a")
        return x

    def b(a: int) -> int:
        calls.append("b")
        return a

    def unrelated(y: int) -> int:
        calls.append("unrelated")
        return y

    assert Driver([a, b, unrelated]).execute(["b"], inputs={"x": 1}) == {"b": 1}
    assert calls == ["a", "b"]


async def test_stream_event_order_for_a_generator() -> None:
    events = [event async for event in Driver(MIXED).astream(["counted"], inputs={"x": 2})]
    assert isinstance(events[0], RunStarted)
    assert isinstance(events[-1], RunFinished)
    assert events[-1].ok
    counted = [event for event in events if getattr(event, "node", None) == "counted"]
    assert isinstance(counted[0], NodeStarted)
    assert [(event.index, event.value) for event in counted if isinstance(event, NodeChunk)] == [(0, 6), (1, 7), (2, 8)]
    assert isinstance(counted[-1], NodeFinished)
    assert counted[-1].value == [6, 7, 8]
    assert events[0].nodes == ("base", "doubled", "tripled", "counted")


async def test_async_generator_chunks_arrive_before_the_node_finishes() -> None:
    gate = asyncio.Event()

    async def ticks() -> AsyncIterator[int]:
        yield 1
        await gate.wait()
        yield 2

    seen: list[object] = []
    async for event in Driver([ticks]).astream():
        seen.append(event)
        if isinstance(event, NodeChunk) and event.value == 1:
            assert not any(isinstance(e, NodeFinished) for e in seen)
            gate.set()
    assert [e.value for e in seen if isinstance(e, NodeChunk)] == [1, 2]
    assert [e.value for e in seen if isinstance(e, NodeFinished)] == [[1, 2]]


async def test_independent_async_nodes_run_concurrently() -> None:
    async def one() -> int:
        await asyncio.sleep(0.2)
        return 1

    async def two() -> int:
        await asyncio.sleep(0.2)
        return 2

    async def three() -> int:
        await asyncio.sleep(0.2)
        return 3

    def summed(one: int, two: int, three: int) -> int:
        return one + two + three

    driver = Driver([one, two, three, summed])
    start = time.perf_counter()
    assert await driver.aexecute(["summed"]) == {"summed": 6}
    assert time.perf_counter() - start < 0.4
    start = time.perf_counter()
    assert await asyncio.to_thread(driver.execute, ["summed"]) == {"summed": 6}
    assert time.perf_counter() - start < 0.4


def test_overrides_replace_values_and_prune_upstream() -> None:
    calls: list[str] = []

    def expensive(x: int) -> int:
        calls.append("expensive")
        return x

    def uses(expensive: int) -> int:
        calls.append("uses")
        return expensive + 1

    driver = Driver([expensive, uses])
    assert driver.execute(["uses"], overrides={"expensive": 41}) == {"uses": 42}
    assert calls == ["uses"]
    run = driver.run(["uses"], overrides={"expensive": 41})
    assert run.status == {"expensive": RunStatus.CACHED, "uses": RunStatus.DONE}
    assert run.values == {"expensive": 41, "uses": 42}
    assert driver.execute(["expensive"], overrides={"expensive": 5}) == {"expensive": 5}


async def test_overridden_nodes_are_cached_events() -> None:
    def first(x: int) -> int:
        return x

    def second(first: int) -> int:
        return first * 10

    events = [event async for event in Driver([first, second]).astream(["second"], overrides={"first": 4})]
    cached = [event for event in events if isinstance(event, NodeCached)]
    assert [(event.node, event.value) for event in cached] == [("first", 4)]
    assert events[0].nodes == ("first", "second")
    assert [event.value for event in events if isinstance(event, NodeFinished)] == [40]


def test_defaults_are_used_when_an_input_is_not_given() -> None:
    def greeting(name: str, punctuation: str = "!") -> str:
        return f"hello {name}{punctuation}"

    driver = Driver([greeting])
    assert driver.execute(inputs={"name": "ada"}) == {"greeting": "hello ada!"}
    assert driver.execute(inputs={"name": "ada", "punctuation": "?"}) == {"greeting": "hello ada?"}


def test_keyword_only_parameters() -> None:
    def a() -> int:
        return 1

    def b(*, a: int, x: int = 2) -> int:
        return a + x

    assert Driver([a, b]).execute(["b"]) == {"b": 3}


def test_an_input_can_be_requested_as_an_output() -> None:
    def a(x: int) -> int:
        return x

    assert Driver([a]).execute(["x", "a"], inputs={"x": 3}) == {"x": 3, "a": 3}


def test_driver_accepts_a_graph_modules_and_functions() -> None:
    module = load("mixed")
    by_module = Driver(module).execute(inputs=module.INPUTS)
    by_graph = Driver(livedag.Graph.from_modules(module)).execute(inputs=module.INPUTS)
    assert by_module == by_graph
    assert Driver(base).execute(inputs={"x": 1}) == {"base": 2}


def test_public_exports() -> None:
    assert livedag.Driver is Driver
    assert issubclass(livedag.NodeFailedError, Exception)
    assert issubclass(livedag.InvalidRunError, Exception)
    assert issubclass(livedag.RunningLoopError, RuntimeError)
    assert livedag.Run.__name__ == "Run"


def test_plans_are_cached_per_names() -> None:
    driver = Driver(MIXED)
    first = driver.plan(["total"], ["x"])
    assert driver.plan(["total"], ["x"]) is first
    assert driver.plan(["total"], ["x", "offset"]) is not first
    with pytest.raises(livedag.InvalidRunError):
        driver.plan(["nope"])


def test_import_livedag_stays_light() -> None:
    """The execution package (asyncio, threads) loads on first use of ``livedag.Driver``, not at import."""
    import subprocess
    import sys

    code = (
        "import sys, livedag; "
        "assert 'livedag.execution' not in sys.modules and 'asyncio' not in sys.modules, sorted(sys.modules); "
        "livedag.Driver; assert 'livedag.execution' in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
