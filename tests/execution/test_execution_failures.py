"""Fail-fast and graceful runs, cancellation, interrupts, and the running-loop guard."""

from __future__ import annotations

import asyncio

import pytest

from livedag.execution import (
    Driver,
    NodeFailed,
    NodeFailedError,
    NodeSkipped,
    RunFinished,
    RunningLoopError,
    RunStatus,
)


class Boom(Exception):
    pass


def make_graph(log: list[str], started: asyncio.Event | None = None):
    """``source`` feeds a failing branch, a slow independent branch, and a join of both."""

    def source(x: int) -> int:
        return x

    slow_started = asyncio.Event()

    async def broken(source: int) -> int:
        await slow_started.wait()
        raise Boom(f"broken with {source}")

    def after_broken(broken: int) -> int:
        log.append("after_broken")
        return broken

    async def slow(source: int) -> int:
        slow_started.set()
        if started is not None:
            started.set()
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            log.append("slow cancelled")
            raise
        log.append("slow finished")
        return source * 10

    def after_slow(slow: int) -> int:
        return slow + 1

    def joined(after_broken: int, after_slow: int) -> int:
        log.append("joined")
        return after_broken + after_slow

    return [source, broken, after_broken, slow, after_slow, joined]


async def test_fail_fast_cancels_in_flight_nodes_and_raises() -> None:
    log: list[str] = []
    driver = Driver(make_graph(log))
    with pytest.raises(NodeFailedError) as caught:
        await driver.aexecute(inputs={"x": 1})
    error = caught.value
    assert error.node == "broken"
    assert isinstance(error.__cause__, Boom)
    assert "broken" in str(error)
    assert "test_execution_failures.py" in str(error)
    assert error.line is not None
    assert log == ["slow cancelled"]
    run = error.run
    assert run.status["broken"] is RunStatus.FAILED
    assert run.status["slow"] is RunStatus.SKIPPED
    assert run.records["slow"].skipped_because == ()
    assert run.values == {"source": 1}
    assert run.records["broken"].traceback is not None
    assert "Boom" in run.records["broken"].traceback


def test_fail_fast_in_execute() -> None:
    log: list[str] = []
    with pytest.raises(NodeFailedError) as caught:
        Driver(make_graph(log)).execute(inputs={"x": 1})
    assert caught.value.node == "broken"
    assert log == ["slow cancelled"]


async def test_graceful_keeps_independent_branches() -> None:
    log: list[str] = []
    run = await Driver(make_graph(log), graceful=True).arun(inputs={"x": 2})
    assert not run.ok
    assert run.failed == ("broken",)
    assert set(run.skipped) == {"after_broken", "joined"}
    assert run.values == {"source": 2, "slow": 20, "after_slow": 21}
    assert run.records["joined"].skipped_because == ("broken",)
    assert "slow finished" in log
    assert "joined" not in log
    assert run.error is not None
    assert run.error.node == "broken"
    assert isinstance(run.error.__cause__, Boom)


async def test_graceful_execute_raises_after_running_everything_possible() -> None:
    log: list[str] = []
    with pytest.raises(NodeFailedError) as caught:
        await Driver(make_graph(log), graceful=True).aexecute(inputs={"x": 2})
    assert caught.value.run.values["after_slow"] == 21


async def test_graceful_stream_reports_failed_and_skipped() -> None:
    log: list[str] = []
    events = [event async for event in Driver(make_graph(log), graceful=True).astream(inputs={"x": 2})]
    failed = [event for event in events if isinstance(event, NodeFailed)]
    assert [event.node for event in failed] == ["broken"]
    assert isinstance(failed[0].error, Boom)
    assert "Boom" in failed[0].traceback
    skipped = {event.node: event.blocked_by for event in events if isinstance(event, NodeSkipped)}
    assert skipped == {"after_broken": ("broken",), "joined": ("broken",)}
    assert isinstance(events[-1], RunFinished)
    assert not events[-1].ok


def test_run_does_not_raise_on_failure() -> None:
    run = Driver(make_graph([])).run(inputs={"x": 1})
    assert not run.ok
    assert run.failed == ("broken",)
    assert isinstance(run.error, NodeFailedError)


def _own_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task.get_name().startswith("livedag:")}


