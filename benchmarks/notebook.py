"""Notebook benchmarks: ``%%dag`` runs in a real ipykernel, measured inside the kernel.

1. Concurrency: three async nodes that each await 0.3 s, plus a sync node that adds them up
   (one after the other would take 0.9 s). The run's own duration, median of N runs with ``--force``.
2. Overlap: a sync node sleeping 5 s and three async nodes awaiting 1 s, all independent, plus their sum
   (goal 5.0 s): livedag by default (sync nodes in worker threads), with ``--inline`` (sync nodes on the
   loop, as before), Apache Hamilton's ``%%cell_to_module --execute`` magic and its async driver in the
   same kernel, and marimo running the same cells as an app script.
3. First-run overhead: in a fresh kernel, the cell that defines and runs three 0.3 s async nodes, against
   the same run again (wall time of the cell, and the run's own duration).
4. Overhead: a 200-node chain of trivial sync nodes: the run's duration per node (``--force``, so every
   node runs), the same graph fully cached, and the wall time of the whole cell.
5. The three 0.3 s async nodes through Apache Hamilton's sync Driver in the same kernel, for comparison:
   its result (coroutine objects reach the sum, so the run fails) and the time it took.

Usage: ``.venv/bin/python benchmarks/notebook.py [--runs N] [--scale F]`` (``--scale 0.2``: 1 s and 0.2 s).
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ASYNC_CELL = """%%dag --cell concurrency
import asyncio

async def first() -> int:
    await asyncio.sleep(0.3)
    return 1

async def second() -> int:
    await asyncio.sleep(0.3)
    return 2

async def third() -> int:
    await asyncio.sleep(0.3)
    return 3

def total(first: int, second: int, third: int) -> int:
    return first + second + third
"""

HAMILTON_CELL = """
import sys, time, types
module = types.ModuleType("three_async")
exec('''
import asyncio
async def first() -> int:
    await asyncio.sleep(0.3)
    return 1
async def second() -> int:
    await asyncio.sleep(0.3)
    return 2
async def third() -> int:
    await asyncio.sleep(0.3)
    return 3
def total(first: int, second: int, third: int) -> int:
    return first + second + third
''', module.__dict__)
sys.modules["three_async"] = module
from hamilton import driver
started = time.perf_counter()
try:
    outcome = repr(driver.Builder().with_modules(module).build().execute(["total"])["total"])
except Exception as error:
    outcome = type(error).__name__ + ": " + str(error)[:80]
print(repr((outcome, time.perf_counter() - started)))
"""


def overlap_source(slow: float, fast: float) -> str:
    """The overlap pipeline's functions: one blocking sync node, three async ones, their sum."""
    return f"""import asyncio, time

def crunch() -> int:
    time.sleep({slow})
    return 1

async def a() -> int:
    await asyncio.sleep({fast})
    return 2

async def b() -> int:
    await asyncio.sleep({fast})
    return 3

async def c() -> int:
    await asyncio.sleep({fast})
    return 4

def total(crunch: int, a: int, b: int, c: int) -> int:
    return crunch + a + b + c
"""


def hamilton_magic_cell(source: str) -> str:
    return "%%cell_to_module overlap_module --execute\n" + source


HAMILTON_ASYNC_CELL = """
import time
from hamilton import async_driver
_t = time.perf_counter()
_dr = await async_driver.Builder().with_modules(overlap_module).build()
_out = await _dr.execute(["total"])
print(repr((repr(_out["total"]), time.perf_counter() - _t)))
"""


def marimo_app(slow: float, fast: float) -> str:
    cells = [
        "def _():\n    import asyncio, time\n    t0 = time.perf_counter()\n    return asyncio, time, t0",
        f"def _(time):\n    time.sleep({slow})\n    crunch = 1\n    return (crunch,)",
        *(
            f"async def _(asyncio):\n    await asyncio.sleep({fast})\n    {name} = {value}\n    return ({name},)"
            for name, value in (("a", 2), ("b", 3), ("c", 4))
        ),
        "def _(crunch, a, b, c, time, t0):\n    total = crunch + a + b + c\n"
        "    print(repr((total, time.perf_counter() - t0)))\n    return",
    ]
    body = "\n\n".join(f"@app.cell\n{cell}" for cell in cells)
    return f"import marimo\napp = marimo.App()\n\n{body}\n\nif __name__ == '__main__':\n    app.run()\n"


def run_marimo(slow: float, fast: float) -> tuple[str, float] | None:
    try:
        import marimo  # noqa: F401
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "overlap_app.py"
        app.write_text(marimo_app(slow, fast))
        done = subprocess.run([sys.executable, str(app)], capture_output=True, text=True, timeout=600, check=True)
    total, seconds = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return repr(total), seconds


def chain_cell(size: int) -> str:
    lines = ["%%dag --cell chain", "def c0() -> int:\n    return 0"]
    lines += [f"def c{i}(c{i - 1}: int) -> int:\n    return c{i - 1} + 1" for i in range(1, size)]
    return "\n".join(lines) + "\n"


class Kernel:
    def __init__(self) -> None:
        self.client = NotebookClient(nbformat.v4.new_notebook(), kernel_name="python3", timeout=600)

    def run(self, source: str):
        cell = nbformat.v4.new_code_cell(source)
        self.client.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors:
            raise RuntimeError(f"{errors[0].ename}: {errors[0].evalue}")
        return cell

    def value(self, expression: str):
        cell = self.run(f"print(repr({expression}))")
        text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        return ast.literal_eval(text.strip())


