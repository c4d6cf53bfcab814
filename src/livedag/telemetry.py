"""OpenTelemetry spans for livedag runs: ``OpenTelemetryHook``, passed like any driver hook.

``Driver(graph, hooks=[OpenTelemetryHook()])`` gives one span per run (``livedag.run``) and one per node
(``livedag.node <name>``), needing ``pip install 'livedag[otel]'``:

- the run's span is a child of the span current where the run was started (``execute``, ``aexecute``,
  ``astream``...), read when the run begins, so thousands of runs in flight on one loop each keep their
  caller's trace;
- a node's span starts when its body starts (after its inputs are ready), not when it is scheduled, and is
  the current span while the body runs, so spans the body opens are its children;
- a node's span is a child of its run's span, with a link to the span of each upstream node it read;
- on a remote executor (Ray, Dask: ``executor.remote``) a body runs on the cluster, so its span is made
  when the node ends, with the times the body ran there (not when it was sent); spans the body opens
  there are not its children (the trace context does not travel with the body);
- attributes: ``livedag.node``, ``livedag.kind``, ``livedag.status``, ``livedag.attempt`` (attempts made),
  ``livedag.error`` (and the exception recorded as an event, the span's status set to error); retries
  are ``retry`` events on the node's span. Run spans carry ``livedag.run_id``, ``livedag.nodes``,
  ``livedag.ok`` and ``livedag.failed``. A span that did not fail keeps the status ``UNSET``, as the
  OpenTelemetry specification asks of instrumentation libraries.

Nodes that never ran (skipped, given as overrides) get no span. A run cancelled from outside ends no
spans (its ``record_run`` is not called); nodes cancelled inside a run that goes on are ended ``cancelled``.

The hook's methods are plain functions, so the driver calls them right around each body (async nodes
keep their direct path); the run's span is ended from ``record_run``, so no ``Run`` is built for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

try:
    from opentelemetry import context as otel_context
    from opentelemetry import trace
    from opentelemetry.util.types import AttributeValue
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("livedag.telemetry needs OpenTelemetry: pip install 'livedag[otel]'") from error

if TYPE_CHECKING:
    from livedag.execution.events import NodeRecord
    from livedag.execution.finished import FinishedRun
    from livedag.graph import Graph

__all__ = ["OpenTelemetryHook"]

_DONE_ONCE: dict[str, AttributeValue] = {"livedag.status": "done", "livedag.attempt": 1}
_RUN_OK: dict[str, AttributeValue] = {"livedag.ok": True, "livedag.failed": ()}


def _ns(seconds: float) -> int:
    """``time.time()`` seconds as the nanoseconds OpenTelemetry times are."""
    return int(seconds * 1e9)


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
        self._upstream: Mapping[str, tuple[str, ...]] = {}
        self._names: dict[str, str] = {}
        self._attributes: dict[str, dict[str, str]] = {}
        """Per node, its span's name and first attributes: made once (the SDK copies them)."""
        self._remote = False
        """Bodies run elsewhere (Ray, Dask...): node spans are made when a node ends, with its body's times."""

    def bind_executor(self, *, remote: bool, **_: Any) -> None:
        self._remote = remote

    def bind_graph(self, *, graph: Graph, **_: Any) -> None:
        self._upstream = {
            name: tuple(dep for dep in graph.dependencies(name) if dep in graph.nodes) for name in graph.nodes
        }
        for name, spec in graph.nodes.items():
            self._names[name] = f"livedag.node {name}"
            self._attributes[name] = {"livedag.node": name, "livedag.kind": spec.kind.value}

    def before_run(self, *, run_id: str, nodes: tuple[str, ...], **_: Any) -> None:
        span = self._tracer.start_span(
            "livedag.run",
            context=otel_context.get_current(),
            attributes={"livedag.run_id": run_id, "livedag.nodes": len(nodes)},
        )
        self._runs[run_id] = _RunSpans(span)

    def before_node(self, *, run_id: str, node: str, kwargs: Mapping[str, Any], attempt: int, **_: Any) -> None:
        spans = self._runs.get(run_id)
        if spans is None or self._remote:  # a remote body's span is made when it ends, with its own times
            return
        started = spans.nodes
        if attempt > 1 and node in started:
            started[node].add_event("retry", {"livedag.attempt": attempt})
            return
        span = self._start(spans, node, kwargs, None)
        started[node] = span
        spans.tokens[node] = (otel_context.attach(trace.set_span_in_context(span, spans.context)), _task())

    def _start(self, spans: _RunSpans, node: str, read: Iterable[str], start_time: int | None) -> trace.Span:
        upstream = self._upstream.get(node)
        started = spans.nodes
        links = [
            trace.Link(started[name].get_span_context())
            for name in (upstream if upstream is not None else read)
            if name in started
        ]
        attributes = self._attributes.get(node)
        return self._tracer.start_span(
            self._names.get(node) or f"livedag.node {node}",
            context=spans.context,
            links=links or None,
            attributes=attributes if attributes is not None else {"livedag.node": node, "livedag.kind": "unknown"},
            start_time=start_time,
        )

    def after_node(self, *, run_id: str, node: str, record: NodeRecord, **_: Any) -> None:
        spans = self._runs.get(run_id)
        if spans is None:
            return
        span = spans.nodes.get(node)
        end_time = None
        if self._remote and span is None and record.started is not None and record.ended is not None:
            span = spans.nodes[node] = self._start(spans, node, (), _ns(record.started))
            end_time = _ns(record.ended)
        if span is None:
            return
        token = spans.tokens.pop(node, None)
        if token is not None:
            otel_context.detach(token[0])  # type: ignore[arg-type]
        error = record.error
        if error is None:
            attempts = record.attempts
            span.set_attributes(
                _DONE_ONCE if attempts == 1 else {"livedag.status": "done", "livedag.attempt": attempts}
            )
        else:
            span.set_attributes(
                {
                    "livedag.status": record.status.value,
                    "livedag.attempt": record.attempts,
                    "livedag.error": f"{type(error).__name__}: {error}",
                }
            )
            span.record_exception(error)
            span.set_status(trace.Status(trace.StatusCode.ERROR, str(error)))
        span.end(end_time)

    def record_run(self, run: FinishedRun, /) -> None:
        """End the run's span (and any node span a cancellation left open), when the run is over."""
        spans = self._runs.pop(run.run_id, None)
        if spans is None:
            return
        current = _task()
        for token, task in reversed(list(spans.tokens.values())):  # nodes cancelled mid-body
            if task is current:  # attached in the caller's own task: give the caller its context back
                otel_context.detach(token)  # type: ignore[arg-type]
        if spans.tokens:
            spans.tokens.clear()
            for span in spans.nodes.values():
                if span.is_recording():  # started, never ended: cancelled when the run stopped
                    span.set_attribute("livedag.status", "cancelled")
                    span.set_status(trace.Status(trace.StatusCode.ERROR, "cancelled"))
                    span.end()
        run_span = spans.span
        if run.ok:
            run_span.set_attributes(_RUN_OK)
        else:
            columns = run.columns()
            failed = [name for name, status in zip(columns.names, columns.status, strict=True) if status == "failed"]
            run_span.set_attributes({"livedag.ok": False, "livedag.failed": failed})
            if failed:
                run_span.set_status(trace.Status(trace.StatusCode.ERROR, f"failed: {', '.join(failed)}"))
        run_span.end()
