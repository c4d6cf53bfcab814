"""One node run in a task: its attempts, timeout, backoff, worker thread, stream, and async node hooks.

Only nodes that need awaiting around them come here (the scheduler awaits a plain async node's
coroutine directly). Everything is a function of the run state and the planned node, so the
scheduler module keeps only the ready-set and its workers.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import time
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from livedag.execution.errors import NodeTimeoutError
from livedag.execution.events import NodeChunk, NodeRecord, NodeStarted, RunStatus
from livedag.execution.plan import THREAD, PlannedNode
from livedag.graph import NodeKind

if TYPE_CHECKING:
    from livedag.execution.scheduler import RunState

__all__ = ["run_attempts"]


async def run_attempts(state: RunState, node: PlannedNode) -> Any:
    """The node's value after up to ``retries + 1`` attempts (the last error is raised)."""
    i, options = node.index, node.options
    attempts = options.retries + 1
    hooks = state.hooks if state.node_hooks else None
    attempt = 1
    while True:
        if attempt > 1:
            state.attempts[i] = attempt
            if state.sink is not None:
                state.sink(NodeStarted(state.run_id, node.name, attempt, time.time()))
        if hooks is not None:
            await hooks.call("before_node", node.name, state.report_hook, run_id=state.run_id, node=node.name,
                             kwargs=state.kwargs_of(node), attempt=attempt)
        try:
            value = await _attempt(state, node, attempt, attempts)
        except Exception as error:
            if attempt >= attempts:
                await _after_node(state, node, None, error)
                raise
            if options.backoff > 0:
                await asyncio.sleep(options.backoff * 2 ** (attempt - 1))
            attempt += 1
            continue
        await _after_node(state, node, value, None)
        return value


async def _attempt(state: RunState, node: PlannedNode, attempt: int, attempts: int) -> Any:
    timeout = node.options.timeout
    if timeout is None:
        return await _invoke(state, node)
    deadline = asyncio.timeout(timeout)
    try:
        async with deadline:
            return await _invoke(state, node)
    except TimeoutError as error:
        if not deadline.expired():
            raise
        raise NodeTimeoutError(node.name, timeout, attempt, attempts) from error


async def _invoke(state: RunState, node: PlannedNode) -> Any:
    args, kwargs = node.arguments(state.values)
    kind, function = node.kind, node.function
    if kind is NodeKind.ASYNC:
        return await function(*args, **kwargs)
    if kind is NodeKind.ASYNC_GENERATOR:
        items: list[Any] = []
        async with aclosing(function(*args, **kwargs)) as stream:
            async for item in stream:
                if state.sink is not None:
                    state.sink(NodeChunk(state.run_id, node.name, len(items), item))
                items.append(item)
        return items
    if node.mode == THREAD:
        loop = asyncio.get_running_loop()
        call = functools.partial(_in_thread, state, node, loop, args, kwargs)
        return await loop.run_in_executor(state.executor(), contextvars.copy_context().run, call)
    value = function(*args, **kwargs)
    return state.drain_generator(node, value) if kind is NodeKind.GENERATOR else value


def _in_thread(state: RunState, node: PlannedNode, loop: asyncio.AbstractEventLoop, args: Any, kwargs: Any) -> Any:
    """In a worker thread: call the node; a generator's items go back to the loop as chunk events."""
    value = node.function(*args, **kwargs)
    if node.kind is not NodeKind.GENERATOR:
        return value
    items: list[Any] = []
    for item in value:
        if state.sink is not None and not state.stopped:
            loop.call_soon_threadsafe(state.sink, NodeChunk(state.run_id, node.name, len(items), item))
        items.append(item)
    return items


async def _after_node(state: RunState, node: PlannedNode, value: Any, error: BaseException | None) -> None:
    if state.hooks is None or not state.node_hooks:
        return
    i = node.index
    record = NodeRecord(
        node.name,
        RunStatus.DONE if error is None else RunStatus.FAILED,
        started=state.wall0 + state.times[i] - state.perf0,
        duration=time.perf_counter() - state.times[i],
        value=value,
        error=error,
        attempts=state.attempts.get(i, 1),
    )
    await state.hooks.call("after_node", node.name, state.report_hook, run_id=state.run_id, node=node.name,
                           record=record)
