"""Node threads and interrupts, with real threads (no kernel): what ``NodeThreads.interrupt`` stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from livedag.graph import Graph
from livedag.kernel.threads import NodeCancelledError, NodeThreads, install_sleep, uninstall_sleep


@pytest.fixture
def interruptible_sleep() -> Iterator[None]:
    install_sleep()
    yield
    uninstall_sleep()


def _start(threads: NodeThreads, function: Callable[[], Any]) -> tuple[Future[Any], Callable[..., Any]]:
    """Run the wrapped node ``function`` in a worker thread; returns its future once it is running."""
    function.__annotations__ = {"return": int}
    wrapped = threads.wrap(Graph.from_functions(function)).nodes[function.__name__].function
    assert wrapped is not None
    pool = ThreadPoolExecutor(1)
    future = pool.submit(wrapped)
    pool.shutdown(wait=False)
    return future, wrapped


def test_a_node_in_time_sleep_is_stopped_at_once(interruptible_sleep):
    threads = NodeThreads()
    started = threading.Event()

    def sleeper() -> int:
        started.set()
        time.sleep(30)
        return 1

    future, _ = _start(threads, sleeper)
    assert started.wait(10)
    assert threads.running() == ["sleeper"]
    threads.interrupt()
    with pytest.raises(NodeCancelledError, match="`sleeper` was interrupted"):
        future.result(timeout=5)
    assert threads.running() == []


def test_a_node_looping_in_python_is_stopped():
    threads = NodeThreads()
    started = threading.Event()

    def spinner() -> int:
        started.set()
        n = 0
        while True:
            n += 1

    future, _ = _start(threads, spinner)
    assert started.wait(10)
    threads.interrupt()
    with pytest.raises(NodeCancelledError):
        future.result(timeout=5)


def test_outside_node_threads_time_sleep_is_the_usual_one(interruptible_sleep):
    started = time.monotonic()
    time.sleep(0.01)
    assert time.monotonic() - started >= 0.01
    with pytest.raises(ValueError, match="non-negative"):
        time.sleep(-1)


def test_after_an_interrupt_no_node_starts():
    threads = NodeThreads()
    threads.interrupt()

    def late() -> int:
        return 1

    future, _ = _start(threads, late)
    with pytest.raises(NodeCancelledError):
        future.result(timeout=5)


def test_a_node_that_finishes_leaves_no_trace():
    threads = NodeThreads()

    def quick() -> int:
        return 7

    future, wrapped = _start(threads, quick)
    assert future.result(timeout=5) == 7
    assert threads.running() == []
    assert wrapped.__wrapped__ is quick  # the graph still shows the user's function
