"""Lifecycle hooks: typed protocols, resolved once per driver into plain lists of bound methods.

A hook is any object implementing some of the protocols below (``BeforeRun``, ``BeforeNode``,
``AfterNode``, ``AfterRun``, ``RecordRun``, ``BindGraph``, ``BindExecutor``); it need not inherit from them. When the
driver is built, ``Hooks`` checks each hook against each protocol once and keeps, per lifecycle point,
a tuple of the bound methods that implement it: the scheduler then calls exactly those, and a point no
hook implements costs nothing per run or per node (a run with only an ``after_run`` hook never builds a
record per node while it runs; one with only ``record_run`` hooks never builds a ``Run`` at all).

Each method may be a plain function or ``async def``; which is detected once, here. Plain node hooks are
called right around the body (``async`` nodes keep their direct path), while an ``async`` node hook puts
every node in a task, so use ``async`` only when the hook truly awaits. ``record_run`` is plain only, and
called on the run's own path: a recorder keeps a reference to the ``FinishedRun`` and does its work
elsewhere (``livedag.history`` writes from a thread).

Hooks are called with keyword arguments (accept ``**kwargs`` to stay compatible with arguments added
later); ``record_run`` and ``bind_graph`` get one argument. A hook that raises never corrupts the run:
the error is kept as a ``HookError`` naming the hook (``Class.method``), reported as a ``HookFailed``
event, logged, and the run goes on.
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from livedag.execution.events import NodeRecord

if TYPE_CHECKING:
    from livedag.execution.finished import FinishedRun
    from livedag.execution.result import Run
    from livedag.graph import Graph

__all__ = [
    "AfterNode",
    "AfterRun",
    "BeforeNode",
    "BeforeRun",
    "BindExecutor",
    "BindGraph",
    "HookError",
    "HookMethod",
    "Hooks",
    "RecordRun",
]

logger = logging.getLogger("livedag.execution")


@runtime_checkable
class BeforeRun(Protocol):
    def before_run(self, *, run_id: str, nodes: tuple[str, ...], inputs: Mapping[str, Any]) -> Any: ...


@runtime_checkable
class BeforeNode(Protocol):
    """Called when the node's body is about to start (each attempt), in the task that runs it."""

    def before_node(self, *, run_id: str, node: str, kwargs: Mapping[str, Any], attempt: int) -> Any: ...


@runtime_checkable
class AfterNode(Protocol):
    def after_node(self, *, run_id: str, node: str, record: NodeRecord) -> Any: ...


@runtime_checkable
class AfterRun(Protocol):
    def after_run(self, *, run_id: str, run: Run) -> Any: ...


@runtime_checkable
class RecordRun(Protocol):
    """A recorder: gets the finished run as it stands in the scheduler (no ``Run`` is built for it).

    Called once per run, plain (never awaited), before ``after_run`` hooks; keep the ``FinishedRun``
    and read it elsewhere, as it holds the run's values until it is dropped.
    """

    def record_run(self, run: FinishedRun, /) -> None: ...


@runtime_checkable
class BindGraph(Protocol):
    """Called once, when the driver is built, with its graph (node kinds, dependencies...)."""

    def bind_graph(self, *, graph: Graph) -> Any: ...


@runtime_checkable
class BindExecutor(Protocol):
    """Called once, when the driver is built: ``remote`` when node bodies run elsewhere (Ray, Dask...), so
    ``before_node`` is called when a body is sent, and ``after_node``'s record holds when it really ran."""

    def bind_executor(self, *, remote: bool) -> Any: ...


@dataclass(frozen=True, slots=True)
class HookError:
    """A hook method that raised: ``hook`` is ``Class.method``, ``node`` the node it was called for."""

    hook: str
    node: str | None
    error: BaseException
    traceback: str

    def describe(self) -> str:
        about = f" (node `{self.node}`)" if self.node else ""
        return f"hook {self.hook}{about} raised {type(self.error).__name__}: {self.error}"


