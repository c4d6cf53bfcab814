"""``Driver``: the public entry points over one scheduler.

``execute``/``aexecute`` return the requested outputs, ``run``/``arun`` the whole ``Run`` record,
``astream`` the events as they happen. All of them prepare a ``RunInFlight`` the same way (a cached
plan, input checks, the flat value list) and drive it with ``lifecycle.run_sync`` (no event loop
needed: every node runs inline) or ``lifecycle.run_async``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Mapping
from types import MappingProxyType, ModuleType
from typing import Any

from livedag.execution.aio import drain
from livedag.execution.checks import input_checks
from livedag.execution.errors import InvalidRunError, RunningLoopError
from livedag.execution.events import RunEvent, RunFinished
from livedag.execution.executor import InlineExecutor, NodeExecutor
from livedag.execution.hooks import Hooks
from livedag.execution.lifecycle import build_run, outputs_or_raise, run_async, run_sync
from livedag.execution.plan import NodeOptions, Plan, build_plan, check_option_mapping, resolve_options
from livedag.execution.result import Run
from livedag.execution.scheduler import RunInFlight, Sink
from livedag.graph import Graph, NodeSpec, Problem, UnknownNodeError
from livedag.graph.runtime import functions_in_module, specs_from_functions

__all__ = ["Driver"]

Outputs = Iterable[str] | str | None
_RUN_PREFIX = os.urandom(3).hex()
_RUN_COUNTER = itertools.count(1)
_PLAN_CACHE_SIZE = 256
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class _Done:
    """An awaitable that is already complete (for runs that needed no event loop)."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield


_DONE_ALREADY = _Done()


def _as_graph(source: Any) -> Graph:
    if isinstance(source, Graph):
        return source
    items = [source] if isinstance(source, ModuleType) or callable(source) else list(source)
    functions: list[Callable[..., Any]] = []
    for item in items:
        if isinstance(item, ModuleType):
            functions.extend(functions_in_module(item))
        elif callable(item):
            functions.append(item)
        else:
            raise TypeError(f"Driver(...) takes a Graph, modules or functions, not {type(item).__name__}")
    problems: list[Problem] = []  # Hamilton's modifiers are expanded by Hamilton (config {}: its default)
    return Graph.from_specs(specs_from_functions(functions, None, problems), problems)


def _refuse_running_loop() -> None:
    if asyncio.events._get_running_loop() is not None:  # the non-raising form of get_running_loop()
        raise RunningLoopError


