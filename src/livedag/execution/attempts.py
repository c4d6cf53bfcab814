"""One node run in a task: its attempts, timeout, backoff, the executor call, and async node hooks.

Only nodes that need awaiting around them come here (the scheduler awaits a plain async node's
coroutine directly). What this module may see of a run is ``AttemptHost``: the value list, the
executor, where events and hook errors go, and three ways to report back (an attempt started, the
body ran elsewhere at these times, an expanded node's item count). The run's ready-set, statuses
and tasks stay in the scheduler.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

from livedag.execution.errors import NodeTimeoutError
from livedag.execution.events import NodeChunk, NodeRecord, NodeStarted, RunEvent, RunStatus
from livedag.execution.executor import NodeCall, NodeExecutor
from livedag.execution.hooks import HookError, Hooks
from livedag.execution.plan import THREAD, PlannedNode

__all__ = ["AttemptHost", "run_attempts"]


class AttemptHost(Protocol):
    """The part of a run that running one node's attempts needs."""

    run_id: str
    values: list[Any]
    sink: Callable[[RunEvent], None] | None
    executor: NodeExecutor
    counts: dict[int, int]
    fetch_all: bool

    @property
    def node_hooks(self) -> bool: ...

    @property
    def hooks(self) -> Hooks | None: ...

    def report_hook(self, error: HookError) -> None: ...

    def note_attempt(self, i: int, attempt: int) -> None: ...

    def started_wall(self, i: int) -> float: ...

    def ran(self, i: int, started: float, duration: float) -> None: ...

    def kwargs_of(self, node: PlannedNode) -> dict[str, Any]: ...


async def run_attempts(host: AttemptHost, node: PlannedNode) -> Any:
    """The node's value after up to ``retries + 1`` attempts (the last error is raised)."""
    i, options = node.index, node.options
    attempts = options.retries + 1
    hooks = host.hooks if host.node_hooks else None
    attempt = 1
    while True:
        if attempt > 1:
            host.note_attempt(i, attempt)
            if host.sink is not None:
                host.sink(NodeStarted(host.run_id, node.name, attempt, time.time()))
        if hooks is not None and hooks.before_node:
            await hooks.call(
                hooks.before_node,
                node.name,
                host.report_hook,
                run_id=host.run_id,
                node=node.name,
                kwargs=host.kwargs_of(node),
                attempt=attempt,
            )
        call = _call(host, node)
        try:
            value = await _attempt(host, node, call, attempt, attempts)
        except Exception as error:
            if attempt >= attempts:
                await _after_node(host, node, call, None, error, attempt)
                raise
            if options.backoff > 0:
                await asyncio.sleep(options.backoff * 2 ** (attempt - 1))
            attempt += 1
            continue
        if call.started is not None and call.duration is not None:
            host.ran(i, call.started, call.duration)
        if call.count >= 0:
            host.counts[i] = call.count
        await _after_node(host, node, call, value, None, attempt)
        return value


def _call(host: AttemptHost, node: PlannedNode) -> NodeCall:
    args, kwargs = node.arguments(host.values)
    sink = host.sink
    chunk = None
    if sink is not None and node.kind.is_streaming:
        run_id, name = host.run_id, node.name

        def chunk(index: int, item: Any) -> None:
            sink(NodeChunk(run_id, name, index, item))

    return NodeCall(
        node.name,
        node.function,
        node.kind,
        args,
        kwargs,
        thread=node.mode == THREAD,
        expands=node.expands,
        gather=node.gather if node.nargs >= 0 else -1,
        collect=node.kwargs[node.gather][0] if node.gather >= 0 else None,
        chunk=chunk,
        fetch_chunks=host.fetch_all,
    )


async def _attempt(host: AttemptHost, node: PlannedNode, call: NodeCall, attempt: int, attempts: int) -> Any:
    timeout = node.options.timeout
    if timeout is None:
        return await host.executor.submit(call)
    deadline = asyncio.timeout(timeout)
    try:
        async with deadline:
            return await host.executor.submit(call)
    except TimeoutError as error:
        if not deadline.expired():
            raise
        raise NodeTimeoutError(node.name, timeout, attempt, attempts) from error


async def _after_node(
    host: AttemptHost, node: PlannedNode, call: NodeCall, value: Any, error: BaseException | None, attempt: int
) -> None:
    hooks = host.hooks
    if hooks is None or not host.node_hooks or not hooks.after_node:
        return
    i = node.index
    if call.started is not None and call.duration is not None:
        started, duration = call.started, call.duration
    else:
        started = host.started_wall(i)
        duration = time.time() - started
    record = NodeRecord(
        node.name,
        RunStatus.DONE if error is None else RunStatus.FAILED,
        started=started,
        ended=started + duration,
        duration=duration,
        value=value,
        error=error,
        attempts=attempt,
    )
    await hooks.call(hooks.after_node, node.name, host.report_hook, run_id=host.run_id, node=node.name, record=record)
