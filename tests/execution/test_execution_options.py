"""Per-node options: timeouts, retries with backoff, worker threads; defaults per driver."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import livedag
from livedag.execution import Driver, NodeFailedError, NodeStarted, NodeTimeoutError, RunStatus


def test_retries_until_success_inline() -> None:
    attempts: list[int] = []

    @livedag.node(retries=2)
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("try again")
        return "ok"

    run = Driver([flaky]).run()
    assert run.values == {"flaky": "ok"}
    assert run.records["flaky"].attempts == 3
    assert len(attempts) == 3


def test_retries_exhausted_raise_the_last_error() -> None:
    calls: list[int] = []

    def always() -> int:
        calls.append(1)
        raise ConnectionError(f"attempt {len(calls)}")

    with pytest.raises(NodeFailedError) as caught:
        Driver([always], retries=1).execute()
    assert str(caught.value.__cause__) == "attempt 2"
    assert caught.value.run.records["always"].attempts == 2


async def test_retries_with_backoff_emit_a_start_per_attempt() -> None:
    calls: list[float] = []

    async def flaky() -> int:
        calls.append(time.perf_counter())
        if len(calls) < 3:
            raise ConnectionError("later")
        return 7

    events = [
        event async for event in Driver([flaky], node_options={"flaky": {"retries": 3, "backoff": 0.01}}).astream()
    ]
    assert [event.attempt for event in events if isinstance(event, NodeStarted)] == [1, 2, 3]
    assert calls[1] - calls[0] >= 0.009  # backoff 0.01 s, then doubled (lower bounds only)
    assert calls[2] - calls[1] >= 0.019


def test_sync_node_with_backoff_runs_and_retries() -> None:
    calls: list[int] = []

    @livedag.node(retries=1, backoff=0.001)
    def flaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first")
        return 3

    assert Driver([flaky]).execute() == {"flaky": 3}


async def test_async_timeout() -> None:
    @livedag.node(timeout=0.05)
    async def stuck() -> int:
        await asyncio.sleep(10)
        return 1

    with pytest.raises(NodeFailedError) as caught:
        await Driver([stuck]).aexecute()
    cause = caught.value.__cause__
    assert isinstance(cause, NodeTimeoutError)
    assert isinstance(cause, TimeoutError)
    assert "timed out after 0.05 s (attempt 1 of 1)" in str(cause)


async def test_timeout_then_retry_succeeds() -> None:
    calls: list[int] = []

    async def slow_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            await asyncio.sleep(10)
        return "second time"

    driver = Driver([slow_once], timeout=0.05, retries=1)
    assert await driver.aexecute() == {"slow_once": "second time"}


async def test_a_timeout_error_raised_by_the_node_is_not_a_timeout() -> None:
    @livedag.node(timeout=5)
    async def raises() -> int:
        raise TimeoutError("my own")

    with pytest.raises(NodeFailedError) as caught:
        await Driver([raises]).aexecute()
    assert not isinstance(caught.value.__cause__, NodeTimeoutError)


def test_sync_node_with_timeout_runs_in_a_thread() -> None:
    release = threading.Event()

    @livedag.node(timeout=0.05)
    def blocking() -> int:
        release.wait(5)
        return 1

    try:
        with pytest.raises(NodeFailedError) as caught:
            Driver([blocking]).execute()
        assert isinstance(caught.value.__cause__, NodeTimeoutError)
    finally:
        release.set()


async def test_in_thread_keeps_the_loop_free() -> None:
    """A blocking sync node in a thread overlaps with an async node that needs the loop."""
    release = threading.Event()
    loop_ran = asyncio.Event()

    @livedag.node(in_thread=True)
    def blocking() -> str:
        assert release.wait(5), "the async node never ran while this one blocked"
        return threading.current_thread().name

    async def on_loop() -> int:
        loop_ran.set()
        release.set()
        return 1

    values = await Driver([blocking, on_loop]).aexecute()
    assert values["blocking"].startswith("livedag-node")
    assert loop_ran.is_set()


async def test_sync_in_thread_driver_option_and_thread_generators_stream() -> None:
    def numbers() -> list[int]:
        return [1, 2]

    def items(numbers: list[int]):
        yield from numbers

    driver = Driver([numbers, items], sync_in_thread=True)
    run = await driver.arun()
    assert run.values == {"numbers": [1, 2], "items": [1, 2]}
    chunks = [event.value async for event in driver.astream() if type(event).__name__ == "NodeChunk"]
    assert chunks == [1, 2]


def test_inline_is_the_default_for_sync_nodes() -> None:
    def where() -> str:
        return threading.current_thread().name

    assert Driver([where]).execute() == {"where": threading.current_thread().name}
    assert Driver([where]).plan().needs_loop is False


def test_node_options_override_the_decorator_and_driver_defaults() -> None:
    @livedag.node(retries=5, timeout=3)
    def a() -> int:
        return 1

    def b() -> int:
        return 2

    driver = Driver([a, b], retries=1, backoff=0.5, node_options={"a": {"retries": 0}})
    options = {node.name: node.options for node in driver.plan().nodes}
    assert options["a"].retries == 0
    assert options["a"].timeout == 3
    assert options["a"].backoff == 0.5
    assert options["b"].retries == 1


def test_node_options_are_checked() -> None:
    def a() -> int:
        return 1

    with pytest.raises(KeyError, match="did you mean `a`"):
        Driver([a], node_options={"aa": {"retries": 1}})
    with pytest.raises(ValueError, match="unknown option"):
        Driver([a], node_options={"a": {"retry": 1}})
    with pytest.raises(ValueError, match="positive"):
        Driver([a], node_options={"a": {"timeout": 0}})


def test_statuses_of_a_timed_out_run() -> None:
    @livedag.node(timeout=0.02)
    async def stuck() -> int:
        await asyncio.sleep(10)
        return 1

    def after(stuck: int) -> int:
        return stuck

    run = Driver([stuck, after], graceful=True).run()
    assert run.status == {"stuck": RunStatus.FAILED, "after": RunStatus.SKIPPED}