class Driver:
    """Runs a graph's nodes (sync, async, generators) concurrently; see ``docs/execution.md``."""

    def __init__(
        self,
        graph_or_modules_or_functions: Graph | ModuleType | Callable[..., Any] | Iterable[Any],
        *,
        graceful: bool = False,
        sync_in_thread: bool = False,
        hooks: Iterable[object] = (),
        timeout: float | None = None,
        retries: int = 0,
        backoff: float = 0.0,
        node_options: Mapping[str, Mapping[str, Any]] | None = None,
        executor: NodeExecutor | None = None,
        fetch_values: bool = False,
    ) -> None:
        self.graph = _as_graph(graph_or_modules_or_functions)
        self.executor: NodeExecutor = executor if executor is not None else InlineExecutor()
        self.fetch_values = fetch_values
        """On a remote executor: fetch every node's value after the run (for previews), not only the outputs."""
        self.graceful = graceful
        check_option_mapping("<driver>", {"timeout": timeout, "retries": retries, "backoff": backoff})
        self._defaults = NodeOptions(timeout, retries, backoff, sync_in_thread)
        self._node_options = {name: dict(options) for name, options in (node_options or {}).items()}
        unknown = [name for name in self._node_options if name not in self.graph.nodes]
        if unknown:
            raise UnknownNodeError(unknown, list(self.graph.nodes))
        for name, options in self._node_options.items():
            check_option_mapping(name, options)
        grouped = Hooks(hooks)
        grouped.bind(self.graph, remote=self.executor.remote or bool(getattr(self.executor, "elsewhere", False)))
        self._hooks = grouped if grouped.any else None
        self._plans: dict[tuple[str, ...] | None, list[tuple[frozenset[str], frozenset[str], Plan]]] = {}
        self._plan_count = 0

    # -- entry points ------------------------------------------------------------------------------
    def execute(
        self,
        outputs: Outputs = None,
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run and return the requested outputs (every node when ``outputs`` is None)."""
        _refuse_running_loop()
        state = self._prepare(outputs, inputs, overrides, None)
        self._drive_blocking(state)
        return outputs_or_raise(state)

    async def aexecute(
        self,
        outputs: Outputs = None,
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``execute`` on the caller's event loop: independent async nodes run concurrently."""
        state = self._prepare(outputs, inputs, overrides, None)
        await self._drive(state)
        return outputs_or_raise(state)

    def run(
        self,
        outputs: Outputs = None,
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> Run:
        """Run and return the ``Run`` record; a failed node does not raise (see ``Run.error``)."""
        _refuse_running_loop()
        state = self._prepare(outputs, inputs, overrides, None)
        self._drive_blocking(state)
        return build_run(state)

    async def arun(
        self,
        outputs: Outputs = None,
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> Run:
        state = self._prepare(outputs, inputs, overrides, None)
        await self._drive(state)
        return build_run(state)

    def astream(
        self,
        outputs: Outputs = None,
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[RunEvent]:
        """The run's events as they happen, ending with ``RunFinished``; failures are events, not raised.

        The inputs are checked now (``InvalidRunError``); the run starts at the first iteration.
        Leaving the loop early (``aclose``) or cancelling the consumer cancels the run.
        """
        queue: deque[RunEvent] = deque()
        waiter: list[asyncio.Future[None] | None] = [None]

        def sink(event: RunEvent) -> None:
            queue.append(event)
            future = waiter[0]
            if future is not None and not future.done():
                future.set_result(None)

        state = self._prepare(outputs, inputs, overrides, sink)
        return _stream(state, queue, waiter)

    def plan(self, outputs: Outputs = None, inputs: Iterable[str] = (), overrides: Iterable[str] = ()) -> Plan:
        """The (cached) plan for these output, input and override names; ``InvalidRunError`` if impossible."""
        wanted = None if outputs is None else ((outputs,) if isinstance(outputs, str) else tuple(outputs))
        input_names, override_names = frozenset(inputs), frozenset(overrides)
        entries = self._plans.setdefault(wanted, [])
        for known_inputs, known_overrides, plan in entries:
            if known_inputs == input_names and known_overrides == override_names:
                return plan
        plan = build_plan(
            self.graph, wanted, input_names, override_names, self._options, submit=not self.executor.inline
        )
        self._plan_count += 1
        if self._plan_count > _PLAN_CACHE_SIZE:
            self._plans.clear()
            self._plan_count = 1
            entries = self._plans.setdefault(wanted, [])
        entries.append((input_names, override_names, plan))
        return plan

    def _cached_plan(self, outputs: Outputs, given: Mapping[str, Any], replaced: Mapping[str, Any]) -> Plan:
        """``plan`` for a run, looked up without building any key but the outputs tuple."""
        if outputs is None or type(outputs) is tuple:
            wanted: tuple[str, ...] | None = outputs
        else:
            wanted = (outputs,) if isinstance(outputs, str) else tuple(outputs)
        for known_inputs, known_overrides, plan in self._plans.get(wanted, ()):
            if given.keys() == known_inputs and replaced.keys() == known_overrides:
                return plan
        return self.plan(wanted, given, replaced)

    def close(self) -> None:
        """Release the executor (worker threads, processes, a cluster connection the driver opened)."""
        self.executor.close()

    def __enter__(self) -> Driver:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Driver {self.graph!r} graceful={self.graceful} executor={self.executor!r}>"

    # -- internals ---------------------------------------------------------------------------------
    def _options(self, spec: NodeSpec) -> NodeOptions:
        return resolve_options(spec, self._defaults, self._node_options.get(spec.name))

    def _prepare(
        self,
        outputs: Outputs,
        inputs: Mapping[str, Any] | None,
        overrides: Mapping[str, Any] | None,
        sink: Sink | None,
    ) -> RunInFlight:
        given = inputs if inputs is not None else _EMPTY
        replaced = overrides if overrides is not None else _EMPTY
        try:
            plan = self._cached_plan(outputs, given, replaced)
        except InvalidRunError as error:
            raise self._with_type_issues(error, given, replaced) from None
        for check in plan.checks:
            if type(given[check.input]) not in check.accepted:  # a class not seen yet: judge it properly
                issues = [issue for check in plan.checks if (issue := check.issue(given[check.input])) is not None]
                if issues:
                    raise InvalidRunError(type_issues=issues)
                break
        values: list[Any] = [None] * plan.slot_count
        for name, slot in plan.input_slots:
            values[slot] = given[name]
        for name, slot in plan.override_slots:
            values[slot] = replaced[name]
        return RunInFlight(
            plan,
            values,
            run_id=f"{_RUN_PREFIX}-{next(_RUN_COUNTER)}",
            graceful=self.graceful,
            hooks=self._hooks,
            sink=sink,
            executor=self.executor,
            inputs=given,
            fetch_all=self.fetch_values,
        )

    def _with_type_issues(
        self, error: InvalidRunError, given: Mapping[str, Any], replaced: Mapping[str, Any]
    ) -> InvalidRunError:
        """The name-level issues and the type issues of the inputs given, in one error."""
        names = frozenset(name for name in given if name in self.graph.inputs and name not in replaced)
        checks = input_checks(self.graph, list(self.graph.nodes), names, lambda _: 0)
        issues = [issue for check in checks if (issue := check.issue(given[check.input])) is not None]
        return InvalidRunError(
            unknown_outputs=error.unknown_outputs,
            unknown_overrides=error.unknown_overrides,
            missing_inputs=error.missing_inputs,
            type_issues=issues,
            problems=error.problems,
            other=error.other,
            known=[*self.graph.nodes, *self.graph.inputs],
        )

    def _needs_loop(self, state: RunInFlight) -> bool:
        return state.plan.needs_loop or (self._hooks is not None and self._hooks.is_async)

    def _drive_blocking(self, state: RunInFlight) -> None:
        if not self._needs_loop(state):
            run_sync(state)
            return
        with asyncio.Runner() as runner:
            runner.run(run_async(state))

    def _drive(self, state: RunInFlight) -> Awaitable[None]:
        """The awaitable that runs the state (no extra coroutine frame per run)."""
        if self._needs_loop(state):
            return run_async(state)
        run_sync(state)
        return _DONE_ALREADY


async def _stream(
    state: RunInFlight, queue: deque[RunEvent], waiter: list[asyncio.Future[None] | None]
) -> AsyncIterator[RunEvent]:
    loop = asyncio.get_running_loop()
    task = loop.create_task(run_async(state), name=f"livedag:{state.run_id}")

    def wake(_: object) -> None:
        future = waiter[0]
        if future is not None and not future.done():
            future.set_result(None)

    task.add_done_callback(wake)
    finished = False
    try:
        while True:
            while queue:
                event = queue.popleft()
                finished = isinstance(event, RunFinished)
                yield event
                if finished:
                    return
            if task.done():
                task.result()  # the run itself raised (an interrupt): let it through
                if not queue:
                    return
                continue
            future: asyncio.Future[None] = loop.create_future()
            waiter[0] = future
            await future
            waiter[0] = None
    finally:
        if not task.done():
            if not finished:
                task.cancel()
            await drain({task})
