"""``OpenTelemetryHook`` on the remote executors (a local Ray, a Dask ``LocalCluster``): one run span, a child
of the caller's span, and one span per node, a child of the run's, whose times are when the body ran on the
cluster (not when the driver submitted it), with links to the nodes it read."""

from __future__ import annotations

import sys
import time
import types
from typing import Any

import pytest
from executor_params import REMOTE

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from livedag.execution import Driver
from livedag.telemetry import OpenTelemetryHook

SOURCE = """
def first(seed: int) -> int:
    time.sleep(0.3)
    return seed + 1

def second(first: int) -> int:
    time.sleep(0.1)
    return first * 2

def third(first: int, second: int) -> int:
    return first + second
"""


def _module() -> types.ModuleType:
    module = types.ModuleType(f"livedag_otel_case_{time.monotonic_ns()}")
    sys.modules[module.__name__] = module
    module.__dict__["time"] = time
    exec(compile(SOURCE, f"<{module.__name__}>", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_spans_on_a_cluster_have_the_callers_parent_and_the_body_times(executor: Any) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    driver = Driver(_module(), executor=executor, hooks=[OpenTelemetryHook(tracer_provider=provider)])
    with provider.get_tracer("test").start_as_current_span("request") as request:
        run = driver.run(inputs={"seed": 1})
    assert run.ok, run.error
    spans: dict[str, ReadableSpan] = {span.name: span for span in exporter.get_finished_spans()}
    assert set(spans) == {"request", "livedag.run", "livedag.node first", "livedag.node second", "livedag.node third"}
    run_span = spans["livedag.run"]
    assert run_span.parent is not None
    assert run_span.parent.span_id == request.get_span_context().span_id
    for name in ("first", "second", "third"):
        span = spans[f"livedag.node {name}"]
        assert span.parent is not None
        assert span.parent.span_id == run_span.context.span_id
        assert span.attributes is not None
        assert span.attributes["livedag.status"] == "done"
        record = run.records[name]
        assert record.started is not None
        assert record.ended is not None
        assert span.start_time is not None
        assert span.end_time is not None
        # the body's own times on the cluster (a millisecond of float rounding allowed)
        assert abs(span.start_time / 1e9 - record.started) < 1e-3, (name, span.start_time / 1e9, record.started)
        assert abs(span.end_time / 1e9 - record.ended) < 1e-3, (name, span.end_time / 1e9, record.ended)
    first, second = spans["livedag.node first"], spans["livedag.node second"]
    assert first.end_time is not None
    assert first.start_time is not None
    assert second.start_time is not None
    assert (first.end_time - first.start_time) / 1e9 >= 0.29
    assert second.start_time >= first.end_time - 1_000_000  # second's body began after first's ended
    linked = {link.context.span_id for link in spans["livedag.node third"].links}
    assert linked == {first.context.span_id, second.context.span_id}
