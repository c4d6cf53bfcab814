"""Graph resolution: livedag static (+ validation) and runtime resolution against Apache Hamilton's graph build,
for generated 100 / 1,000 / 5,000-node modules, and the time `import livedag` takes.

Run: ``.venv/bin/python benchmarks/resolve.py`` (``--sizes 100 1000`` to choose). Each figure is the best of
several repeats (the least disturbed by other work on the machine), as CPU time of this process and as wall
time; on a busy machine the CPU time is the fairer figure, on a quiet one they agree.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import functools
import gc
import importlib.util
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from livedag import Graph


def generated_module(size: int) -> str:
    """A realistic mix: each node needs its predecessor and one node further back, some take an input with a
    default, every fifth is a dict or list node, so type checks compare generics too."""
    lines = ["from typing import Dict, List, Optional", "", "", "def n0(seed: int) -> int:", "    return seed", ""]

    def is_list(j: int) -> bool:
        return j > 0 and j % 5 == 0

    for i in range(1, size):
        kind = "List[int]" if is_list(i) else "int"
        before = i - 1
        back = i // 2
        params = [f"n{before}: {'list[int]' if is_list(before) else 'int'}"]
        if back != before:
            params.append(f"n{back}: {'list' if is_list(back) else 'int'}")
        if i % 7 == 0:
            params.append(f"scale_{i % 50}: Optional[float] = None")
        body = "[1]" if kind != "int" else "1"
        lines += [f"def n{i}({', '.join(params)}) -> {kind}:", f'    """Node {i}."""', f"    return {body}", ""]
    return "\n".join(lines) + "\n"


def decorated_module(size: int) -> str:
    """``size`` functions, each with one of Hamilton's modifiers in turn (``@tag``, ``@extract_fields``,
    ``@parameterize`` with ``source``/``value``, ``@config.when``), chained as in ``generated_module``."""
    lines = [
        "from hamilton.function_modifiers import config, extract_fields, parameterize, source, tag, value",
        "",
        "",
        "def n0(seed: int) -> int:",
        "    return seed",
        "",
    ]
    last = "n0"
    for i in range(1, size):
        style = i % 4
        if style == 0:
            lines += [f'@tag(layer="l{i % 9}", owner="team")', f"def n{i}({last}: int) -> int:"]
            made = f"n{i}"
        elif style == 1:
            lines += [f'@extract_fields({{"n{i}_a": int, "n{i}_b": float}})', f"def n{i}({last}: int) -> dict:"]
            made = f"n{i}_a"
        elif style == 2:
            lines += [
                f'@parameterize(n{i}={{"x": source("{last}"), "k": value({i})}})',
                f"def p{i}(x: int, k: int) -> int:",
            ]
            made = f"n{i}"
        else:
            lines += ['@config.when(mode="a")', f"def n{i}__a({last}: int) -> int:"]
            made = f"n{i}"
        lines += [f'    """Node {i}."""', "    return 1", ""]
        last = made
    return "\n".join(lines) + "\n"


def best_of(repeats: int, fn: Callable[[], object]) -> tuple[float, float]:
    """(best CPU time, best wall time) in milliseconds."""
    cpu, wall = [], []
    for _ in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return min(cpu) * 1000, min(wall) * 1000


def interleaved(repeats: int, *fns: Callable[[], object]) -> list[tuple[float, float]]:
    """``best_of`` for several functions whose ratios matter, run in turn within each repeat, so that load from
    other work on the machine falls on all of them alike."""
    cpu: list[list[float]] = [[] for _ in fns]
    wall: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for index, fn in enumerate(fns):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            fn()
            cpu[index].append(time.process_time() - start_cpu)
            wall[index].append(time.perf_counter() - start_wall)
    return [(min(c) * 1000, min(w) * 1000) for c, w in zip(cpu, wall, strict=True)]


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def static(path: str, text: str) -> None:
    graph = Graph.from_sources({path: text})
    assert not graph.errors, graph.errors[:3]


def parse_only(text: str) -> None:
    """``ast.parse`` alone, as static resolution runs it (with the cyclic garbage collector paused)."""
    gc.disable()
    try:
        ast.parse(text)
    finally:
        gc.enable()


def runtime(module: ModuleType) -> None:
    graph = Graph.from_modules(module)
    assert not graph.errors, graph.errors[:3]


def runtime_with_config(module: ModuleType) -> None:
    graph = Graph.from_modules(module, config={"mode": "a"})
    assert not graph.errors, graph.errors[:3]


def hamilton_with_config(module: ModuleType) -> None:
    from hamilton import graph as hamilton_graph

    hamilton_graph.FunctionGraph.from_modules(module, config={"mode": "a"})


def hamilton(module: ModuleType) -> None:
    from hamilton import graph as hamilton_graph

    hamilton_graph.FunctionGraph.from_modules(module, config={})


def import_time(module: str) -> tuple[float, float, float]:
    """Milliseconds `import module` adds to `python -c pass` (best of 9): child CPU time, wall time, and the
    module's own cumulative figure from ``-X importtime``.

    Measured as an installed package is imported: with its bytecode cached. Some environments (CI images,
    this project's dev machines) set PYTHONDONTWRITEBYTECODE, which would make every start recompile livedag
    from source and time the compiler instead."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)  # writes the bytecode

    def child(code: str) -> tuple[float, float]:
        best_cpu = best_wall = float("inf")
        for _ in range(9):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        return best_cpu, best_wall

    base_cpu, base_wall = child("pass")
    cpu, wall = child(f"import {module}")
    own = float("inf")
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        for line in result.stderr.splitlines():
            parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] == module:
                own = min(own, int(parts[1]) / 1000)
    return (cpu - base_cpu) * 1000, (wall - base_wall) * 1000, own


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument(
        "--decorated",
        type=int,
        nargs="*",
        default=[1000],
        help="sizes of the module decorated with Hamilton's modifiers (default 1000)",
    )
    parser.add_argument(
        "--repeats", type=int, default=30, help="interleaved repeats of the decorated comparison (default 30)"
    )
    args = parser.parse_args()
    import hamilton as hamilton_package  # the time of its import is not part of any figure

    version = ".".join(map(str, hamilton_package.version.VERSION))
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    reference, _ = best_of(20, functools.partial(sum, range(10**6)))
    print(f"# {datetime.date.today()} on {machine()}; apache-hamilton {version}; load average {load_average}")
    print(f"# reference: sum(range(10**6)) takes {reference:.1f} ms CPU in this run (scale the figures by it)")
    print("CPU ms (wall ms), best of the repeats")
    print(
        "| nodes | static + validation | of which ast.parse | runtime + validation | Hamilton build "
        "| Hamilton / static | Hamilton / runtime |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    with tempfile.TemporaryDirectory() as directory:
        for size in args.sizes:
            text = generated_module(size)
            path = Path(directory) / f"generated_{size}.py"
            path.write_text(text)
            module = load(path, f"generated_{size}")
            repeats = 30 if size <= 100 else 10 if size <= 1000 else 3
            static_cpu, static_wall = best_of(repeats, functools.partial(static, str(path), text))
            parse_cpu, parse_wall = best_of(repeats, functools.partial(parse_only, text))
            runtime_cpu, runtime_wall = best_of(repeats, functools.partial(runtime, module))
            hamilton_cpu, hamilton_wall = best_of(repeats, functools.partial(hamilton, module))
            print(
                f"| {size:,} | {static_cpu:.1f} ({static_wall:.1f}) | {parse_cpu:.1f} ({parse_wall:.1f}) "
                f"| {runtime_cpu:.1f} ({runtime_wall:.1f}) "
                f"| {hamilton_cpu:.1f} ({hamilton_wall:.1f}) "
                f"| {hamilton_cpu / static_cpu:.1f}x | {hamilton_cpu / runtime_cpu:.1f}x |",
                flush=True,
            )
        print()
        print(
            "Decorated module (every function has one of Hamilton's modifiers) against an undecorated one of the "
            "same size: static resolution + validation, CPU ms (wall ms)"
        )
        print(
            "| functions (nodes) | undecorated, same functions | undecorated, same nodes | decorated static "
            "| / same functions | / same nodes | decorated runtime | Hamilton build | Hamilton / runtime |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        for size in args.decorated:
            decorated = decorated_module(size)
            nodes = len(Graph.from_sources({"d.py": decorated}).nodes)
            plain, same_nodes = generated_module(size), generated_module(nodes)
            path = Path(directory) / f"decorated_{size}.py"
            path.write_text(decorated)
            module = load(path, f"decorated_{size}")
            (plain_cpu, plain_wall), (nodes_cpu, nodes_wall), (decorated_cpu, decorated_wall) = interleaved(
                args.repeats,
                functools.partial(static, "plain.py", plain),
                functools.partial(static, "plain.py", same_nodes),
                functools.partial(static, str(path), decorated),
            )
            runtime_cpu, runtime_wall = best_of(5, functools.partial(runtime_with_config, module))
            hamilton_cpu, hamilton_wall = best_of(5, functools.partial(hamilton_with_config, module))
            print(
                f"| {size:,} ({nodes:,}) | {plain_cpu:.1f} ({plain_wall:.1f}) | {nodes_cpu:.1f} ({nodes_wall:.1f}) "
                f"| {decorated_cpu:.1f} ({decorated_wall:.1f}) | {decorated_cpu / plain_cpu:.2f}x "
                f"| {decorated_cpu / nodes_cpu:.2f}x | {runtime_cpu:.1f} ({runtime_wall:.1f}) "
                f"| {hamilton_cpu:.1f} ({hamilton_wall:.1f}) | {hamilton_cpu / runtime_cpu:.1f}x |",
                flush=True,
            )
    print()
    for name in ("livedag", "livedag.graph"):
        cpu, wall, own = import_time(name)
        print(
            f"`import {name}`: {cpu:.1f} ms CPU ({wall:.1f} ms wall) over a bare interpreter start; "
            f"{own:.1f} ms by -X importtime"
        )


if __name__ == "__main__":
    main()
