"""A run from the notebook: check, pick inputs and cached values, stream events into the view.

``run_graph`` is the one coroutine both entry points await: the ``%%dag --run`` cell rewritten
to a top-level ``await`` (on the kernel's own loop) and the blocking fallback (``blocking``),
which drives it on a private loop in a worker thread when the cell cannot be awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import signal
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from livedag.execution import Driver
from livedag.execution.errors import InvalidRunError, where
from livedag.execution.events import NodeChunk, RunEvent, RunStatus
from livedag.executors import shared as shared_executor
from livedag.graph import UnknownNodeError
from livedag.kernel.errors import (
    GraphProblemsError,
    MissingInputsError,
    RunFailedError,
    RunInterruptedError,
    RunRefusedError,
)
from livedag.kernel.options import RunOptions
from livedag.kernel.report import problems_report
from livedag.kernel.rows import RunState, apply, initial_state, interrupted
from livedag.kernel.view import RunView, in_kernel, widgets_available

if TYPE_CHECKING:
    from livedag.execution.result import Run
    from livedag.graph import Graph
    from livedag.kernel.session import NotebookSession

__all__ = ["blocking", "run_graph"]

T = TypeVar("T")
_TICK = 0.5
"""Seconds between redraws of running nodes' elapsed time."""


class _KeepRun:
    """Driver hook that hands over the finished ``Run`` (``astream`` yields only events)."""

    def __init__(self) -> None:
        self.run: Run | None = None

    def after_run(self, *, run: Run, **_: Any) -> None:
        self.run = run


def _inputs(graph: Graph, namespace: Mapping[str, Any], options: RunOptions) -> dict[str, Any]:
    if options.inputs_var is not None:
        given = namespace.get(options.inputs_var)
        if not isinstance(given, Mapping):
            raise RunRefusedError(
                f"--inputs {options.inputs_var}: expected a dict of input values, got {type(given).__name__}"
            )
        source: Mapping[str, Any] = given
    else:
        source = namespace
    values = {name: source[name] for name in graph.inputs if name in source}
    missing = {name: item.consumers for name, item in graph.inputs.items() if item.required and name not in values}
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
        markup, text = problems_report(sub.errors, session.labels())
        from IPython.display import display

        display({"text/html": markup, "text/plain": text}, raw=True)
        raise GraphProblemsError(node for problem in sub.errors for node in problem.nodes)
    return sub


async def run_graph(session: NotebookSession, options: RunOptions) -> Run:
    """Run (part of) the notebook graph with a live view under the current cell."""
    graph = _checked_graph(session, options)
    inputs = _inputs(graph, session.shell.user_ns, options)
    keys = session.cache.keys(graph, inputs)
    overrides = {} if options.force else session.cache.overrides(keys, set(graph.nodes))
    keeper = _KeepRun()
    driver = Driver(
        graph,
        graceful=options.graceful,
        sync_in_thread=options.threads,
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
    view = RunView(
        graph, widget=options.widget and widgets_available(shell), show_graph=options.graph, live=in_kernel(shell)
    )
    await _stream(events, view)
    if keeper.run is None:  # pragma: no cover - the driver always calls after_run
        raise RuntimeError("livedag: the driver finished without a run record")
    return _keep(session, options, keys, keeper.run)


async def _stream(events: AsyncIterator[RunEvent], view: RunView) -> RunState:
    """Fold the events into rows and show them; an interrupt cancels the run and shows where it stopped."""
    state = initial_state()  # rows arrive with RunStarted: only the nodes this run considers
    view.start(state)
    task = asyncio.current_task()
    latest = [state]
    ticker = asyncio.ensure_future(_tick(view, latest))
    with _interrupt_cancels(task) as interrupts:
        try:
            async for event in events:
                state = latest[0] = apply(state, event)
                view.update(state, urgent=not isinstance(event, NodeChunk))
        except asyncio.CancelledError:
            state = interrupted(state)
            view.finish(state)
            in_worker = threading.current_thread() is not threading.main_thread()  # `blocking` cancelled it
            if task is None or not (interrupts or in_worker):
                raise
            task.uncancel()
            raise RunInterruptedError(state.counts()) from None
        except BaseException:  # KeyboardInterrupt in a blocking sync node: show where it stopped
            view.finish(interrupted(state))
            raise
        finally:
            ticker.cancel()
    view.finish(state)
    return state


def _keep(session: NotebookSession, options: RunOptions, keys: Mapping[str, str], run: Run) -> Run:
    """Cache what the run computed, remember it, push outputs; a failure (not graceful) fails the cell."""
    failed = [name for name, status in run.status.items() if status is RunStatus.FAILED]
    session.cache.store(keys, run.values, failed)
    session.last_run = run
    if options.push:
        session.shell.user_ns.update(run.outputs)
    if failed and not options.graceful:
        error = run.records[failed[0]].error or RuntimeError("failed")
        raise RunFailedError(run, failed[0], error, _label(session, failed[0])) from error
    return run


async def _tick(view: RunView, latest: list[RunState]) -> None:
    """Redraw twice a second while a node runs, so its elapsed time counts up."""
    while True:
        await asyncio.sleep(_TICK)
        if any(row.status == "running" for row in latest[0].rows):
            view.update(latest[0])


@contextlib.contextmanager
def _interrupt_cancels(task: asyncio.Task[Any] | None) -> Iterator[list[int]]:
    """While the run streams on the main thread: the first SIGINT cancels the run's task.

    ipykernel's own SIGINT handling for awaited cells does not reach the running loop here, so the
    run installs its own. A second SIGINT raises ``KeyboardInterrupt`` (to break out of a sync node
    that blocks the loop). The list yielded records the interrupts received.
    """
    received: list[int] = []
    if task is None or threading.current_thread() is not threading.main_thread():
        yield received
        return
    loop = task.get_loop()

    def handler(signum: int, frame: object) -> None:
        received.append(signum)
        if len(received) > 1:
            raise KeyboardInterrupt
        loop.call_soon_threadsafe(task.cancel)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)


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
    thread = threading.Thread(target=context.run, args=(work,), name="livedag-run", daemon=True)
    thread.start()
    try:
        # Not thread.join(): an interrupted join marks the thread stopped while it still runs (CPython 3.11).
        finished.wait()  # interruptible: SIGINT raises KeyboardInterrupt here
    except KeyboardInterrupt:
        if "task" in task_box:
            loop.call_soon_threadsafe(task_box["task"].cancel)
        finished.wait()
        if isinstance(result.get("error"), Exception):
            raise result["error"] from None  # e.g. RunInterruptedError, with the table already updated
        raise
    if "error" in result:
        raise result["error"]
    return result["value"]  # type: ignore[no-any-return]
