"""Execution benchmarks: livedag's Driver next to Apache Hamilton's Driver and AsyncDriver, in one run.

1. Per-node overhead on 1,000-node graphs (a chain and a layered graph), sync and async nodes:
   time per node of each driver minus the time per node of a plain loop calling the same functions
   (``values[name] = fn(*args)``; for async nodes ``values[name] = await fn(*args)``). Async nodes
   that never suspend measure the engine itself; "async-yield" nodes each await ``sleep(0)`` once.
2. "1,500 concurrent users": N executions at once on one event loop of a 10-node graph whose three
   parallel I/O nodes await 50 ms and two sequential ones 20 ms (critical path 90 ms), next to the
   same awaits written by hand with ``asyncio.gather`` (the floor). Throughput, p50/p99 latency,
   peak memory (tracemalloc, in a separate pass so it does not slow the timed one).

Usage: ``.venv/bin/python benchmarks/execute.py [--quick] [--concurrency N]``; the observability overhead
(the run history and the OpenTelemetry hook on the 1,500-concurrent scenario): ``... execute.py observability``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import time
import tracemalloc
import types
from collections.abc import Awaitable, Callable
from typing import Any

import livedag

logging.getLogger("hamilton").setLevel(logging.ERROR)


# -- generated graphs ---------------------------------------------------------------------------------
def _head(is_async: bool, yields: bool) -> tuple[str, str, list[str]]:
    """The ``def`` keyword, the first body line, and the module's first lines."""
    if yields:  # every node gives the loop a turn once, as real I/O would
        return "async def", "    await asyncio.sleep(0)\n", ["import asyncio\n"]
    return ("async def" if is_async else "def"), "", []


def chain_source(size: int, is_async: bool, yields: bool = False) -> str:
    prefix, first, lines = _head(is_async, yields)
    lines.append(f"{prefix} n0(seed: int) -> int:\n{first}    return seed + 1\n")
    lines += [f"{prefix} n{i}(n{i - 1}: int) -> int:\n{first}    return n{i - 1} + 1\n" for i in range(1, size)]
    return "\n".join(lines)


def layered_source(size: int, is_async: bool, yields: bool = False, width: int = 50) -> str:
    """``size // width`` layers of ``width`` nodes; each node takes three nodes of the previous layer."""
    prefix, first, lines = _head(is_async, yields)
    for i in range(size):
        layer, position = divmod(i, width)
        if layer == 0:
            lines.append(f"{prefix} n{i}(seed: int) -> int:\n{first}    return seed + {position}\n")
            continue
        base = (layer - 1) * width
        parents = sorted({base + (position + k) % width for k in (0, 1, 7)})
        params = ", ".join(f"n{p}: int" for p in parents)
        body = " + ".join(f"n{p}" for p in parents)
        lines.append(f"{prefix} n{i}({params}) -> int:\n{first}    return ({body}) % 1000003\n")
    return "\n".join(lines)


def make_module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def plain_plan(module: types.ModuleType) -> list[tuple[str, Callable[..., Any], tuple[str, ...]]]:
    graph = livedag.Graph.from_modules(module)
    return [(name, graph.nodes[name].function, graph.dependencies(name)) for name in graph.topological_order()]  # type: ignore[misc]


def steps_of(module: types.ModuleType) -> list[str]:
    return list(livedag.Graph.from_modules(module).nodes)


