"""Notebook benchmarks: ``%%dag`` runs in a real ipykernel, measured inside the kernel.

1. Concurrency: three async nodes that each await 0.3 s, plus a sync node that adds them up
   (one after the other would take 0.9 s). The run's own duration, median of N runs with ``--force``.
2. Overhead: a 200-node chain of trivial sync nodes: the run's duration per node (``--force``, so every
   node runs), the same graph fully cached, and the wall time of the whole cell (widget included).
3. The same three async nodes through Apache Hamilton's sync Driver in the same kernel, for comparison:
   its result (coroutine objects reach the sum, so the run fails) and the time it took.

Usage: ``.venv/bin/python benchmarks/notebook.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import ast
import statistics

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kernel = Kernel()
    with kernel.client.setup_kernel():
        kernel.run("%load_ext livedag\nimport livedag.kernel, time")
        kernel.run(ASYNC_CELL)
        durations = []
        for _ in range(args.runs):
            kernel.run("%dag run total --force")
            durations.append(kernel.value("livedag.kernel.last_run().duration"))
        print(f"three async nodes of 0.3 s + sum: median {statistics.median(durations):.3f} s "
              f"(min {min(durations):.3f}, max {max(durations):.3f}, {args.runs} runs; sequential would be 0.9 s)")

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
        print(f"{size}-node sync chain: run {statistics.median(forced) * 1e3:.1f} ms ({per_node:.0f} us/node), "
              f"all cached {statistics.median(cached) * 1e3:.1f} ms, "
              f"cell wall time incl. widget and kernel round trips {statistics.median(walls) * 1e3:.0f} ms")

        hamilton = kernel.run(HAMILTON_CELL)
        text = "".join(out.get("text", "") for out in hamilton.outputs if out.output_type == "stream")
        outcome, seconds = ast.literal_eval(text.strip().splitlines()[-1])
        print(f"Hamilton sync Driver, same three async nodes in the kernel: {outcome} after {seconds:.3f} s")


if __name__ == "__main__":
    main()
