"""A run from the notebook: check, pick inputs and cached values, stream events into the view.

``run_graph`` is the one coroutine both entry points await: the ``%%dag --run`` cell rewritten
to a top-level ``await`` (on the kernel's own loop) and the blocking fallback (``blocking``),
which drives it on a private loop in a worker thread when the cell cannot be awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import inspect
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from livedag.execution import Driver
from livedag.execution import scheduler as _scheduler
from livedag.execution.errors import InvalidRunError, where
from livedag.execution.events import NodeChunk, NodeFailed, RunEvent, RunStatus
from livedag.executors import shared as shared_executor
from livedag.graph import UnknownNodeError
from livedag.history.capture import Capture
from livedag.kernel.errors import (
    GraphProblemsError,
    MissingInputsError,
    RunFailedError,
    RunInterruptedError,
    RunRefusedError,
)
from livedag.kernel.history import record_and_show
from livedag.kernel.options import RunOptions
from livedag.kernel.record import RunRecorder
from livedag.kernel.report import problems_report
from livedag.kernel.rows import ResultsTable, apply, initial_state, interrupted
from livedag.kernel.threads import NodeCancelledError, NodeThreads
from livedag.kernel.tracebacks import user_traceback
from livedag.kernel.view import RunView, in_kernel

if TYPE_CHECKING:
    from livedag.execution.result import Run
    from livedag.graph import Graph
    from livedag.kernel.session import NotebookSession

__all__ = ["blocking", "run_graph"]

T = TypeVar("T")
_TICK = 0.25
"""Seconds between redraws of running nodes' elapsed time (the table moves at least this often)."""
_PRIVATE_LOOP: contextvars.ContextVar[bool] = contextvars.ContextVar("livedag_private_loop", default=False)
"""True while a run goes on a private loop (``blocking``): the cell could not be awaited."""
_PRIVATE_LOOP_HINT = (
    "This run could not use the kernel's event loop (with `%autoawait off`, or `%dag run` inside a function, "
    "the cell cannot await), so it ran on a private loop, and objects bound to the kernel's loop (a client, "
    "a Future or a Lock made in an earlier cell) cannot be used there: turn `%autoawait on` and run "
    "`%dag run` at the top level of a cell (also inside `if`/`for`/`with`), or create such objects in a node."
)
_GRACE = 0.5
"""Seconds an interrupted node thread gets to stop before it is reported as abandoned."""


class _KeepRun:
    """Driver hook that hands over the finished ``Run`` (``astream`` yields only events)."""

    def __init__(self) -> None:
        self.run: Run | None = None

    def after_run(self, *, run: Run, **_: Any) -> None:
        self.run = run


def _inputs(
    graph: Graph,
    namespace: Mapping[str, Any],
    options: RunOptions,
    is_node: Callable[[Any], bool],
) -> dict[str, Any]:
    if options.inputs_var is not None:
        given = namespace.get(options.inputs_var)
        if not isinstance(given, Mapping):
            raise RunRefusedError(
                f"--inputs {options.inputs_var}: expected a dict of input values, got {type(given).__name__}"
            )
        source: Mapping[str, Any] = given
    else:
        source = namespace
    # A node function left behind (its cell was edited or deleted) is never an input's value.
    values = {name: source[name] for name in graph.inputs if name in source and not is_node(source[name])}
    missing = graph.missing_inputs(values, options.outputs or None)
    if missing:
        raise MissingInputsError(missing, options.inputs_var)
    return values


def _checked_graph(session: NotebookSession, options: RunOptions) -> Graph:
    graph = session.graph()
    try:
        sub = graph.subgraph(options.outputs) if options.outputs else graph
    except UnknownNodeError as error:
        raise RunRefusedError(f"{error}; `%dag nodes` lists the graph") from None
    if sub.errors:
        fresh = session.unshown(list(sub.errors))
        if fresh:
            from livedag.kernel.display import display

            markup, text = problems_report(fresh, session.labels())
            display({"text/html": markup, "text/plain": text}, raw=True)
        raise GraphProblemsError(node for problem in sub.errors for node in problem.nodes)
    return sub


