"""Lifecycle hooks: sync and async methods, detected automatically, errors reported by name."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from livedag.execution import Driver, HookFailed, NodeRecord, Run, RunStatus


def a(x: int) -> int:
    return x + 1


async def b(a: int) -> int:
    await asyncio.sleep(0)
    return a * 2


def c(a: int, b: int) -> int:
    return a + b


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def before_run(self, *, run_id: str, nodes: tuple[str, ...], inputs: dict[str, Any], **_: Any) -> None:
        self.calls.append(("before_run", (nodes, dict(inputs))))

    def before_node(self, *, run_id: str, node: str, kwargs: dict[str, Any], attempt: int, **_: Any) -> None:
        self.calls.append(("before_node", (node, dict(kwargs), attempt)))

    def after_node(self, *, run_id: str, node: str, record: NodeRecord, **_: Any) -> None:
        self.calls.append(("after_node", (node, record.status, record.value)))

    def after_run(self, *, run_id: str, run: Run, **_: Any) -> None:
        self.calls.append(("after_run", dict(run.values)))


class AsyncRecorder(Recorder):
    async def before_node(self, *, run_id: str, node: str, kwargs: dict[str, Any], attempt: int, **_: Any) -> None:
        await asyncio.sleep(0)
        self.calls.append(("before_node", (node, dict(kwargs), attempt)))

    async def after_run(self, *, run_id: str, run: Run, **_: Any) -> None:
        await asyncio.sleep(0)
        self.calls.append(("after_run", dict(run.values)))


EXPECTED_CALLS = [
    ("before_run", (("a", "b", "c"), {"x": 1})),
    ("before_node", ("a", {"x": 1}, 1)),
    ("after_node", ("a", RunStatus.DONE, 2)),
    ("before_node", ("b", {"a": 2}, 1)),
    ("after_node", ("b", RunStatus.DONE, 4)),
    ("before_node", ("c", {"a": 2, "b": 4}, 1)),
    ("after_node", ("c", RunStatus.DONE, 6)),
    ("after_run", {"a": 2, "b": 4, "c": 6}),
]


@pytest.mark.parametrize("hook_class", [Recorder, AsyncRecorder])
def test_hooks_with_execute(hook_class: type[Recorder]) -> None:
    hook = hook_class()
    assert Driver([a, b, c], hooks=[hook]).execute(inputs={"x": 1}) == {"a": 2, "b": 4, "c": 6}
    assert hook.calls == EXPECTED_CALLS


@pytest.mark.parametrize("hook_class", [Recorder, AsyncRecorder])
async def test_hooks_with_aexecute(hook_class: type[Recorder]) -> None:
    hook = hook_class()
    await Driver([a, b, c], hooks=[hook]).aexecute(inputs={"x": 1})
    assert hook.calls == EXPECTED_CALLS


def test_sync_hooks_on_an_inline_run() -> None:
    def d(x: int) -> int:
        return x

    hook = Recorder()
    Driver([d], hooks=[hook]).execute(inputs={"x": 5})
    assert [name for name, _ in hook.calls] == ["before_run", "before_node", "after_node", "after_run"]


def test_after_node_sees_failures() -> None:
    def broken() -> int:
        raise ValueError("no")

    hook = Recorder()
    Driver([broken], hooks=[hook], graceful=True).run()
    assert ("after_node", ("broken", RunStatus.FAILED, None)) in hook.calls


class Partial:
    """Only one method: the others are simply not called."""

    def __init__(self) -> None:
        self.nodes: list[str] = []

    def after_node(self, *, node: str, **_: Any) -> None:
        self.nodes.append(node)


def test_hooks_may_define_any_subset() -> None:
    hook = Partial()
    Driver([a, b, c], hooks=[hook]).execute(inputs={"x": 1})
    assert sorted(hook.nodes) == ["a", "b", "c"]


class Raising:
    def before_node(self, **_: Any) -> None:
        raise RuntimeError("hook bug")


class AsyncRaising:
    async def after_run(self, **_: Any) -> None:
        raise LookupError("async hook bug")


def test_a_raising_hook_does_not_corrupt_the_run(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="livedag.execution"):
        run = Driver([a, b, c], hooks=[Raising(), recorder, AsyncRaising()]).run(inputs={"x": 1})
    assert run.ok
    assert run.values == {"a": 2, "b": 4, "c": 6}
    assert [call[0] for call in recorder.calls].count("after_node") == 3
    hooks = [(error.hook, error.node) for error in run.hook_errors]
    assert ("Raising.before_node", "a") in hooks
    assert len([hook for hook in hooks if hook[0] == "Raising.before_node"]) == 3
    assert "Raising.before_node" in caplog.text
    assert "hook bug" in caplog.text
    assert "AsyncRaising.after_run" in caplog.text


async def test_hook_failures_are_events() -> None:
    events = [event async for event in Driver([a], hooks=[Raising()]).astream(inputs={"x": 1})]
    failed = [event for event in events if isinstance(event, HookFailed)]
    assert [(event.hook, event.node) for event in failed] == [("Raising.before_node", "a")]
    assert isinstance(failed[0].error, RuntimeError)
    assert "hook bug" in failed[0].traceback


@pytest.mark.parametrize("hook_class", [Recorder, AsyncRecorder])
def test_after_node_is_called_once_for_a_failing_node_of_each_kind(hook_class: type[Recorder]) -> None:
    def sync_broken() -> int:
        raise ValueError("sync")

    async def async_broken() -> int:
        await asyncio.sleep(0)
        raise ValueError("async")

    hook = hook_class()
    Driver([sync_broken, async_broken], hooks=[hook], graceful=True).run()
    after = sorted(args[0] for name, args in hook.calls if name == "after_node")
    assert after == ["async_broken", "sync_broken"]
    before = sorted(args[0] for name, args in hook.calls if name == "before_node")
    assert before == ["async_broken", "sync_broken"]


class PlainNodeHooks:
    def __init__(self) -> None:
        self.frames: list[list[str]] = []

    def before_node(self, **_: Any) -> None:
        import inspect

        self.frames.append([frame.function for frame in inspect.stack()])

    def after_node(self, **_: Any) -> None:
        return None


async def test_plain_node_hooks_keep_an_async_node_on_its_direct_path() -> None:
    hook = PlainNodeHooks()
    assert await Driver([a, b, c], hooks=[hook]).aexecute(inputs={"x": 1}) == {"a": 2, "b": 4, "c": 6}
    assert len(hook.frames) == 3
    assert not any("run_attempts" in frames for frames in hook.frames)  # b was not wrapped for its hooks

    class Awaited(PlainNodeHooks):
        async def after_node(self, **_: Any) -> None:
            await asyncio.sleep(0)

    awaited = Awaited()
    await Driver([a, b, c], hooks=[awaited]).aexecute(inputs={"x": 1})
    assert all("run_attempts" in frames for frames in awaited.frames)  # an awaited hook: every node wrapped


class Recorder2:
    def __init__(self) -> None:
        self.runs: list[Any] = []

    def record_run(self, run: Any, /) -> None:
        self.runs.append(run)


def test_a_recorder_gets_the_finished_run_and_no_run_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    import livedag.execution.lifecycle as lifecycle

    def no_run(*_: Any) -> None:
        raise AssertionError("a Run was built for a recorder")

    recorder = Recorder2()
    with monkeypatch.context() as patched:
        patched.setattr(lifecycle, "build_run", no_run)
        assert Driver([a, b, c], hooks=[recorder]).execute(inputs={"x": 1}) == {"a": 2, "b": 4, "c": 6}
    clean = recorder.runs[0].columns()
    assert (recorder.runs[0].ok, clean.names, clean.values) == (True, ("a", "b", "c"), [2, 4, 6])

    def broken(a: int) -> int:
        raise ValueError("no")

    driver = Driver([a, b, broken], hooks=[recorder], graceful=True, node_options={"b": {"retries": 1}})
    assert not driver.run(inputs={"x": 1}).ok
    run = recorder.runs[1]
    columns = run.columns()
    assert (run.ok, run.inputs, run.outputs) == (False, {"x": 1}, ("a", "b", "broken"))
    assert dict(zip(columns.names, columns.status, strict=True)) == {"a": "done", "b": "done", "broken": "failed"}
    assert columns.values[:2] == [2, 4]
    position = columns.names.index("broken")
    assert isinstance(columns.errors[position][0], ValueError)
    assert all(start is not None for start in columns.started)


def test_an_async_recorder_is_refused_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    class AsyncRecorder:
        async def record_run(self, run: Any, /) -> None:
            return None

    with caplog.at_level(logging.WARNING, logger="livedag.execution"):
        driver = Driver([a], hooks=[AsyncRecorder()])
    assert "AsyncRecorder.record_run is async" in caplog.text
    assert driver.execute(inputs={"x": 1}) == {"a": 2}
