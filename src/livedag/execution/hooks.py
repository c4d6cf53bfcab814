"""Lifecycle hooks: objects with any of ``before_run``, ``before_node``, ``after_node``, ``after_run``.

A hook may also have ``bind_graph(*, graph)``: the driver calls it once, when it is built, with its
graph (so a hook can know each node's kind and dependencies, as the OpenTelemetry hook does).

Each method may be a plain function or ``async def``; which is detected once, when the driver is
built. Hooks are called with keyword arguments (accept ``**kwargs`` to stay compatible with
arguments added later). A hook that raises never corrupts the run: the error is kept as a
``HookError`` naming the hook (``Class.method``), reported as a ``HookFailed`` event, logged, and
the run goes on.
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from livedag.execution.events import NodeRecord

if TYPE_CHECKING:
    from livedag.execution.result import Run
    from livedag.graph import Graph

__all__ = ["HOOK_METHODS", "AfterNode", "AfterRun", "BeforeNode", "BeforeRun", "BindGraph", "HookError", "Hooks"]

HOOK_METHODS = ("before_run", "before_node", "after_node", "after_run")
logger = logging.getLogger("livedag.execution")


class BeforeRun(Protocol):
    def before_run(self, *, run_id: str, nodes: tuple[str, ...], inputs: Mapping[str, Any]) -> Any: ...


class BeforeNode(Protocol):
    def before_node(self, *, run_id: str, node: str, kwargs: Mapping[str, Any], attempt: int) -> Any: ...


class AfterNode(Protocol):
    def after_node(self, *, run_id: str, node: str, record: NodeRecord) -> Any: ...


class AfterRun(Protocol):
    def after_run(self, *, run_id: str, run: Run) -> Any: ...


class BindGraph(Protocol):
    def bind_graph(self, *, graph: Graph) -> Any: ...


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
class _Method:
    label: str
    function: Callable[..., Any]
    is_async: bool


def _bound(hook: object, method: str) -> _Method | None:
    function = getattr(hook, method, None)
    if function is None or not callable(function):
        return None
    owner = hook.__name__ if isinstance(hook, type) else type(hook).__name__
    return _Method(f"{owner}.{method}", function, inspect.iscoroutinefunction(function))


class Hooks:
    """The hooks of one driver, grouped by method; ``report`` receives every ``HookError``."""

    def __init__(self, hooks: Iterable[object]) -> None:
        self.hooks = tuple(hooks)
        self.methods: dict[str, tuple[_Method, ...]] = {
            method: tuple(m for hook in self.hooks if (m := _bound(hook, method)) is not None)
            for method in HOOK_METHODS
        }
        self.any = any(self.methods.values())
        self.node_hooks = bool(self.methods["before_node"] or self.methods["after_node"])
        self.is_async = any(m.is_async for group in self.methods.values() for m in group)

    def bind(self, graph: Graph) -> None:
        """Give the driver's graph to every hook that has ``bind_graph`` (once, when the driver is built)."""
        for hook in self.hooks:
            bind = getattr(hook, "bind_graph", None)
            if callable(bind):
                bind(graph=graph)

    def call_sync(self, method: str, node: str | None, report: Callable[[HookError], None], /, **kwargs: Any) -> None:
        """Call the plain hooks of ``method`` (async ones are skipped: only valid when none are async)."""
        for hook in self.methods[method]:
            try:
                hook.function(**kwargs)
            except Exception as error:  # noqa: BLE001 - a hook must not break the run; it is reported
                report(_hook_error(hook, node, error))

    async def call(self, method: str, node: str | None, report: Callable[[HookError], None], /, **kwargs: Any) -> None:
        for hook in self.methods[method]:
            try:
                result = hook.function(**kwargs)
                if hook.is_async:
                    await _awaited(result)
            except Exception as error:  # noqa: BLE001 - a hook must not break the run; it is reported
                report(_hook_error(hook, node, error))


async def _awaited(result: Awaitable[Any]) -> None:
    await result


def _hook_error(hook: _Method, node: str | None, error: BaseException) -> HookError:
    text = "".join(traceback.format_exception(error))
    found = HookError(hook.label, node, error, text)
    logger.warning("livedag: %s", found.describe())
    return found
