"""The one scheduler: a ready-set over a plan, driven inline and by worker tasks.

``RunInFlight.advance`` pops ready nodes: inline nodes (plain sync functions, the default) are called
right there, and whatever becomes ready is pushed on the same stack; every other node (async,
threaded, with timeouts...) is queued for a *worker*. A worker (``work``) takes a queued node and
runs its first step itself: if the node completes without suspending, the worker goes on with the
next queued node; if it suspends, the rest of the queue is handed to new workers first
(``dispatch``), so independent I/O overlaps. A chain of async nodes thus costs one task, and the
run's own task is a worker too. A plan with only inline nodes needs no event loop at all
(``run_sync``); an async run (``run_async``) has no coroutine tree and no done-callbacks: it waits
on one future until the last worker is done.

The ready loop is written once, in ``advance``: a worker that finished a node hands it to
``advance(stack, finished)``, which releases its dependents exactly as the inline path does. A
``Parallelizable`` node's ``dependents`` is ``EXPAND``: releasing it appends one copy of each block
node per item (``_expand``) to the run's arrays, which therefore grow in place (never rebound). A
node body that is not inline goes to the run's ``NodeExecutor`` (``execution.executor``).

Invariants: node ``i``'s value is ``values[i]`` (copies and items get new slots at the end);
``remaining[i]`` counts node ``i``'s planned dependencies not yet done, so a node is
pushed exactly once, when its count reaches zero; a failed node never decrements its dependents,
so in graceful mode they are marked skipped and never become ready; ``stopped`` (fail-fast, a
cancellation, a KeyboardInterrupt) makes ``advance`` start nothing more. Events are built only
when someone listens (``sink``); hooks only when there are hooks.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping
from typing import Any

from livedag.execution.aio import resume
from livedag.execution.attempts import run_attempts
from livedag.execution.events import (
    HookFailed,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeSkipped,
    NodeStarted,
    RunEvent,
)
from livedag.execution.executor import NodeExecutor
from livedag.execution.fanout import FanOut
from livedag.execution.hooks import HookError, Hooks
from livedag.execution.plan import EXPAND, Plan, PlannedNode
from livedag.execution.states import DONE, FAILED, PENDING, RUNNING, SKIPPED, STATUS, VALUE
from livedag.graph import NodeKind

__all__ = ["DONE", "STATUS", "RunInFlight", "Sink"]

Sink = Callable[[RunEvent], None]

_PENDING, _RUNNING, _DONE, _FAILED, _SKIPPED = PENDING, RUNNING, DONE, FAILED, SKIPPED
_GENERATOR = NodeKind.GENERATOR
_DONE_STATUS = STATUS[DONE]
# Shared, never written: replaced by a run's own container on first use.
_NO_TASKS: set[Any] = set()
_NO_HOOK_ERRORS: list[Any] = []
_NO_READY: list[int] = []
_NO_MAP: dict[Any, Any] = {}


class RunInFlight(FanOut):
    """The mutable state of one run of a plan; see the module docstring for its invariants.

    Slotted, with the rarely used containers shared until first written: thousands of runs can be
    in flight on one loop, and every container they hold is work for the garbage collector.
    """

    __slots__ = (
        "attempts",
        "blocked",
        "copies",
        "counts",
        "done",
        "errors",
        "executor",
        "fetch_all",
        "first_failed",
        "graceful",
        "hook_errors",
        "hooks",
        "in_task",
        "inline_hooks",
        "inputs",
        "interrupted",
        "loop",
        "main_cancelled",
        "main_task",
        "node_hooks",
        "nodes",
        "perf0",
        "plan",
        "ready_tasks",
        "remaining",
        "run_id",
        "sink",
        "started",
        "status",
        "stop_reason",
        "stopped",
        "tasks",
        "took",
        "values",
        "wall0",
    )

    def __init__(
        self,
        plan: Plan,
        values: list[Any],
        *,
        run_id: str,
        graceful: bool,
        hooks: Hooks | None,
        sink: Sink | None,
        executor: NodeExecutor,
        inputs: Mapping[str, Any],
        fetch_all: bool = False,
    ) -> None:
        count = len(plan.nodes)
        task_hooks = hooks is not None and hooks.awaited_node_hooks
        self.in_task: list[bool] | tuple[bool, ...] = (True,) * count if task_hooks else plan.in_task
        self.nodes: list[PlannedNode | None] | tuple[PlannedNode, ...] = plan.nodes
        self.copies: dict[int, list[int]] = _NO_MAP
        """Block node -> its per-item copies, once its ``Parallelizable`` node expanded."""
        self.counts: dict[int, int] = _NO_MAP
        """Items of an expanded node whose value is remote (the executor reported how many)."""
        self.remaining = list(plan.indegree)
        self.status = [_PENDING] * count
        if plan.blocks:  # the arrays grow at expansions: one slot per value, node or not
            extra = plan.slot_count - count
            self.nodes = [*plan.nodes, *([None] * extra)]
            self.in_task = [*self.in_task, *([False] * extra)]
            self.remaining += [0] * extra
            self.status += [VALUE] * extra
            self.copies, self.counts = {}, {}
            count = plan.slot_count
        self.inputs = inputs
        self.fetch_all = fetch_all
        """A remote executor's values are all fetched after the run (for previews), not only the outputs."""
        self.plan = plan
        self.values = values
        self.run_id = run_id
        self.graceful = graceful
        self.hooks = hooks
        self.sink = sink
        self.executor = executor
        self.started = [0.0] * count
        """Node ``i``'s start (``perf_counter``)."""
        self.took = [0.0] * count
        """Node ``i``'s duration, all attempts."""
        self.attempts: dict[int, int] = {}
        self.errors: dict[int, tuple[BaseException, str]] = {}
        self.blocked: dict[int, tuple[tuple[str, ...], str]] = {}
        self.hook_errors: list[HookError] = _NO_HOOK_ERRORS
        self.tasks: set[asyncio.Task[None]] = _NO_TASKS
        """Worker tasks in flight (shared empty set until the first is spawned)."""
        self.ready_tasks: list[int] = _NO_READY
        """Task nodes ready to run: the running worker takes them one by one, and hands whatever is still
        queued to new workers (``dispatch``) before it waits on a node that suspends."""
        self.main_task: asyncio.Task[Any] | None = None
        self.main_cancelled = False
        self.interrupted: asyncio.Task[Any] | None = None
        """A worker an interrupt (KeyboardInterrupt) escaped from; its exception is marked as seen."""
        self.first_failed: int | None = None
        self.stopped = False
        self.stop_reason = ""
        self.loop: asyncio.AbstractEventLoop | None = None
        self.done: asyncio.Future[None] | None = None
        self.node_hooks = hooks is not None and hooks.node_hooks
        self.inline_hooks = task_hooks is False and self.node_hooks
        """Node hooks, all plain: called right around each body (an async node keeps its direct path)."""
        self.perf0 = time.perf_counter()
        self.wall0 = time.time()

    # -- the hot loop ------------------------------------------------------------------------------
    def start(self, ready: Iterable[int]) -> None:
        """Run the inline nodes among ``ready`` (and what follows); task nodes are collected for workers."""
        stack: list[int] = []
        for i in ready:
            if self.in_task[i]:
                self.task_ready(i)
            else:
                stack.append(i)
        if stack:
            stack.reverse()
            self.advance(stack)

    def advance(self, stack: list[int], finished: int = -1) -> None:
        """Release ``finished`` (a node done in a worker), then run every inline node on ``stack``
        and everything that becomes ready meanwhile: the one ready loop of the scheduler."""
        nodes: list[PlannedNode] = self.nodes  # type: ignore[assignment]  # a value slot is never pushed
        remaining, in_task = self.remaining, self.in_task
        i = finished
        node: PlannedNode | None = nodes[i] if i >= 0 else None
        bound = False  # the locals of running nodes are bound only when there is one to run
        try:
            while True:
                if node is not None:  # node ``i`` is done: release its dependents
                    dependents: tuple[int, ...] | list[int] = node.dependents
                    if dependents is EXPAND:
                        dependents = self._expand(i)
                    for dependent in dependents:
                        remaining[dependent] -= 1
                        if not remaining[dependent]:
                            if in_task[dependent]:
                                self.task_ready(dependent)
                            else:
                                stack.append(dependent)
                if not stack:
                    return
                if not bound:
                    values, status, started, took = self.values, self.status, self.started, self.took
                    observed = self.sink is not None or self.inline_hooks
                    perf, pop, done, generator = time.perf_counter, stack.pop, _DONE, _GENERATOR
                    bound = True
                i = pop()
                node = nodes[i]
                if observed:
                    self._observe_start(node)
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
                    if node.kind is generator:
                        value = self.drain_generator(node, value)
                except Exception as error:  # noqa: BLE001 - a node failure is data: retried or reported
                    try:
                        value = self._retry_inline(node, error)
                    except Exception as last:  # noqa: BLE001 - a node failure is data, reported below
                        self.failed(i, last)
                        if self.stopped:
                            stack.clear()  # it may be a worker's reused ``released`` list
                            return
                        node = None
                        continue
                took[i] = perf() - t0
                values[i] = value
                status[i] = done
                if observed:
                    self._observe_done(i)
        except BaseException:  # KeyboardInterrupt, SystemExit: stop everything, then let it through
            stack.clear()
            self.stop("interrupted")
            raise

    def _observe_start(self, node: PlannedNode) -> None:
        if self.sink is not None:
            self.sink(NodeStarted(self.run_id, node.name, 1, time.time()))
        if self.inline_hooks:
            self._before_node_inline(node)

    def _observe_done(self, i: int) -> None:
        if self.sink is not None:
            self.sink(NodeFinished(self.run_id, self.node(i).name, self.values[i], self.duration(i)))
        if self.inline_hooks:
            self._after_node_inline(i)

    def _retry_inline(self, node: PlannedNode, error: Exception) -> Any:
        attempts = node.options.retries + 1
        for attempt in range(2, attempts + 1):
            self.attempts[node.index] = attempt
            if self.sink is not None:
                self.sink(NodeStarted(self.run_id, node.name, attempt, time.time()))
            try:
                args, kwargs = node.arguments(self.values)
                value = node.function(*args, **kwargs)
                return self.drain_generator(node, value) if node.kind is _GENERATOR else value
            except Exception as again:  # noqa: BLE001 - the next attempt decides
                error = again
        raise error

    def drain_generator(self, node: PlannedNode, generator: Iterator[Any]) -> list[Any]:
        items: list[Any] = []
        sink = self.sink
        for item in generator:
            if sink is not None:
                sink(NodeChunk(self.run_id, node.name, len(items), item))
            items.append(item)
        return items

    # -- outcomes ----------------------------------------------------------------------------------
    def failed(self, i: int, error: BaseException) -> None:
        node = self.node(i)
        self.took[i] = time.perf_counter() - self.started[i]
        self.status[i] = _FAILED
        text = "".join(traceback.format_exception(error))
        self.errors[i] = (error, text)
        if self.first_failed is None:
            self.first_failed = i
        if self.sink is not None:
            self.sink(NodeFailed(self.run_id, node.name, error, self.duration(i), text))
        if self.inline_hooks and (not self.in_task[i] or node.direct):  # else they ran in ``run_attempts``
            self._after_node_inline(i)
        if self.graceful:
            self._skip_downstream(i)
        else:
            self.stop(f"the run stopped after `{node.name}` failed")

    def _skip_downstream(self, i: int) -> None:
        name = self.node(i).name
        pending = list(self._dependents(i))
        while pending:
            j = pending.pop()
            if self.status[j] != _PENDING:
                continue
            self.status[j] = _SKIPPED
            reason = f"needs `{name}`, which failed"
            self.blocked[j] = ((name,), reason)
            if self.sink is not None:
                self.sink(NodeSkipped(self.run_id, self.node(j).name, reason, (name,)))
            pending.extend(self._dependents(j))

    def stop(self, reason: str) -> None:
        """Start nothing more and cancel what is in flight (fail-fast, cancellation, interrupt)."""
        if not self.stopped:
            self.stopped = True
            self.stop_reason = reason
        current = asyncio.current_task() if self.loop is not None else None
        for task in self.tasks:
            if task is not current:
                task.cancel()
                # A task cancelled before its first step never runs ``work``'s ``finally``: let it go here.
                task.add_done_callback(self._forget)
        if self.main_task is not None and self.main_task is not current and not self.main_cancelled:
            self.main_cancelled = True
            self.main_task.cancel()
        self._wake()

    def settle(self) -> None:
        """After the run: every node that neither finished nor failed is ``skipped``, with the reason."""
        for template in self.copies:
            self.gather(template)
        if not self.stopped and not self.errors:
            return  # a clean run: every node is done
        reason = self.stop_reason or "not run"
        for i, state in enumerate(self.status):
            if state in (_PENDING, _RUNNING):
                self.status[i] = _SKIPPED
                why = "cancelled: " + reason if state == _RUNNING else reason
                self.blocked[i] = ((), why)
                if self.sink is not None:
                    self.sink(NodeSkipped(self.run_id, self.node(i).name, why, ()))

    def report_hook(self, error: HookError) -> None:
        if self.hook_errors is _NO_HOOK_ERRORS:
            self.hook_errors = []
        self.hook_errors.append(error)
        if self.sink is not None:
            self.sink(HookFailed(self.run_id, error.hook, error.node, error.error, error.traceback))

    # -- tasks: workers that run task nodes, one after another ------------------------------------
    def dispatch(self) -> None:
        """Give every task-ready node a worker task of its own."""
        ready = self.ready_tasks
        while ready:
            self._spawn(ready.pop())

    def _spawn(self, i: int) -> None:
        if self.stopped:
            return
        assert self.loop is not None, "a node that needs an event loop was planned inline"
        self.status[i] = _RUNNING
        task = self.loop.create_task(self.work(i), name=self.node(i).task_name)
        if self.tasks is _NO_TASKS:
            self.tasks = set()
        self.tasks.add(task)

    async def work(self, i: int, main: bool = False) -> None:
        """Run task node ``i``; then one node it made ready, and so on (the others get workers of their own).

        A chain of async nodes thus costs one task, not one per node. With ``main`` this is the run's
        own task (the caller's, for ``aexecute``): ``stop`` cancels it while it runs a node, and
        that cancellation is taken back here (as ``asyncio.timeout`` does) so the run can settle and
        report, while a cancellation from outside still propagates.
        """
        if main:
            self.main_task = asyncio.current_task()
            baseline = self.main_task.cancelling() if self.main_task is not None else 0
        try:
            nodes: list[PlannedNode] = self.nodes  # type: ignore[assignment]  # a value slot never runs
            status, started, took, values = self.status, self.started, self.took, self.values  # never rebound
            perf, sink = time.perf_counter, self.sink
            direct_ok = self.inline_hooks or not self.node_hooks  # no awaited hooks: direct nodes stay direct
            released: list[int] = []  # the stack a finished node is released with (empty between nodes)
            while i >= 0 and not self.stopped:
                node = nodes[i]
                status[i] = _RUNNING
                if node.collects >= 0:
                    self.gather(node.collects)
                if sink is not None:
                    sink(NodeStarted(self.run_id, node.name, 1, time.time()))
                started[i] = perf()
                try:
                    hooked = node.direct and direct_ok
                    if hooked:  # a plain async node: its coroutine, unwrapped (plain node hooks around it)
                        if self.inline_hooks:
                            self._before_node_inline(node)
                        coroutine = node.function(values[node.slot0]) if node.nargs == 1 else self._awaitable(node)
                    else:
                        coroutine = run_attempts(self, node)
                    if not self.ready_tasks:  # nothing else queued: nothing to hand on if it suspends
                        value = await coroutine
                    else:
                        try:  # the first step runs now, in this worker: most nodes never suspend
                            pending = coroutine.send(None)
                        except StopIteration as stop:
                            value = stop.value
                        else:  # it suspends: what is queued gets workers of its own, then this one waits
                            self.dispatch()
                            value = await resume(coroutine, pending)
                except asyncio.CancelledError:
                    task = asyncio.current_task()
                    if self.stopped or (task is not None and task.cancelling()):
                        raise
                    self.failed(i, asyncio.CancelledError(f"node `{node.name}` was cancelled"))  # cancelled itself
                    self.dispatch()
                    return
                except Exception as error:  # noqa: BLE001 - a node failure is data, reported by ``failed``
                    self.failed(i, error)
                    self.dispatch()
                    return
                except BaseException:  # KeyboardInterrupt, SystemExit
                    self.stop("interrupted")
                    raise
                # done: record it, then the ready loop releases what it makes ready
                if not took[i]:  # not already set to the time the body ran elsewhere
                    took[i] = perf() - started[i]
                values[i] = value
                status[i] = _DONE
                if sink is not None:
                    sink(NodeFinished(self.run_id, node.name, value, took[i]))
                if hooked and self.inline_hooks:
                    self._after_node_inline(i)
                self.advance(released, i)
                ready = self.ready_tasks
                i = ready.pop() if ready and not self.stopped else -1
                if not ready:
                    self.ready_tasks = _NO_READY  # nothing queued: drop the list while this run waits
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if not (main and self.main_cancelled and task is not None):
                raise
            # Take back our own request; any other one (an outside cancel) still propagates. The
            # baseline covers requests left over from before this run (3.11's TaskGroup leaves one).
            if task.uncancel() > baseline:
                raise
        except BaseException:  # an interrupt escaping a worker: the run's own task reports it
            if not main:
                self.interrupted = asyncio.current_task()
            raise
        finally:
            if main:
                self.main_task = None
            else:
                task = asyncio.current_task()
                if task is not None:
                    self.tasks.discard(task)
                if not self.tasks:
                    self._wake()

    def _awaitable(self, node: PlannedNode) -> Coroutine[Any, Any, Any]:
        """What a worker awaits for a node: its own coroutine, or one with attempts, timeout, hooks."""
        if node.direct and (self.inline_hooks or not self.node_hooks):
            if node.nargs == 1:
                return node.function(self.values[node.slot0])  # type: ignore[no-any-return]
            args, kwargs = node.arguments(self.values)
            return node.function(*args, **kwargs)  # type: ignore[no-any-return]
        return run_attempts(self, node)

    def ran(self, i: int, started: float, duration: float) -> None:
        """The body of node ``i`` ran elsewhere from ``started`` (``time.time()``) for ``duration`` s."""
        self.started[i] = self.perf0 + (started - self.wall0)
        self.took[i] = duration

    def task_ready(self, i: int) -> None:
        if self.ready_tasks is _NO_READY:
            self.ready_tasks = []
        self.ready_tasks.append(i)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not self.tasks:
            self._wake()

    def _wake(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(None)

    # -- node hooks --------------------------------------------------------------------------------
    def kwargs_of(self, node: PlannedNode) -> dict[str, Any]:
        return {key: self.values[slot] for key, slot in node.kwargs}

    def started_wall(self, i: int) -> float:
        return self.wall0 + self.started[i] - self.perf0

    def note_attempt(self, i: int, attempt: int) -> None:
        self.attempts[i] = attempt

    def _before_node_inline(self, node: PlannedNode) -> None:
        assert self.hooks is not None
        if not self.hooks.before_node:
            return
        self.hooks.call_sync(
            self.hooks.before_node,
            node.name,
            self.report_hook,
            run_id=self.run_id,
            node=node.name,
            kwargs=self.kwargs_of(node),
            attempt=1,
        )

    def _after_node_inline(self, i: int) -> None:
        assert self.hooks is not None
        if not self.hooks.after_node:
            return
        name = self.node(i).name
        self.hooks.call_sync(
            self.hooks.after_node, name, self.report_hook, run_id=self.run_id, node=name, record=self.record(i)
        )

    def duration(self, i: int) -> float:
        return self.took[i]

    # -- records -----------------------------------------------------------------------------------
    def record(self, i: int) -> NodeRecord:
        node = self.node(i)
        state = self.status[i]
        if state == _DONE:  # the common case, built positionally (a done node has no error)
            begun, took, value = self.wall0 + self.started[i] - self.perf0, self.took[i], self.values[i]
            chunks = list(value) if node.kind.is_streaming and isinstance(value, list) else []  # a remote handle: none
            tries = self.attempts.get(i, 1)
            return NodeRecord(node.name, _DONE_STATUS, begun, begun + took, took, value, None, None, tries, chunks)
        ran = state in (_DONE, _FAILED) or i in self.errors
        started = self.started_wall(i) if ran else None
        error, text = self.errors.get(i, (None, None))
        blocked, _ = self.blocked.get(i, ((), ""))
        value = self.values[i] if state == _DONE else None
        return NodeRecord(
            name=node.name,
            status=STATUS[state],
            started=started,
            ended=started + self.duration(i) if started is not None else None,
            duration=self.duration(i) if ran else None,
            value=value,
            error=error,
            traceback=text,
            attempts=self.attempts.get(i, 1) if ran else 0,
            chunks=list(value) if node.kind.is_streaming and isinstance(value, list) else [],  # not a handle
            skipped_because=blocked,
        )
