"""The one scheduler: a ready-set over a plan, driven inline and by asyncio task callbacks.

``RunState.advance`` pops ready nodes: inline nodes (plain sync functions, the default) are called
right there, and whatever becomes ready is pushed on the same stack; every other node becomes an
asyncio task whose done-callback records the result and calls ``advance`` again. So a plan with
only inline nodes needs no event loop at all (``run_sync``), and an async run (``run_async``) has
no coroutine tree: one future is awaited until the last in-flight task is done.

Invariants: ``remaining[i]`` counts node ``i``'s planned dependencies not yet done, so a node is
pushed exactly once, when its count reaches zero; a failed node never decrements its dependents,
so in graceful mode they are marked skipped and never become ready; ``stopped`` (fail-fast, a
cancellation, a KeyboardInterrupt) makes ``advance`` start nothing more. Events are built only
when someone listens (``sink``); hooks only when there are hooks.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import aclosing
from typing import Any

from livedag.execution.events import (
    HookFailed,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeSkipped,
    NodeStarted,
    RunEvent,
    RunStatus,
)
from livedag.execution.hooks import HookError, Hooks
from livedag.execution.plan import THREAD, Plan, PlannedNode
from livedag.graph import NodeKind

__all__ = ["RunState", "Sink", "drain"]

Sink = Callable[[RunEvent], None]

_PENDING, _RUNNING, _DONE, _FAILED, _SKIPPED = (
    RunStatus.PENDING, RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED, RunStatus.SKIPPED,
)
_GENERATOR, _ASYNC, _ASYNC_GENERATOR = NodeKind.GENERATOR, NodeKind.ASYNC, NodeKind.ASYNC_GENERATOR


class RunState:
    """The mutable state of one run of a plan; see the module docstring for its invariants."""

    def __init__(
        self,
        plan: Plan,
        values: list[Any],
        *,
        run_id: str,
        graceful: bool,
        hooks: Hooks | None,
        sink: Sink | None,
        executor: Callable[[], Executor],
    ) -> None:
        count = len(plan.nodes)
        self.plan = plan
        self.values = values
        self.run_id = run_id
        self.graceful = graceful
        self.hooks = hooks
        self.sink = sink
        self.executor = executor
        self.remaining = list(plan.indegree)
        self.status = [_PENDING] * count
        self.started = [0.0] * count
        self.durations = [0.0] * count
        self.attempts: dict[int, int] = {}
        self.errors: dict[int, tuple[BaseException, str]] = {}
        self.blocked: dict[int, tuple[tuple[str, ...], str]] = {}
        self.hook_errors: list[HookError] = []
        self.tasks: dict[asyncio.Future[Any], int] = {}
        self.first_failed: int | None = None
        self.stopped = False
        self.stop_reason = ""
        self.loop: asyncio.AbstractEventLoop | None = None
        self.done: asyncio.Future[None] | None = None
        self.node_hooks = hooks is not None and hooks.node_hooks
        self.inline_hooks = hooks is not None and hooks.node_hooks and not hooks.is_async
        task_hooks = hooks is not None and hooks.node_hooks and hooks.is_async
        self.in_task: tuple[bool, ...] = (True,) * count if task_hooks else plan.in_task
        self.perf0 = time.perf_counter()
        self.wall0 = time.time()

    # -- the hot loop ------------------------------------------------------------------------------
    def start(self, ready: Iterable[int]) -> None:
        """Start the task nodes among ``ready`` at once, then run the inline ones (and what follows)."""
        stack: list[int] = []
        for i in ready:
            if self.in_task[i]:
                self._start_task(self.plan.nodes[i])
            else:
                stack.append(i)
        if stack:
            stack.reverse()
            self.advance(stack)

    def advance(self, stack: list[int]) -> None:
        """Run every inline node on ``stack`` and everything that becomes ready meanwhile."""
        nodes, values, remaining = self.plan.nodes, self.values, self.remaining
        status, started, durations = self.status, self.started, self.durations
        sink, inline_hooks, in_task = self.sink, self.inline_hooks, self.in_task
        perf = time.perf_counter
        try:
            while stack and not self.stopped:
                i = stack.pop()
                node = nodes[i]
                if sink is not None:
                    sink(NodeStarted(self.run_id, node.name, 1, time.time()))
                if inline_hooks:
                    self._before_node_inline(node)
                started[i] = t0 = perf()
                try:
                    nargs = node.nargs
                    if nargs == 1:
                        value = node.function(values[node.slot0])
                    elif nargs == 0:
                        value = node.function()
                    elif nargs > 0:
                        value = node.function(*node.getter(values))  # type: ignore[misc]
                    else:
                        value = node.function(**{key: values[slot] for key, slot in node.kwargs})
                    if node.kind is _GENERATOR:
                        value = self._drain_generator(node, value)
                except Exception as error:  # noqa: BLE001 - a node failure is data: retried or reported
                    try:
                        value = self._retry_inline(node, error)
                    except Exception as last:  # noqa: BLE001 - a node failure is data, reported below
                        self.failed(i, last)
                        continue
                durations[i] = perf() - t0
                values[i] = value
                status[i] = _DONE
                if sink is not None:
                    sink(NodeFinished(self.run_id, node.name, value, durations[i]))
                if inline_hooks:
                    self._after_node_inline(i)
                for dependent in node.dependents:
                    remaining[dependent] -= 1
                    if not remaining[dependent]:
                        if in_task[dependent]:  # started at once: its I/O overlaps the inline work
                            self._start_task(nodes[dependent])
                        else:
                            stack.append(dependent)
        except BaseException:  # KeyboardInterrupt, SystemExit: stop everything, then let it through
            self.stop("interrupted")
            raise

    def _retry_inline(self, node: PlannedNode, error: Exception) -> Any:
        attempts = node.options.retries + 1
        for attempt in range(2, attempts + 1):
            self.attempts[node.index] = attempt
            if self.sink is not None:
                self.sink(NodeStarted(self.run_id, node.name, attempt, time.time()))
            try:
                args, kwargs = node.arguments(self.values)
                value = node.function(*args, **kwargs)
                return self._drain_generator(node, value) if node.kind is _GENERATOR else value
            except Exception as again:  # noqa: BLE001 - the next attempt decides
                error = again
        raise error

    def _drain_generator(self, node: PlannedNode, generator: Iterator[Any]) -> list[Any]:
        items: list[Any] = []
        sink = self.sink
        for item in generator:
            if sink is not None:
                sink(NodeChunk(self.run_id, node.name, len(items), item))
            items.append(item)
        return items

    # -- outcomes ----------------------------------------------------------------------------------
    def failed(self, i: int, error: BaseException) -> None:
        node = self.plan.nodes[i]
        self.durations[i] = time.perf_counter() - self.started[i]
        self.status[i] = _FAILED
        text = "".join(traceback.format_exception(error))
        self.errors[i] = (error, text)
        if self.first_failed is None:
            self.first_failed = i
        if self.sink is not None:
            self.sink(NodeFailed(self.run_id, node.name, error, self.durations[i], text))
        if self.inline_hooks:
            self._after_node_inline(i)
        if self.graceful:
            self._skip_downstream(i)
        else:
            self.stop(f"the run stopped after `{node.name}` failed")

    def _skip_downstream(self, i: int) -> None:
        nodes = self.plan.nodes
        name = nodes[i].name
        pending = list(nodes[i].dependents)
        while pending:
            j = pending.pop()
            if self.status[j] is not _PENDING:
                continue
            self.status[j] = _SKIPPED
            reason = f"needs `{name}`, which failed"
            self.blocked[j] = ((name,), reason)
            if self.sink is not None:
                self.sink(NodeSkipped(self.run_id, nodes[j].name, reason, (name,)))
            pending.extend(nodes[j].dependents)

    def stop(self, reason: str) -> None:
        """Start nothing more and cancel what is in flight (fail-fast, cancellation, interrupt)."""
        if not self.stopped:
            self.stopped = True
            self.stop_reason = reason
        for task in self.tasks:
            task.cancel()
        self._wake()

    def settle(self) -> None:
        """After the run: every node that neither finished nor failed is ``skipped``, with the reason."""
        reason = self.stop_reason or "not run"
        for i, state in enumerate(self.status):
            if state is _PENDING or state is _RUNNING:
                self.status[i] = _SKIPPED
                why = "cancelled: " + reason if state is _RUNNING else reason
                self.blocked[i] = ((), why)
                if self.sink is not None:
                    self.sink(NodeSkipped(self.run_id, self.plan.nodes[i].name, why, ()))

    def report_hook(self, error: HookError) -> None:
        self.hook_errors.append(error)
        if self.sink is not None:
            self.sink(HookFailed(self.run_id, error.hook, error.node, error.error, error.traceback))

    # -- tasks -------------------------------------------------------------------------------------
    def _start_task(self, node: PlannedNode) -> None:
        assert self.loop is not None, "a node that needs an event loop was planned inline"
        if self.stopped:
            return
        i = node.index
        self.status[i] = _RUNNING
        if self.sink is not None:
            self.sink(NodeStarted(self.run_id, node.name, 1, time.time()))
        self.started[i] = time.perf_counter()
        if node.direct and not self.node_hooks:
            try:
                args, kwargs = node.arguments(self.values)
                coroutine = node.function(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - e.g. a TypeError from the call itself
                self.failed(i, error)
                return
        else:
            coroutine = self._node_task(node)
        task = self.loop.create_task(coroutine, name=f"livedag:{self.run_id}:{node.name}")
        self.tasks[task] = i
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Future[Any]) -> None:
        i = self.tasks.pop(task)
        if task.cancelled():
            if not self.stopped:  # the node cancelled itself: a failure like any other
                self.failed(i, asyncio.CancelledError(f"node `{self.plan.nodes[i].name}` was cancelled"))
        elif (error := task.exception()) is not None:
            if isinstance(error, Exception):
                self.failed(i, error)
            else:
                self.stop("interrupted")
        else:
            self.durations[i] = time.perf_counter() - self.started[i]
            self.values[i] = value = task.result()
            self.status[i] = _DONE
            node = self.plan.nodes[i]
            if self.sink is not None:
                self.sink(NodeFinished(self.run_id, node.name, value, self.durations[i]))
            ready = []
            remaining = self.remaining
            for dependent in node.dependents:
                remaining[dependent] -= 1
                if not remaining[dependent]:
                    ready.append(dependent)
            if ready:
                self.start(ready)
        if not self.tasks:
            self._wake()

    def _wake(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(None)

    async def _node_task(self, node: PlannedNode) -> Any:
        """One node with its attempts, timeout, backoff and (async) node hooks."""
        i, options = node.index, node.options
        attempts = options.retries + 1
        attempt = 1
        while True:
            if attempt > 1:
                self.attempts[i] = attempt
                if self.sink is not None:
                    self.sink(NodeStarted(self.run_id, node.name, attempt, time.time()))
            if self.hooks is not None and self.hooks.node_hooks:
                await self.hooks.call("before_node", node.name, self.report_hook, run_id=self.run_id,
                                      node=node.name, kwargs=self._kwargs(node), attempt=attempt)
            try:
                value = await self._attempt(node, attempt, attempts)
            except Exception as error:
                if attempt >= attempts:
                    await self._after_node_async(node, None, error)
                    raise
                if options.backoff > 0:
                    await asyncio.sleep(options.backoff * 2 ** (attempt - 1))
                attempt += 1
                continue
            await self._after_node_async(node, value, None)
            return value

    async def _attempt(self, node: PlannedNode, attempt: int, attempts: int) -> Any:
        timeout = node.options.timeout
        if timeout is None:
            return await self._invoke(node)
        deadline = asyncio.timeout(timeout)
        try:
            async with deadline:
                return await self._invoke(node)
        except TimeoutError as error:
            if not deadline.expired():
                raise
            from livedag.execution.errors import NodeTimeoutError

            raise NodeTimeoutError(node.name, timeout, attempt, attempts) from error

    async def _invoke(self, node: PlannedNode) -> Any:
        args, kwargs = node.arguments(self.values)
        kind, function = node.kind, node.function
        if kind is _ASYNC:
            return await function(*args, **kwargs)
        if kind is _ASYNC_GENERATOR:
            items: list[Any] = []
            async with aclosing(function(*args, **kwargs)) as stream:
                async for item in stream:
                    if self.sink is not None:
                        self.sink(NodeChunk(self.run_id, node.name, len(items), item))
                    items.append(item)
            return items
        if node.mode == THREAD:
            assert self.loop is not None
            call = functools.partial(self._in_thread, node, self.loop, args, kwargs)
            return await self.loop.run_in_executor(self.executor(), contextvars.copy_context().run, call)
        value = function(*args, **kwargs)
        return self._drain_generator(node, value) if kind is _GENERATOR else value

    def _in_thread(self, node: PlannedNode, loop: asyncio.AbstractEventLoop, args: Any, kwargs: Any) -> Any:
        value = node.function(*args, **kwargs)
        if node.kind is not _GENERATOR:
            return value
        items: list[Any] = []
        for item in value:
            if self.sink is not None and not self.stopped:
                loop.call_soon_threadsafe(self.sink, NodeChunk(self.run_id, node.name, len(items), item))
            items.append(item)
        return items

    # -- node hooks --------------------------------------------------------------------------------
    def _kwargs(self, node: PlannedNode) -> dict[str, Any]:
        return {key: self.values[slot] for key, slot in node.kwargs}

    def _before_node_inline(self, node: PlannedNode) -> None:
        assert self.hooks is not None
        self.hooks.call_sync("before_node", node.name, self.report_hook, run_id=self.run_id, node=node.name,
                             kwargs=self._kwargs(node), attempt=1)

    def _after_node_inline(self, i: int) -> None:
        assert self.hooks is not None
        name = self.plan.nodes[i].name
        self.hooks.call_sync("after_node", name, self.report_hook, run_id=self.run_id, node=name,
                             record=self.record(i))

    async def _after_node_async(self, node: PlannedNode, value: Any, error: BaseException | None) -> None:
        if self.hooks is None or not self.hooks.node_hooks:
            return
        i = node.index
        record = NodeRecord(
            node.name,
            _DONE if error is None else _FAILED,
            started=self.wall0 + self.started[i] - self.perf0,
            duration=time.perf_counter() - self.started[i],
            value=value,
            error=error,
            attempts=self.attempts.get(i, 1),
        )
        await self.hooks.call("after_node", node.name, self.report_hook, run_id=self.run_id, node=node.name,
                              record=record)

    # -- records -----------------------------------------------------------------------------------
    def record(self, i: int) -> NodeRecord:
        node = self.plan.nodes[i]
        state = self.status[i]
        ran = state is _DONE or state is _FAILED or i in self.errors
        started = self.wall0 + self.started[i] - self.perf0 if ran else None
        error, text = self.errors.get(i, (None, None))
        blocked, _ = self.blocked.get(i, ((), ""))
        value = self.values[i] if state is _DONE else None
        return NodeRecord(
            name=node.name,
            status=state,
            started=started,
            ended=started + self.durations[i] if started is not None else None,
            duration=self.durations[i] if ran else None,
            value=value,
            error=error,
            traceback=text,
            attempts=self.attempts.get(i, 1) if ran else 0,
            chunks=list(value) if value is not None and node.kind.is_streaming else [],
            skipped_because=blocked,
        )


async def drain(tasks: set[asyncio.Future[Any]]) -> None:
    """Wait until every task is done, even if cancelled meanwhile (then re-raise the cancellation)."""
    pending = set(tasks)
    cancelled = False
    while pending:
        try:
            _, pending = await asyncio.wait(pending)
        except asyncio.CancelledError:
            cancelled = True
            for task in pending:
                task.cancel()
    if cancelled:
        raise asyncio.CancelledError