async def run_graph(session: NotebookSession, options: RunOptions) -> Run:
    """Run (part of) the notebook graph with a live view under the current cell."""
    __tracebackhide__ = True
    graph = _checked_graph(session, options)
    inputs = _inputs(graph, session.shell.user_ns, options, session.is_node_function)
    keys = session.cache.keys(graph, inputs)
    overrides = {} if options.force else session.cache.overrides(keys, set(graph.nodes))
    keeper = _KeepRun()
    threads = NodeThreads()
    driver = Driver(
        # node threads (interruptible sync bodies) are this process's; a process pool or a cluster gets the
        # functions themselves, which must pickle by reference
        graph if options.inline or options.executor not in ("inline", "threads") else threads.wrap(graph),
        graceful=options.graceful,
        sync_in_thread=not options.inline,
        hooks=(keeper,),
        timeout=options.timeout,
        retries=options.retries,
        executor=shared_executor(options.executor, options.address),
    )
    try:  # the driver checks the request now; the run starts with the first iteration
        events = driver.astream(outputs=list(options.outputs) or None, inputs=inputs, overrides=overrides)
    except InvalidRunError as error:
        raise RunRefusedError(str(error)) from None
    shell = session.shell
    view = RunView(graph, show_graph=options.graph, live=in_kernel(shell))
    recorder = RunRecorder()
    capture = Capture()
    try:
        await _stream(
            capture.wrap(events), view, recorder, threads, graph.topological_order(), options.inline, session.labels()
        )
    except RunInterruptedError as error:
        session.cache.store(keys, recorder.values())  # what finished before the interrupt is kept
        session.last_run = error.run = recorder.interrupted_run(options.outputs, error.cancelled)
        raise
    finally:
        driver.close()
    if keeper.run is None:  # pragma: no cover - the driver always calls after_run
        raise RuntimeError("livedag: the driver finished without a run record")
    record_and_show(capture, graph, inputs, options.outputs)  # the timeline, under the table
    return _keep(session, options, keys, keeper.run)


async def _stream(
    events: AsyncIterator[RunEvent],
    view: RunView,
    recorder: RunRecorder,
    threads: NodeThreads,
    order: list[str],
    inline: bool,
    labels: Mapping[str, str],
) -> ResultsTable:
    """Fold the events into rows and show them; an interrupt cancels the run and shows where it stopped."""
    __tracebackhide__ = True
    state = initial_state(order=order)  # rows arrive with RunStarted: only the nodes this run considers
    view.start(state)
    task = asyncio.current_task()
    latest = [state]
    ticker = asyncio.ensure_future(_tick(view, latest))
    with _interrupt_cancels(task, threads, inline) as interrupts:
        try:
            async for event in events:
                if isinstance(event, NodeFailed):  # the user's frames only, at the cell's lines
                    event = dataclasses.replace(event, traceback=user_traceback(event.error, labels))
                recorder.apply(event)
                state = latest[0] = apply(state, event)
                view.update(state, urgent=not isinstance(event, NodeChunk))
            interrupts.ended = True  # from here on an interrupt no longer cancels this task
        except asyncio.CancelledError:
            in_worker = threading.current_thread() is not threading.main_thread()  # `blocking` cancelled it
            if task is None or not (interrupts.count or in_worker):
                view.finish(interrupted(state))
                raise
            task.uncancel()
            await _interrupted(state, view, threads)
        except BaseException:
            view.finish(interrupted(state))
            raise
        finally:
            ticker.cancel()
    if interrupts.count:  # the run ended on the interrupt (an inline node stopped) before the cancellation
        await _interrupted(state, view, threads)
    view.finish(state)
    return state


async def _interrupted(state: ResultsTable, view: RunView, threads: NodeThreads) -> NoReturn:
    """Show where the interrupt stopped the run, once the node threads stopped (or were abandoned)."""
    __tracebackhide__ = True
    threads.interrupt()
    cancelled = [row.name for row in state.rows if row.status == "running"]
    abandoned = await threads.stopped(_GRACE)
    state = interrupted(state, abandoned)
    view.finish(state)
    raise RunInterruptedError(state.counts(), cancelled, abandoned) from None


def _keep(session: NotebookSession, options: RunOptions, keys: Mapping[str, str], run: Run) -> Run:
    """Cache what the run computed, remember it, push outputs; a failure (not graceful) fails the cell."""
    __tracebackhide__ = True
    failed = [name for name, status in run.status.items() if status is RunStatus.FAILED]
    session.cache.store(keys, run.values, failed)
    session.last_run = run
    if options.push:
        session.shell.user_ns.update(run.outputs)
    if failed and not options.graceful:
        error = run.records[failed[0]].error or RuntimeError("failed")
        text = user_traceback(error, session.labels())
        failure = RunFailedError(run, failed[0], error, _label(session, failed[0]), text)
        if _PRIVATE_LOOP.get() and _loop_bound(error):
            failure.args = (f"{failure} {_PRIVATE_LOOP_HINT}",)
        raise failure from error
    return run