@dataclass(frozen=True, slots=True)
class HookMethod:
    """One hook's bound method for one lifecycle point, and whether it must be awaited."""

    function: Callable[..., Any]
    is_async: bool

    @property
    def label(self) -> str:
        owner = getattr(self.function, "__self__", None)
        name = getattr(self.function, "__name__", "hook")
        if owner is None:
            return name
        return f"{owner.__name__ if isinstance(owner, type) else type(owner).__name__}.{name}"


Methods = tuple[HookMethod, ...]


def _methods(hooks: Iterable[object], protocol: type, get: Callable[[Any], Any]) -> Methods:
    found = []
    for hook in hooks:
        if isinstance(hook, protocol):
            function = get(hook)
            if callable(function):
                found.append(HookMethod(function, inspect.iscoroutinefunction(function)))
    return tuple(found)


class Hooks:
    """The hooks of one driver: per lifecycle point, the methods to call (see the module docstring)."""

    __slots__ = (
        "after_node",
        "after_run",
        "any",
        "awaited_node_hooks",
        "before_node",
        "before_run",
        "hooks",
        "is_async",
        "node_hooks",
        "record_run",
    )

    def __init__(self, hooks: Iterable[object]) -> None:
        self.hooks = tuple(hooks)
        self.before_run = _methods(self.hooks, BeforeRun, lambda hook: hook.before_run)
        self.before_node = _methods(self.hooks, BeforeNode, lambda hook: hook.before_node)
        self.after_node = _methods(self.hooks, AfterNode, lambda hook: hook.after_node)
        self.after_run = _methods(self.hooks, AfterRun, lambda hook: hook.after_run)
        self.record_run = tuple(
            method.function
            for method in _methods(self.hooks, RecordRun, lambda hook: hook.record_run)
            if not _refused_async(method)
        )
        every = (*self.before_run, *self.before_node, *self.after_node, *self.after_run)
        self.any = bool(every or self.record_run)
        self.node_hooks = bool(self.before_node or self.after_node)
        self.awaited_node_hooks = any(method.is_async for method in (*self.before_node, *self.after_node))
        """Some node hook is ``async``: every node runs in a task, its hooks awaited around it."""
        self.is_async = any(method.is_async for method in every)

    def bind(self, graph: Graph, *, remote: bool = False) -> None:
        """Tell the hooks about the driver (once, when it is built): its graph, and whether bodies run elsewhere."""
        for hook in self.hooks:
            if isinstance(hook, BindGraph):
                hook.bind_graph(graph=graph)
            if isinstance(hook, BindExecutor):
                hook.bind_executor(remote=remote)

    @staticmethod
    def call_sync(methods: Methods, node: str | None, report: Callable[[HookError], None], /, **kwargs: Any) -> None:
        """Call plain hook methods (async ones are skipped: only valid when none are async)."""
        for method in methods:
            try:
                method.function(**kwargs)
            except Exception as error:  # noqa: BLE001 - a hook must not break the run; it is reported
                report(_hook_error(method.label, node, error))

    @staticmethod
    async def call(methods: Methods, node: str | None, report: Callable[[HookError], None], /, **kwargs: Any) -> None:
        for method in methods:
            try:
                result = method.function(**kwargs)
                if method.is_async:
                    await result
            except Exception as error:  # noqa: BLE001 - a hook must not break the run; it is reported
                report(_hook_error(method.label, node, error))

    def call_recorders(self, run: FinishedRun, report: Callable[[HookError], None]) -> None:
        for function in self.record_run:
            try:
                function(run)
            except Exception as error:  # noqa: BLE001 - a hook must not break the run; it is reported
                report(_hook_error(HookMethod(function, is_async=False).label, None, error))


def _refused_async(method: HookMethod) -> bool:
    if method.is_async:
        logger.warning("livedag: %s is async; record_run hooks must be plain functions: not called", method.label)
    return method.is_async


def _hook_error(label: str, node: str | None, error: BaseException) -> HookError:
    text = "".join(traceback.format_exception(error))
    found = HookError(label, node, error, text)
    logger.warning("livedag: %s", found.describe())
    return found
