"""A run from start to end around the scheduler: events, run hooks, the ``Run`` record, the result.

``run_sync`` and ``run_async`` are the two ways of driving one ``RunInFlight``: the first calls the
ready-set inline (a plan with only inline nodes needs no event loop), the second on the running
loop, waiting for in-flight tasks and cancelling them if the run is stopped or cancelled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from livedag.execution.aio import drain
from livedag.execution.errors import NodeFailedError
from livedag.execution.events import NodeCached, NodeFinished, NodeRecord, RunFinished, RunStarted, RunStatus
from livedag.execution.finished import FinishedRun
from livedag.execution.result import Run
from livedag.execution.scheduler import DONE, RunInFlight

__all__ = ["build_run", "outputs_or_raise", "run_async", "run_sync"]


def _begin(state: RunInFlight) -> None:
    plan, sink = state.plan, state.sink
    if sink is None:
        return
    sink(RunStarted(state.run_id, (*plan.cached, *plan.names()), state.wall0))
    for name, slot in plan.override_slots:
        if name in plan.cached:
            sink(NodeCached(state.run_id, name, state.values[slot]))


def _after_run_needed(state: RunInFlight) -> Run | None:
    """Hand the finished run to the recorders; the ``Run`` for ``after_run`` hooks, when there are any."""
    hooks = state.hooks
    if hooks is None:
        return None
    if hooks.record_run:
        hooks.call_recorders(FinishedRun(state), state.report_hook)
    return build_run(state) if hooks.after_run else None


def _finish(state: RunInFlight) -> None:
    if state.sink is not None:
        state.sink(RunFinished(state.run_id, not state.errors and not state.stopped, time.perf_counter() - state.perf0))


def run_sync(state: RunInFlight) -> None:
    """Drive a plan whose nodes all run inline (and whose hooks are all plain functions)."""
    _begin(state)
    hooks = state.hooks
    if hooks is not None and hooks.before_run:
        hooks.call_sync(
            hooks.before_run,
            None,
            state.report_hook,
            run_id=state.run_id,
            nodes=state.plan.names(),
            inputs=state.inputs,
        )
    try:
        state.start(state.plan.roots)
    finally:
        state.settle()
    run = _after_run_needed(state)
    if run is not None and hooks is not None:
        hooks.call_sync(hooks.after_run, None, state.report_hook, run_id=state.run_id, run=run)
    _finish(state)


async def run_async(state: RunInFlight) -> None:
    """Drive a plan on the running loop; cancelling this coroutine cancels every node task."""
    loop = asyncio.get_running_loop()
    state.loop = loop
    _begin(state)
    hooks = state.hooks
    if hooks is not None and hooks.before_run:
        await hooks.call(
            hooks.before_run,
            None,
            state.report_hook,
            run_id=state.run_id,
            nodes=state.plan.names(),
            inputs=state.inputs,
        )
    try:
        state.start(state.plan.roots)
        if state.ready_tasks and not state.stopped:
            await state.work(state.ready_tasks.pop(), main=True)
        if state.tasks:
            state.done = loop.create_future()
            await state.done
        if state.executor.remote:
            await _fetch_outputs(state)
    finally:
        if state.tasks:
            state.stop("the run was cancelled")
            await drain(set(state.tasks))
        if state.interrupted is not None and state.interrupted.done() and not state.interrupted.cancelled():
            state.interrupted.exception()  # it propagated out of the loop already: do not log it again
        state.settle()
    run = _after_run_needed(state)
    if run is not None and hooks is not None:
        await hooks.call(hooks.after_run, None, state.report_hook, run_id=state.run_id, run=run)
    _finish(state)


async def _fetch_outputs(state: RunInFlight) -> None:
    """Bring the requested outputs back from a remote executor (every other value stays there, unless
    ``fetch_all``: then every node's value comes back, for previews)."""
    state.settle()  # a block node's value is the list of its copies' handles
    count = len(state.plan.nodes)
    if state.fetch_all:  # every node, per-item copies included (a block node's list is fetched as its own)
        wanted: Iterable[int] = (i for i, node in enumerate(state.nodes) if node is not None)
    else:
        wanted = (slot for _, slot in state.plan.outputs if slot < count)
    slots = sorted({slot for slot in wanted if state.status[slot] == DONE})
    gathered = {slot for slot in slots if slot in state.copies}
    values = state.values
    handles = [values[slot] for slot in slots if slot not in gathered]
    handles += [handle for slot in slots if slot in gathered for handle in values[slot]]
    fetched = iter(await state.executor.fetch(handles))
    for slot in slots:
        if slot not in gathered:
            values[slot] = next(fetched)
    for slot in slots:
        if slot in gathered:
            values[slot] = [next(fetched) for _ in values[slot]]
    if state.sink is not None:  # the fetched value, for the live tables (their first one held the handle)
        for slot in slots:
            state.sink(NodeFinished(state.run_id, state.node(slot).name, values[slot], state.duration(slot)))


def build_run(state: RunInFlight) -> Run:
    plan, values = state.plan, state.values
    records: dict[str, NodeRecord] = {}
    for name, slot in plan.override_slots:
        if name in plan.cached:
            records[name] = NodeRecord(name, RunStatus.CACHED, value=values[slot])
    for i, node in enumerate(state.nodes):
        if node is None:
            continue
        record = state.record(i)
        records[record.name] = record
    count = len(plan.nodes)
    outputs = {name: values[slot] for name, slot in plan.outputs if slot >= count or state.status[slot] == DONE}
    run = Run(
        state.run_id,
        records,
        outputs,
        started=state.wall0,
        duration=time.perf_counter() - state.perf0,
        graceful=state.graceful,
        hook_errors=tuple(state.hook_errors),
    )
    if state.first_failed is not None:
        node = state.node(state.first_failed)
        error, _ = state.errors[state.first_failed]
        failure = NodeFailedError(node.name, node.spec, error, run)
        failure.__cause__ = error
        run.set_error(failure)
    return run


def outputs_or_raise(state: RunInFlight) -> dict[str, Any]:
    """The requested outputs, or the ``NodeFailedError`` of the first failure (with the whole Run)."""
    if state.first_failed is not None:
        error = build_run(state).error
        assert error is not None
        raise error from error.__cause__
    values = state.values
    return {name: values[slot] for name, slot in state.plan.outputs}