async def _tick(view: RunView, latest: list[ResultsTable]) -> None:
    """Redraw twice a second while a node runs, so its elapsed time counts up."""
    while True:
        await asyncio.sleep(_TICK)
        if any(row.status == "running" for row in latest[0].rows):
            view.update(latest[0])


_SCHEDULER_FILE = inspect.getsourcefile(_scheduler) or ""
_EXECUTION_DIR = os.path.dirname(_SCHEDULER_FILE)


def _inline_node(frame: FrameType | None) -> str | None:
    """The function name of the node the main thread is running inline (called by the scheduler), if any."""
    if frame is None or frame.f_code.co_filename.startswith(_EXECUTION_DIR):
        return None
    below = frame
    while frame is not None:
        if frame.f_code.co_filename == _SCHEDULER_FILE:
            return below.f_code.co_name
        below, frame = frame, frame.f_back
    return None


class _Interrupts:
    __slots__ = ("count", "ended")

    def __init__(self) -> None:
        self.count = 0
        self.ended = False


@contextlib.contextmanager
def _interrupt_cancels(task: asyncio.Task[Any] | None, threads: NodeThreads, inline: bool) -> Iterator[_Interrupts]:
    """While the run streams on the main thread, SIGINT stops the run (any number of times, never the kernel).

    The first interrupt cancels the run's task; every interrupt stops the node threads still running.
    The handler never raises ``KeyboardInterrupt``: one reaching the kernel's loop through a task stops
    the loop, and with it the kernel. With ``--inline`` a sync node blocking the loop is stopped by a
    ``NodeCancelledError`` raised in its code (a node failure, which stops the run).
    """
    received = _Interrupts()
    if task is None or threading.current_thread() is not threading.main_thread():
        yield received
        return
    loop = task.get_loop()

    def cancel() -> None:
        if not received.ended:
            task.cancel()

    def handler(signum: int, frame: FrameType | None) -> None:
        received.count += 1
        if received.count == 1:
            loop.call_soon_threadsafe(cancel)
        threads.interrupt()
        node = _inline_node(frame) if inline and received.count == 1 else None
        if node is not None:
            raise NodeCancelledError(node)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)


def _loop_bound(error: BaseException) -> bool:
    """The error an asyncio object raises when used from another loop than its own."""
    text = str(error)
    return "different loop" in text or "different event loop" in text or "another loop" in text


def _label(session: NotebookSession, node: str) -> str:
    cell = session.registry.cell_of(node)
    spec = session.graph().nodes.get(node)
    if cell is None:
        return where(spec)
    line = spec.span.line if spec is not None and spec.span is not None else None
    return f"{cell.label}, line {line}" if line else cell.label


def blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, inside or outside a running loop.

    Inside a running loop (ipykernel with autoawait off) it runs on a private loop in a worker
    thread, in a copy of the current context so output still goes to this cell; an interrupt
    cancels it there and waits for it to unwind.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    loop = asyncio.new_event_loop()
    task_box: dict[str, asyncio.Task[T]] = {}
    result: dict[str, Any] = {}

    async def main() -> T:
        task_box["task"] = asyncio.current_task()  # type: ignore[assignment]
        return await coroutine

    finished = threading.Event()

    def work() -> None:
        try:
            result["value"] = loop.run_until_complete(main())
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread
            result["error"] = error
        finally:
            loop.close()
            finished.set()

    context = contextvars.copy_context()
    context.run(_PRIVATE_LOOP.set, True)
    thread = threading.Thread(target=context.run, args=(work,), name="livedag-run", daemon=True)
    thread.start()
    interrupts = 0
    while not finished.is_set():
        try:
            # Not thread.join(): an interrupted join marks the thread stopped while it still runs (CPython 3.11).
            finished.wait()  # interruptible: SIGINT raises KeyboardInterrupt here
        except KeyboardInterrupt:
            interrupts += 1
            if interrupts == 1 and "task" in task_box:
                loop.call_soon_threadsafe(task_box["task"].cancel)
    if "error" in result:
        raise result["error"]
    return result["value"]  # type: ignore[no-any-return]
