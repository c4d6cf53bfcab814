"""OpenTelemetry spans for livedag runs: ``OpenTelemetryHook``, passed like any driver hook.

``Driver(graph, hooks=[OpenTelemetryHook()])`` gives one span per run (``livedag.run``) and one per node
(``livedag.node <name>``), needing ``pip install 'livedag[otel]'``:

- the run's span is a child of the span current where the run was started (``execute``, ``aexecute``,
  ``astream``...), read when the run begins, so thousands of runs in flight on one loop each keep their
  caller's trace;
- a node's span starts when its body starts (after its inputs are ready), not when it is scheduled, and is
  the current span while the body runs, so spans the body opens are its children;
- a node's span is a child of its run's span, with a link to the span of each upstream node it read;
- attributes: ``livedag.node``, ``livedag.kind``, ``livedag.status``, ``livedag.attempt`` (attempts made),
  ``livedag.error`` (and the exception recorded as an event, the span's status set to error); retries
  are ``retry`` events on the node's span. Run spans carry ``livedag.run_id``, ``livedag.nodes``,
  ``livedag.ok`` and ``livedag.failed``.

Nodes that never ran (skipped, given as overrides) get no span. A run cancelled from outside ends no
spans (its ``after_run`` is not called); nodes cancelled inside a run that goes on are ended ``cancelled``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

try:
    from opentelemetry import context as otel_context
    from opentelemetry import trace
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("livedag.telemetry needs OpenTelemetry: pip install 'livedag[otel]'") from error

if TYPE_CHECKING:
    from livedag.execution.events import NodeRecord
    from livedag.execution.result import Run
    from livedag.graph import Graph

__all__ = ["OpenTelemetryHook"]

_OK = trace.Status(trace.StatusCode.OK)


def _task() -> object:
    """The running task (``None`` outside a loop): which context a token was attached in."""
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class _RunSpans:
    """The spans of one run in flight: the run's, each node's, and context tokens of running nodes."""

    __slots__ = ("context", "nodes", "span", "tokens")

    def __init__(self, span: trace.Span) -> None:
        self.span = span
        self.context = trace.set_span_in_context(span)
        self.nodes: dict[str, trace.Span] = {}
        self.tokens: dict[str, tuple[object, object]] = {}
        """Node -> (context token, the task that attached it): a node cancelled mid-body never detaches."""


class OpenTelemetryHook:
    """Driver hook that reports runs and nodes as OpenTelemetry spans (see the module docstring).

    ``tracer_provider``: where the spans go (default: the global provider, ``trace.set_tracer_provider``).
    """

    def __init__(self, tracer_provider: trace.TracerProvider | None = None) -> None:
        self._tracer = trace.get_tracer("livedag", tracer_provider=tracer_provider)
        self._runs: dict[str, _RunSpans] = {}
        self._kinds: Mapping[str, str] = {}
        self._upstream: Mapping[str, tuple[str, ...]] = {}

    def bind_graph(self, *, graph: Graph, **_: Any) -> None:
        self._kinds = {name: spec.kind.value for name, spec in graph.nodes.items()}
        self._upstream = {
            name: tuple(dep for dep in graph.dependencies(name) if dep in graph.nodes) for name in graph.nodes
        }

    def before_run(self, *, run_id: str, nodes: tuple[str, ...], **_: Any) -> None:
        span = self._tracer.start_span(
            "livedag.run",
            context=otel_context.get_current(),
            attributes={"livedag.run_id": run_id, "livedag.nodes": len(nodes)},
        )
        self._runs[run_id] = _RunSpans(span)

    def before_node(self, *, run_id: str, node: str, kwargs: Mapping[str, Any], attempt: int, **_: Any) -> None:
        spans = self._runs.get(run_id)
        if spans is None:
            return
        if attempt > 1 and node in spans.nodes:
            spans.nodes[node].add_event("retry", {"livedag.attempt": attempt})
            return
        upstream = self._upstream.get(node)
        names = upstream if upstream is not None else tuple(kwargs)
        started = spans.nodes
        links = [trace.Link(started[name].get_span_context()) for name in names if name in started] or None
        span = self._tracer.start_span(
            f"livedag.node {node}",
            context=spans.context,
            links=links,
            attributes={"livedag.node": node, "livedag.kind": self._kinds.get(node, "unknown")},
        )
        spans.nodes[node] = span
        spans.tokens[node] = (otel_context.attach(trace.set_span_in_context(span, spans.context)), _task())

    def after_node(self, *, run_id: str, node: str, record: NodeRecord, **_: Any) -> None:
        spans = self._runs.get(run_id)
        if spans is None or node not in spans.nodes:
            return
        token = spans.tokens.pop(node, None)
        if token is not None:
            otel_context.detach(token[0])  # type: ignore[arg-type]
        span = spans.nodes[node]
        if record.error is None:
            span.set_attributes({"livedag.status": record.status.value, "livedag.attempt": record.attempts})
            span.set_status(_OK)
        else:
            span.set_attributes(
                {
                    "livedag.status": record.status.value,
                    "livedag.attempt": record.attempts,
                    "livedag.error": f"{type(record.error).__name__}: {record.error}",
                }
            )
            span.record_exception(record.error)
            span.set_status(trace.Status(trace.StatusCode.ERROR, str(record.error)))
        span.end()

    def after_run(self, *, run_id: str, run: Run, **_: Any) -> None:
        spans = self._runs.pop(run_id, None)
        if spans is None:
            return
        current = _task()
        for token, task in reversed(list(spans.tokens.values())):  # nodes cancelled mid-body
            if task is current:  # attached in the caller's own task: give the caller its context back
                otel_context.detach(token)  # type: ignore[arg-type]
        spans.tokens.clear()
        for span in spans.nodes.values():
            if span.is_recording():  # started, never ended: cancelled when the run stopped
                span.set_attribute("livedag.status", "cancelled")
                span.set_status(trace.Status(trace.StatusCode.ERROR, "cancelled"))
                span.end()
        failed = run.failed
        spans.span.set_attribute("livedag.ok", run.ok)
        spans.span.set_attribute("livedag.failed", list(failed))
        if failed:
            spans.span.set_status(trace.Status(trace.StatusCode.ERROR, f"failed: {', '.join(failed)}"))
        else:
            spans.span.set_status(_OK)
        spans.span.end()