def best_of(repeats: int, call: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def async_best_of(repeats: int, make: Callable[[], Awaitable[Any]]) -> float:
    async def timed() -> float:
        times = []
        for _ in range(repeats):
            gc.collect()
            start = time.perf_counter()
            await make()
            times.append(time.perf_counter() - start)
        return min(times)

    return asyncio.run(timed())


# -- 1. per-node overhead ---------------------------------------------------------------------------
def per_node(kind: str, path: str, size: int, repeats: int) -> dict[str, Any]:
    is_async, yields = path != "sync", path == "async-yield"
    source = chain_source(size, is_async, yields) if kind == "chain" else layered_source(size, is_async, yields)
    module = make_module(f"bench_{kind}_{path.replace('-', '_')}_{size}", source)
    steps = plain_plan(module)
    last = steps[-1][0]
    outputs = [last]
    inputs = {"seed": 1}
    row: dict[str, Any] = {"graph": f"{kind} {size}", "path": path}

    if is_async:

        async def plain() -> Any:
            values: dict[str, Any] = dict(inputs)
            for name, fn, deps in steps:
                values[name] = await fn(*[values[d] for d in deps])
            return values[last]

        row["plain"] = async_best_of(repeats, plain)
    else:

        def plain_sync() -> Any:
            values: dict[str, Any] = dict(inputs)
            for name, fn, deps in steps:
                values[name] = fn(*[values[d] for d in deps])
            return values[last]

        row["plain"] = best_of(repeats, plain_sync)

    driver = livedag.Driver(module)
    expected = driver.execute(outputs, inputs=inputs) if not is_async else None
    if is_async:
        row["livedag"] = async_best_of(repeats, lambda: driver.aexecute(outputs, inputs=inputs))
    else:
        row["livedag"] = best_of(repeats, lambda: driver.execute(outputs, inputs=inputs))
    row["hamilton"] = _hamilton_per_node(module, outputs, inputs, is_async, repeats, expected)
    for key in ("plain", "livedag", "hamilton"):
        value = row[key]
        row[key] = value / size if isinstance(value, float) else value
    return row


def _hamilton_per_node(
    module: types.ModuleType,
    outputs: list[str],
    inputs: dict[str, Any],
    is_async: bool,
    repeats: int,
    expected: Any,
) -> float | str:
    from hamilton import async_driver, driver

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 20 * len(steps_of(module))))  # Hamilton recurses per node: give it room
    try:
        if is_async:

            async def build() -> Any:
                return await async_driver.Builder().with_modules(module).build()

            built = asyncio.run(build())
            return async_best_of(repeats, lambda: built.execute(outputs, inputs=inputs))
        built = driver.Builder().with_modules(module).build()
        result = built.execute(outputs, inputs=inputs)
        assert expected is None or result == expected, "Hamilton and livedag disagree"
        return best_of(repeats, lambda: built.execute(outputs, inputs=inputs))
    except RecursionError:
        return "RecursionError"
    finally:
        sys.setrecursionlimit(old_limit)


# -- 2. the 1,500 concurrent executions scenario ------------------------------------------------------
SCENARIO = """
import asyncio


def normalized(query: str) -> str:
    return query.strip().lower()


async def retrieve_docs(normalized: str) -> list[str]:
    await asyncio.sleep(0.05)
    return [normalized + ":doc"]


async def retrieve_history(normalized: str) -> list[str]:
    await asyncio.sleep(0.05)
    return [normalized + ":history"]


async def retrieve_schema(normalized: str) -> list[str]:
    await asyncio.sleep(0.05)
    return [normalized + ":schema"]


def context(retrieve_docs: list[str], retrieve_history: list[str], retrieve_schema: list[str]) -> list[str]:
    return retrieve_docs + retrieve_history + retrieve_schema


async def reranked(context: list[str]) -> list[str]:
    await asyncio.sleep(0.02)
    return sorted(context)


async def generated(reranked: list[str]) -> str:
    await asyncio.sleep(0.02)
    return " | ".join(reranked)


def formatted(generated: str) -> str:
    return generated.upper()


def token_count(generated: str) -> int:
    return len(generated.split())


def answer(formatted: str, token_count: int) -> dict[str, object]:
    return {"text": formatted, "tokens": token_count}
"""


def scenario_module() -> types.ModuleType:
    return make_module("bench_scenario", SCENARIO)


def hand_written(m: types.ModuleType) -> Callable[[str], Awaitable[Any]]:
    async def handle(query: str) -> Any:
        normalized = m.normalized(query)
        docs, history, schema = await asyncio.gather(
            m.retrieve_docs(normalized), m.retrieve_history(normalized), m.retrieve_schema(normalized)
        )
        context = m.context(docs, history, schema)
        generated = await m.generated(await m.reranked(context))
        return {"answer": m.answer(m.formatted(generated), m.token_count(generated))}

    return handle


async def _concurrent(handle: Callable[[str], Awaitable[Any]], n: int) -> tuple[float, list[float], Any]:
    latencies: list[float] = [0.0] * n

    async def one(index: int) -> Any:
        start = time.perf_counter()
        result = await handle(f"Query {index}")
        latencies[index] = time.perf_counter() - start
        return result

    start = time.perf_counter()
    results = await asyncio.gather(*(one(index) for index in range(n)))
    return time.perf_counter() - start, latencies, results[0]