def stream_text(cell) -> str:
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


def first_run(runs: int) -> None:
    """A fresh kernel per sample: the first ``%%dag --run`` cell against the same run again."""
    firsts, agains, first_runs, again_runs = [], [], [], []
    for _ in range(runs):
        kernel = Kernel()
        with kernel.client.setup_kernel():
            kernel.run("%load_ext livedag\nimport livedag.kernel, time")
            started = time.perf_counter()
            kernel.run(ASYNC_CELL.replace("%%dag --cell concurrency", "%%dag --cell concurrency --run"))
            firsts.append(time.perf_counter() - started)
            first_runs.append(kernel.value("livedag.kernel.last_run().duration"))
            started = time.perf_counter()
            kernel.run("%dag run --force")
            agains.append(time.perf_counter() - started)
            again_runs.append(kernel.value("livedag.kernel.last_run().duration"))
    med = statistics.median
    print(
        f"first run in a fresh kernel (three 0.3 s async nodes): cell {med(firsts):.3f} s, "
        f"run {med(first_runs):.3f} s; the same run again: cell {med(agains):.3f} s, run {med(again_runs):.3f} s"
        f" (overhead {1e3 * (med(firsts) - med(agains)):.0f} ms; median of {runs} kernels)"
    )


def overlap(kernel: Kernel, runs: int, scale: float) -> None:
    slow, fast = 5.0 * scale, 1.0 * scale
    source = overlap_source(slow, fast)
    kernel.run("%%dag --cell overlap\n" + source)
    figures = {}
    for flag in ("", " --inline"):
        durations = []
        for _ in range(runs):
            kernel.run(f"%dag run total --force{flag}")
            durations.append(kernel.value("livedag.kernel.last_run().duration"))
        figures[flag] = statistics.median(durations)
    kernel.run("%dag reset")
    print(
        f"overlap, a {slow:g} s sync node + three {fast:g} s async nodes (goal {slow:.1f} s): "
        f"livedag {figures['']:.3f} s (median of {runs}); with --inline {figures[' --inline']:.3f} s"
    )
    kernel.run("%load_ext hamilton.plugins.jupyter_magic")
    started = time.perf_counter()
    try:
        cell = kernel.run(hamilton_magic_cell(source))
        outcome = stream_text(cell).strip()[:100] or "no error shown"
    except Exception as error:  # noqa: BLE001 - nbclient's CellExecutionError: report Hamilton's error
        lines = [line for line in str(error).splitlines() if "Error:" in line and "Traceback" not in line]
        outcome = "fails: " + (lines[-1] if lines else type(error).__name__)[:100]
    wall = time.perf_counter() - started
    print(f"  Hamilton %%cell_to_module --execute: cell {wall:.3f} s (kernel round trip included): {outcome}")
    cell = kernel.run(HAMILTON_ASYNC_CELL)
    outcome, seconds = ast.literal_eval(stream_text(cell).strip().splitlines()[-1])
    print(f"  Hamilton async driver, same module: {seconds:.3f} s, total={outcome}")
    marimo = run_marimo(slow, fast)
    if marimo is None:
        print("  marimo: not installed")
    else:
        print(f"  marimo app script, same cells: {marimo[1]:.3f} s, total={marimo[0]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the 5 s / 1 s of the overlap test")
    args = parser.parse_args()
    kernel = Kernel()
    with kernel.client.setup_kernel():
        kernel.run("%load_ext livedag\nimport livedag.kernel, time")
        kernel.run(ASYNC_CELL)
        durations = []
        for _ in range(args.runs):
            kernel.run("%dag run total --force")
            durations.append(kernel.value("livedag.kernel.last_run().duration"))
        print(
            f"three async nodes of 0.3 s + sum: median {statistics.median(durations):.3f} s "
            f"(min {min(durations):.3f}, max {max(durations):.3f}, {args.runs} runs; sequential would be 0.9 s)"
        )

        kernel.run("%dag reset")
        overlap(kernel, max(1, args.runs // 2), args.scale)

        kernel.run("%dag reset")
        size = 200
        kernel.run(chain_cell(size))
        forced, cached, walls = [], [], []
        for _ in range(args.runs):
            kernel.run("_t = time.perf_counter()")
            kernel.run("%dag run --force")
            walls.append(kernel.value("time.perf_counter() - _t"))
            forced.append(kernel.value("livedag.kernel.last_run().duration"))
            kernel.run("%dag run")
            cached.append(kernel.value("livedag.kernel.last_run().duration"))
        per_node = statistics.median(forced) / size * 1e6
        print(
            f"{size}-node sync chain: run {statistics.median(forced) * 1e3:.1f} ms ({per_node:.0f} us/node), "
            f"all cached {statistics.median(cached) * 1e3:.1f} ms, "
            f"cell wall time incl. live table and kernel round trips {statistics.median(walls) * 1e3:.0f} ms"
        )

        hamilton = kernel.run(HAMILTON_CELL)
        outcome, seconds = ast.literal_eval(stream_text(hamilton).strip().splitlines()[-1])
        print(f"Hamilton sync Driver, same three async nodes in the kernel: {outcome} after {seconds:.3f} s")
    first_run(args.runs)


if __name__ == "__main__":
    main()
