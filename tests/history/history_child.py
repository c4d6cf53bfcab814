"""A child process for the history tests: records runs into a database given on the command line.

``hook PATH COUNT TAG``: prints ``ready``, waits for a line on stdin, then runs a 12-node graph COUNT
times with a ``HistoryHook`` (label TAG), waiting for each run to be written, and prints ``done``.
``bulk PATH``: writes 600-node runs in a loop, printing each run's id once it is committed, forever.
"""

from __future__ import annotations

import sys
import time

from livedag import Driver
from livedag.history import HistoryStore, NodeEntry, RunEntry
from livedag.history.recorder import HistoryHook


def _graph_functions() -> list[object]:
    def seed(x: int) -> int:
        return x

    functions: list[object] = [seed]
    for i in range(11):
        previous = "seed" if i == 0 else f"n{i - 1}"
        namespace: dict[str, object] = {}
        exec(f"def n{i}({previous}: int) -> int:\n    return {previous} + 1\n", namespace)
        functions.append(namespace[f"n{i}"])
    return functions


def hook(path: str, count: int, tag: str) -> None:
    functions = _graph_functions()
    graph = Driver(functions).graph
    recorder = HistoryHook(graph, path=path, source="test", label=tag)
    driver = Driver(graph, hooks=[recorder])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        driver.execute(inputs={"x": i})
        assert recorder.flush(60)  # one transaction per run, as `livedag run` writes
    print("done", flush=True)


def bulk(path: str) -> None:
    store = HistoryStore(path)
    trace = "Traceback (most recent call last):\n" + "  File 'x.py', line 1, in f\n" * 20
    number = 0
    while True:
        number += 1
        now = time.time()
        nodes = tuple(
            NodeEntry(f"node{i}", "failed", now, now + 1, 1.0, 2, "ValueError: no", trace, None) for i in range(600)
        )
        run_number = store.add(RunEntry(f"bulk-{number}", now, 1.0, False, nodes, source="test", label="bulk"))
        print(run_number, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "hook":
        hook(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        bulk(sys.argv[2])