def concurrent_scenario(n: int, repeats: int) -> list[dict[str, Any]]:
    from hamilton import async_driver

    module = scenario_module()
    livedag_driver = livedag.Driver(module)

    async def hamilton_handle_factory() -> Callable[[str], Awaitable[Any]]:
        built = await async_driver.Builder().with_modules(module).build()

        async def handle(query: str) -> Any:
            return await built.execute(["answer"], inputs={"query": query})

        return handle

    async def livedag_handle(query: str) -> Any:
        return await livedag_driver.aexecute(["answer"], inputs={"query": query})

    contenders: dict[str, Callable[[], Awaitable[Callable[[str], Awaitable[Any]]]]] = {
        "hand-written gather": _returning(hand_written(module)),
        "livedag Driver.aexecute": _returning(livedag_handle),
        "Hamilton AsyncDriver": hamilton_handle_factory,
    }
    for factory in contenders.values():  # warm up: plans built, modules imported, code paths hot

        async def warm(factory: Any = factory) -> None:
            await _concurrent(await factory(), 10)

        asyncio.run(warm())
    # Setup objects (pandas from Hamilton's import, the plans...) out of the collector's way, for all alike:
    # otherwise whether a run happens to trigger one full collection decides the result.
    gc.collect()
    gc.freeze()
    runs: dict[str, list[tuple[float, float, list[float], Any]]] = {label: [] for label in contenders}
    for _ in range(repeats):  # rounds interleave the contenders, so a busy moment hits them all alike
        for label, factory in contenders.items():
            gc.collect()

            async def measure(factory: Any = factory) -> tuple[float, list[float], Any]:
                return await _concurrent(await factory(), n)

            cpu = time.process_time()
            wall, latencies, first = asyncio.run(measure())
            runs[label].append((wall, time.process_time() - cpu, latencies, first))
    rows = []
    expected = None
    for label, factory in contenders.items():
        wall, cpu, latencies, first = min(runs[label], key=lambda run: run[0])
        expected = expected if expected is not None else first
        assert first == expected, f"{label} computed something else: {first!r}"
        ordered = sorted(latencies)
        rows.append(
            {
                "label": label,
                "wall": wall,
                "cpu_us": min(run[1] for run in runs[label]) / n * 1e6,
                "throughput": n / wall,
                "p50": ordered[len(ordered) // 2],
                "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
                "peak_mib": _peak_memory(factory, n),
            }
        )
    return rows


def _returning(handle: Callable[[str], Awaitable[Any]]) -> Callable[[], Awaitable[Callable[[str], Awaitable[Any]]]]:
    async def factory() -> Callable[[str], Awaitable[Any]]:
        return handle

    return factory


def _peak_memory(factory: Callable[[], Awaitable[Callable[[str], Awaitable[Any]]]], n: int) -> float:
    async def measure() -> float:
        handle = await factory()
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()
        await _concurrent(handle, n)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 2**20

    return asyncio.run(measure())


# -- report ---------------------------------------------------------------------------------------------
def _us(value: float | str) -> str:
    return f"{value * 1e6:8.2f}" if isinstance(value, float) else f"{value:>8}"


def report_per_node(rows: list[dict[str, Any]]) -> None:
    print("Per-node time and overhead (µs per node; overhead = time - plain loop), best of the repeats")
    print(
        f"{'graph':<14} {'path':<11} {'plain':>8} {'livedag':>8} {'Hamilton':>8} | {'ld over':>8} {'Ham over':>8}"
        f" {'ratio':>7}"
    )
    for row in rows:
        plain, ours, theirs = row["plain"], row["livedag"], row["hamilton"]
        if row["path"] == "async-yield":
            # The plain loop awaits one node at a time, so it is no floor for a driver that overlaps
            # them: compare the times themselves.
            ratio = f"{theirs / ours:6.1f}x*" if isinstance(theirs, float) else "      -"
            print(
                f"{row['graph']:<14} {row['path']:<11} {_us(plain)} {_us(ours)} {_us(theirs)} | {'-':>8} "
                f"{'-':>8} {ratio}"
            )
            continue
        our_overhead = max(ours - plain, 1e-9)
        their_overhead = theirs - plain if isinstance(theirs, float) else theirs
        ratio = f"{their_overhead / our_overhead:6.1f}x" if isinstance(their_overhead, float) else "      -"
        print(
            f"{row['graph']:<14} {row['path']:<11} {_us(plain)} {_us(ours)} {_us(theirs)} | {_us(our_overhead)} "
            f"{_us(their_overhead)} {ratio}"
        )
    print(
        "async: nodes that never suspend (the engine's own cost); async-yield: every node awaits asyncio.sleep(0)"
        " once;\n* ratio of times, not of overheads (the plain loop awaits one node at a time: no floor there)"
    )


def report_scenario(rows: list[dict[str, Any]], n: int) -> None:
    print(f"\n{n} concurrent executions of the 10-node graph (critical path 90 ms), best wall of the rounds;")
    print("CPU µs/exec: process CPU time of the best round / N (less sensitive to other load on the machine)")
    print(f"{'':<26} {'wall s':>7} {'exec/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'peak MiB':>9} {'CPU µs/exec':>12}")
    for row in rows:
        print(
            f"{row['label']:<26} {row['wall']:7.3f} {row['throughput']:8.0f} {row['p50'] * 1e3:8.1f} "
            f"{row['p99'] * 1e3:8.1f} {row['peak_mib']:9.1f} {row['cpu_us']:12.1f}"
        )
    floor, ours, theirs = rows[0], rows[1], rows[2]
    gc.unfreeze()
    print(f"livedag / hand-written throughput: {ours['throughput'] / floor['throughput']:.2f} (goal >= 0.67)")
    print(f"livedag / Hamilton throughput:     {ours['throughput'] / theirs['throughput']:.1f}x (goal >= 5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke run)")
    parser.add_argument("--concurrency", type=int, default=1500)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--only", choices=("per-node", "scenario"), default=None)
    args = parser.parse_args()
    repeats = 3 if args.quick else 15
    print(f"Python {sys.version.split()[0]}, livedag {livedag.__version__}")
    if args.only != "scenario":
        rows = [
            per_node(kind, path, args.size, repeats)
            for path in ("sync", "async", "async-yield")
            for kind in ("chain", "layered")
        ]
        report_per_node(rows)
    if args.only != "per-node":
        report_scenario(concurrent_scenario(args.concurrency, 2 if args.quick else 5), args.concurrency)


# -- 3. observability overhead (history, OpenTelemetry) ------------------------------------------------------
def observability_scenario(n: int, repeats: int) -> list[dict[str, Any]]:
    """The 1,500-concurrent scenario with the run history on and with the OpenTelemetry hook on, each next to
    plain runs of the same graph in the same process, rounds interleaved; the history's writes are waited for
    inside the timed round (its flush), the spans go to an in-memory exporter through a batch processor."""
    import tempfile

    from livedag.history.recorder import HistoryHook

    module = scenario_module()
    graph = livedag.Driver(module).graph
    folder = tempfile.mkdtemp(prefix="livedag-bench-")
    history = HistoryHook(graph, path=f"{folder}/runs.db", source="bench")
    drivers: dict[str, tuple[livedag.Driver, Callable[[], Any]]] = {
        "plain": (livedag.Driver(graph), lambda: None),
        "empty after_run": (livedag.Driver(graph, hooks=[_EmptyRunHook()]), lambda: None),
        "empty node hooks": (livedag.Driver(graph, hooks=[_EmptyNodeHooks()]), lambda: None),
        "empty record_run": (livedag.Driver(graph, hooks=[_EmptyRecorder()]), lambda: None),
        "history": (livedag.Driver(graph, hooks=[history]), history.flush),
    }
    provider = _otel_provider()
    if provider is not None:
        from opentelemetry.trace import NoOpTracerProvider

        from livedag.telemetry import OpenTelemetryHook

        drivers["OTel, no-op API"] = (
            livedag.Driver(graph, hooks=[OpenTelemetryHook(NoOpTracerProvider())]),
            lambda: None,
        )
        drivers["OpenTelemetry"] = (
            livedag.Driver(graph, hooks=[OpenTelemetryHook(provider)]),
            lambda: provider.force_flush(),
        )

    def handle_for(driver: livedag.Driver) -> Callable[[str], Awaitable[Any]]:
        async def handle(query: str) -> Any:
            return await driver.aexecute(["answer"], inputs={"query": query})

        return handle

    for driver, flush in drivers.values():
        asyncio.run(_concurrent(handle_for(driver), 10))
        flush()
    gc.collect()
    gc.freeze()
    walls: dict[str, list[float]] = {label: [] for label in drivers}
    cpus: dict[str, list[float]] = {label: [] for label in drivers}
    if provider is not None:
        walls["bare SDK spans"], cpus["bare SDK spans"] = [], []
    for _ in range(repeats):
        for label, (driver, flush) in drivers.items():
            gc.collect()
            cpu, start = time.process_time(), time.perf_counter()
            asyncio.run(_concurrent(handle_for(driver), n))
            flush()
            walls[label].append(time.perf_counter() - start)
            cpus[label].append(time.process_time() - cpu)
        if provider is not None:
            gc.collect()
            cpu, start = time.process_time(), time.perf_counter()
            _bare_spans(provider, graph, n)
            walls["bare SDK spans"].append(time.perf_counter() - start)
            cpus["bare SDK spans"].append(time.process_time() - cpu)
    gc.unfreeze()
    base_wall, base_cpu = min(walls["plain"]), min(cpus["plain"])
    if provider is not None:  # the floor: plain runs plus the SDK's own cost of the same spans
        walls["plain + bare SDK"] = [base_wall + min(walls["bare SDK spans"])]
        cpus["plain + bare SDK"] = [base_cpu + min(cpus["bare SDK spans"])]
    return [
        {
            "label": label,
            "wall": min(walls[label]),
            "cpu_us": min(cpus[label]) / n * 1e6,
            "ratio": min(walls[label]) / base_wall,
            "cpu_ratio": min(cpus[label]) / base_cpu,
        }
        for label in walls
    ]


class _EmptyRunHook:
    """The floor of any recorder built on ``after_run``: the driver builds the ``Run`` for it."""

    def after_run(self, **_: Any) -> None:
        return None


class _EmptyRecorder:
    """The floor of a recorder: the driver hands it the finished run's arrays (no ``Run`` built)."""

    def record_run(self, run: Any, /) -> None:
        return None


def _bare_spans(provider: Any, graph: livedag.Graph, n: int) -> None:
    """The OpenTelemetry SDK's own cost, no livedag: per run, the spans the hook makes (a run span, a span
    per node with its links and the same attributes), one run after another, then the same flush."""
    from opentelemetry import context as otel_context
    from opentelemetry import trace

    tracer = provider.get_tracer("bare")
    order = graph.topological_order()
    upstream = {name: [dep for dep in graph.dependencies(name) if dep in graph.nodes] for name in order}
    kinds = {name: graph.nodes[name].kind.value for name in order}
    for index in range(n):
        run = tracer.start_span("run", context=otel_context.get_current(), attributes={"id": index, "nodes": 10})
        parent = trace.set_span_in_context(run)
        spans: dict[str, Any] = {}
        for name in order:
            links = [trace.Link(spans[dep].get_span_context()) for dep in upstream[name]]
            span = tracer.start_span(
                name, context=parent, links=links or None, attributes={"n": name, "k": kinds[name]}
            )
            spans[name] = span
            span.set_attributes({"status": "done", "attempt": 1})
            span.end()
        run.set_attributes({"ok": True, "failed": ()})
        run.end()
    provider.force_flush()


class _EmptyNodeHooks:
    """The floor of any hook called around each node."""

    def before_node(self, **_: Any) -> None:
        return None

    def after_node(self, **_: Any) -> None:
        return None


def _otel_provider() -> Any:
    try:
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    except ImportError:
        print("OpenTelemetry SDK not installed (pip install 'livedag[otel]'): skipping its overhead")
        return None
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(InMemorySpanExporter(), max_queue_size=100_000))
    return provider