async def test_cancelling_aexecute_cancels_every_node_task() -> None:
    log: list[str] = []
    started: list[str] = []
    both_started = asyncio.Event()

    def make(name: str):
        async def waiting(source: int) -> int:
            started.append(name)
            if len(started) == 2:
                both_started.set()
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log.append(f"{name} cancelled")
                raise
            return source

        waiting.__name__ = name
        return waiting

    def source() -> int:
        return 1

    def joined(first: int, second: int) -> int:
        return first + second

    outer = asyncio.create_task(Driver([source, make("first"), make("second"), joined]).aexecute())
    await both_started.wait()
    assert len(_own_tasks()) == 1  # one node runs in the caller's task, the other in a worker
    outer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await outer
    assert sorted(log) == ["first cancelled", "second cancelled"]
    assert not _own_tasks()


async def test_cancelling_a_stream_consumer_cancels_the_run() -> None:
    log: list[str] = []
    started = asyncio.Event()
    driver = Driver(make_graph(log, started), graceful=True)

    async def consume() -> None:
        async for _ in driver.astream(["after_slow"], inputs={"x": 1}):
            pass

    consumer = asyncio.create_task(consume())
    await started.wait()
    consumer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await consumer
    assert log == ["slow cancelled"]
    assert not _own_tasks()


async def test_leaving_a_stream_early_cancels_the_run() -> None:
    log: list[str] = []
    stream = Driver(make_graph(log), graceful=True).astream(["after_slow"], inputs={"x": 1})
    async for event in stream:  # type: ignore[attr-defined]
        if getattr(event, "node", None) == "slow":
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert log == ["slow cancelled"]
    assert not _own_tasks()


async def test_no_task_outlives_a_failed_run() -> None:
    with pytest.raises(NodeFailedError):
        await Driver(make_graph([])).aexecute(inputs={"x": 1})
    assert not _own_tasks()


async def test_execute_inside_a_running_loop_says_to_await_aexecute() -> None:
    driver = Driver(make_graph([]))
    with pytest.raises(RunningLoopError, match=r"await driver\.aexecute"):
        driver.execute(["source"], inputs={"x": 1})
    with pytest.raises(RunningLoopError):
        driver.run(["source"], inputs={"x": 1})


def test_keyboard_interrupt_in_a_node_stops_the_run_cleanly() -> None:
    log: list[str] = []

    def source() -> int:
        return 1

    async def slow(source: int) -> int:
        try:
            await asyncio.sleep(10)
        finally:
            log.append("slow stopped")
        return source

    async def trigger(source: int) -> int:
        await asyncio.sleep(0)
        return source

    def interrupted(trigger: int) -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Driver([source, slow, trigger, interrupted]).execute()
    assert log == ["slow stopped"]


def test_keyboard_interrupt_without_an_event_loop() -> None:
    calls: list[str] = []

    def first() -> int:
        raise KeyboardInterrupt

    def second(first: int) -> int:
        calls.append("second")
        return first

    with pytest.raises(KeyboardInterrupt):
        Driver([first, second]).execute()
    assert calls == []


async def test_a_node_raising_cancelled_error_itself_is_a_failure() -> None:
    """Whether it runs in the caller's task or in a worker task."""

    async def quits() -> int:
        raise asyncio.CancelledError

    async def other() -> int:
        await asyncio.sleep(0)
        return 1

    for nodes in ([quits], [quits, other], [other, quits]):
        run = await Driver(nodes, graceful=True).arun()
        assert run.failed == ("quits",)
        assert isinstance(run.records["quits"].error, asyncio.CancelledError)
    assert not _own_tasks()


async def test_a_failure_in_a_worker_interrupts_the_node_in_the_callers_task() -> None:
    log: list[str] = []

    async def slow() -> int:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("slow cancelled")
            raise
        return 1

    async def failing() -> int:
        await asyncio.sleep(0)
        raise Boom("in a worker")

    for nodes in ([slow, failing], [failing, slow]):
        log.clear()
        with pytest.raises(NodeFailedError, match="in a worker"):
            await Driver(nodes).aexecute()
        assert log == ["slow cancelled"]
        assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]


def test_keyboard_interrupt_in_an_async_worker_is_not_logged_twice(capfd: pytest.CaptureFixture[str]) -> None:
    log: list[str] = []

    async def interrupting() -> int:
        await asyncio.sleep(0)
        raise KeyboardInterrupt

    async def waiting() -> int:
        try:
            await asyncio.sleep(10)
        finally:
            log.append("waiting stopped")
        return 1

    with pytest.raises(KeyboardInterrupt):
        Driver([interrupting, waiting]).execute()
    import gc

    gc.collect()
    assert log == ["waiting stopped"]
    assert "exception was never retrieved" not in capfd.readouterr().err
