"""``OpenTelemetryHook`` with the SDK's in-memory exporter: spans, parents, timing, links, attributes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from livedag import Driver
from livedag.telemetry import OpenTelemetryHook


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    yield memory
    memory.clear()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> TracerProvider:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return tracer_provider


def _by_name(spans: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}


def _graph() -> list[object]:
    def base(x: int) -> int:
        return x + 1

    async def slow(base: int) -> int:
        await asyncio.sleep(0.05)
        return base * 2

    def other(base: int) -> int:
        return base - 1

    def total(slow: int, other: int) -> int:
        return slow + other

    return [base, slow, other, total]


def test_a_run_and_its_nodes_under_the_callers_span(provider: TracerProvider, exporter: InMemorySpanExporter) -> None:
    driver = Driver(_graph(), hooks=[OpenTelemetryHook(tracer_provider=provider)])
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("request") as request:
        assert driver.execute(["total"], inputs={"x": 1}) == {"total": 5}
    spans = _by_name(exporter.get_finished_spans())
    run = spans["livedag.run"]
    assert run.parent is not None
    assert run.parent.span_id == request.get_span_context().span_id
    for name in ("base", "slow", "other", "total"):
        node = spans[f"livedag.node {name}"]
        assert node.parent is not None
        assert node.parent.span_id == run.context.span_id
        assert node.context.trace_id == request.get_span_context().trace_id
        assert node.attributes is not None
        assert node.attributes["livedag.node"] == name
        assert node.attributes["livedag.status"] == "done"
        assert node.attributes["livedag.attempt"] == 1
    assert spans["livedag.node slow"].attributes["livedag.kind"] == "async"  # type: ignore[index]
    assert spans["livedag.node base"].attributes["livedag.kind"] == "sync"  # type: ignore[index]
    linked = {link.context.span_id for link in spans["livedag.node total"].links}
    assert linked == {spans["livedag.node slow"].context.span_id, spans["livedag.node other"].context.span_id}
    assert run.attributes["livedag.ok"] is True  # type: ignore[index]


async def test_a_streamed_run_is_under_the_consumers_span(
    provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    driver = Driver(_graph(), hooks=[OpenTelemetryHook(tracer_provider=provider)])
    with provider.get_tracer("test").start_as_current_span("consumer") as consumer:
        events = [event async for event in driver.astream(["total"], inputs={"x": 1})]
    assert events
    run = _by_name(exporter.get_finished_spans())["livedag.run"]
    assert run.parent is not None
    assert run.parent.span_id == consumer.get_span_context().span_id


def test_a_node_span_starts_when_its_body_starts(provider: TracerProvider, exporter: InMemorySpanExporter) -> None:
    async def gate() -> int:
        await asyncio.sleep(0.2)
        return 1

    async def waits(gate: int) -> int:
        await asyncio.sleep(0.01)
        return gate

    driver = Driver([gate, waits], hooks=[OpenTelemetryHook(tracer_provider=provider)])
    asyncio.run(driver.aexecute())
    spans = _by_name(exporter.get_finished_spans())
    gate_span, waits_span = spans["livedag.node gate"], spans["livedag.node waits"]
    assert gate_span.end_time is not None
    assert waits_span.start_time is not None
    assert waits_span.start_time >= gate_span.end_time  # not when the run was scheduled
    assert gate_span.end_time - gate_span.start_time >= 0.19e9  # type: ignore[operator]


def test_errors_retries_and_nested_spans(provider: TracerProvider, exporter: InMemorySpanExporter) -> None:
    tracer = provider.get_tracer("user")
    calls = {"n": 0}

    async def flaky() -> int:
        calls["n"] += 1
        with tracer.start_as_current_span("inside flaky"):
            if calls["n"] < 3:
                raise ValueError(f"try {calls['n']}")
        return 7

    def broken(flaky: int) -> int:
        raise RuntimeError("broken")

    driver = Driver(
        [flaky, broken],
        graceful=True,
        hooks=[OpenTelemetryHook(tracer_provider=provider)],
        node_options={"flaky": {"retries": 2}},
    )
    run = driver.run()
    assert run.failed == ("broken",)
    spans = exporter.get_finished_spans()
    by_name = _by_name(spans)
    flaky_span = by_name["livedag.node flaky"]
    assert flaky_span.attributes["livedag.attempt"] == 3  # type: ignore[index]
    assert [
        event.attributes["livedag.attempt"]
        for event in flaky_span.events  # type: ignore[index]
        if event.name == "retry"
    ] == [2, 3]
    inner = [span for span in spans if span.name == "inside flaky"]
    assert len(inner) == 3
    assert all(span.parent is not None and span.parent.span_id == flaky_span.context.span_id for span in inner)
    broken_span = by_name["livedag.node broken"]
    assert broken_span.attributes["livedag.status"] == "failed"  # type: ignore[index]
    assert broken_span.attributes["livedag.error"] == "RuntimeError: broken"  # type: ignore[index]
    assert broken_span.status.status_code is trace.StatusCode.ERROR
    assert any(event.name == "exception" for event in broken_span.events)
    assert by_name["livedag.run"].status.status_code is trace.StatusCode.ERROR
    assert trace.get_current_span() is trace.INVALID_SPAN  # nothing left attached


async def test_1500_runs_in_flight_keep_their_parents(provider: TracerProvider, exporter: InMemorySpanExporter) -> None:
    driver = Driver(_graph(), hooks=[OpenTelemetryHook(tracer_provider=provider)])
    tracer = provider.get_tracer("test")
    in_flight = 0
    most = 0

    async def request(i: int) -> tuple[int, int]:
        nonlocal in_flight, most
        with tracer.start_as_current_span(f"request {i}") as span:
            in_flight += 1
            most = max(most, in_flight)
            result = await driver.aexecute(["total"], inputs={"x": i})
            in_flight -= 1
            assert result == {"total": (i + 1) * 3 - 1}
            return i, span.get_span_context().span_id

    started = time.perf_counter()
    requests = dict(await asyncio.gather(*(request(i) for i in range(1500))))
    assert most == 1500  # every run was in flight at once
    assert time.perf_counter() - started < 30
    spans = exporter.get_finished_spans()
    by_id = {span.context.span_id: span for span in spans}
    runs = [span for span in spans if span.name == "livedag.run"]
    assert len(runs) == 1500
    parents = {}
    for run in runs:
        assert run.parent is not None
        parent = by_id[run.parent.span_id]
        parents[parent.name] = run
        index = int(parent.name.split()[1])
        assert requests[index] == parent.context.span_id
        assert run.context.trace_id == parent.context.trace_id
    assert len(parents) == 1500  # one run per request, none under another's span
    nodes = [span for span in spans if span.name.startswith("livedag.node")]
    assert len(nodes) == 6000
    for node in nodes:
        assert node.parent is not None
        run = by_id[node.parent.span_id]
        assert run.name == "livedag.run"
        assert node.context.trace_id == run.context.trace_id  # its own request's trace


async def test_a_node_cancelled_by_a_failure_ends_cancelled_and_the_caller_keeps_its_context(
    provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    started = asyncio.Event()

    async def slow() -> int:
        started.set()
        await asyncio.sleep(30)
        return 1

    async def fails() -> int:
        await started.wait()
        raise ValueError("stop")

    # `slow` is taken by the run's own worker, the caller's task: its span is attached in the caller's context
    driver = Driver([fails, slow], hooks=[OpenTelemetryHook(tracer_provider=provider)])
    with provider.get_tracer("test").start_as_current_span("request") as request:
        run = await driver.arun()
        assert trace.get_current_span() is request  # nothing of the run is left attached
    assert run.failed == ("fails",)
    spans = _by_name(exporter.get_finished_spans())
    slow_span = spans["livedag.node slow"]
    assert slow_span.attributes["livedag.status"] == "cancelled"  # type: ignore[index]
    assert slow_span.end_time is not None
    assert spans["livedag.node fails"].attributes["livedag.status"] == "failed"  # type: ignore[index]