def report_observability(rows: list[dict[str, Any]], n: int) -> None:
    print(
        f"\nObservability overhead: {n} concurrent executions of the same graph, best of the rounds "
        "(ratio to plain runs in this process)"
    )
    print(f"{'':<18} {'wall s':>7} {'ratio':>7} {'CPU µs/exec':>12} {'CPU ratio':>10}")
    for row in rows:
        print(
            f"{row['label']:<18} {row['wall']:7.3f} {row['ratio']:6.2f}x {row['cpu_us']:12.1f} {row['cpu_ratio']:9.2f}x"
        )
    print(
        "goals: history <= 1.10x, OpenTelemetry <= 1.25x (wall); the empty hooks are what the hook API costs "
        "before any recording; 'no-op API' is the OpenTelemetry hook without the SDK (the hook's own cost);\n"
        "'bare SDK spans' makes the same spans with the SDK alone (no livedag, no event loop): added to the plain\n"
        "runs, it is the floor any OpenTelemetry hook on this graph can reach"
    )
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


def observability_main() -> None:
    parser = argparse.ArgumentParser(description="observability overhead only")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--concurrency", type=int, default=1500)
    args, _ = parser.parse_known_args(sys.argv[2:])
    report_observability(observability_scenario(args.concurrency, 3 if args.quick else 7), args.concurrency)


if __name__ == "__main__":
    if sys.argv[1:2] == ["observability"]:
        observability_main()
    else:
        main()
