"""Sync nodes in worker threads, and how an interrupt reaches them.

In the notebook, sync nodes run in the driver's worker threads (``sync_in_thread``), so the kernel's
loop stays free: the live table moves, async nodes overlap with sync ones, and an interrupt is handled
at once. ``NodeThreads`` wraps each sync node function so it knows which thread runs which node;
``interrupt()`` then stops them:

- Python code is stopped by an asynchronous ``NodeInterrupted`` (``PyThreadState_SetAsyncExc``), raised
  at the thread's next bytecode;
- ``time.sleep`` is stopped at once: while the extension is loaded, ``time.sleep`` in a node thread waits
  on the node's interrupt event instead (any other thread gets the original ``time.sleep``);
- a node blocked in C code (a socket read, a C extension's loop) cannot be stopped: it is *abandoned*, and
  its thread goes on in the background until the call returns (its value is discarded).
"""

from __future__ import annotations

import asyncio
import ctypes
import dataclasses
import functools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex

from livedag.graph import Graph, NodeKind

__all__ = ["NodeCancelledError", "NodeInterrupted", "NodeThreads", "install_sleep", "uninstall_sleep"]

_original_sleep = time.sleep
_local = threading.local()


class NodeInterrupted(KeyboardInterrupt):
    """Raised inside a node's thread when the kernel is interrupted (turned into ``NodeCancelledError``)."""


class NodeCancelledError(Exception):
    """A node stopped by an interrupt. An ``Exception``, so the scheduler sees a failed node and stops:
    a ``KeyboardInterrupt`` reaching the kernel's event loop through a task would stop the loop itself."""

    def __init__(self, node: str) -> None:
        self.node = node
        super().__init__(f"node `{node}` was interrupted")


def _interruptible_sleep(seconds: float | SupportsIndex, /) -> None:
    event: threading.Event | None = getattr(_local, "interrupt", None)
    if event is None:
        _original_sleep(seconds)
        return
    delay = float(seconds)  # type: ignore[arg-type,unused-ignore]  # SupportsIndex: a number, as for time.sleep
    if delay < 0:
        raise ValueError("sleep length must be non-negative")
    if event.wait(delay):
        raise NodeInterrupted("interrupted")


def install_sleep() -> None:
    """Make ``time.sleep`` interruptible in node threads (the same function everywhere else)."""
    time.sleep = _interruptible_sleep


def uninstall_sleep() -> None:
    if time.sleep is _interruptible_sleep:
        time.sleep = _original_sleep


def _raise_in(ident: int, error: type[BaseException] | None) -> None:
    exc = ctypes.py_object(error) if error is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), exc)


@dataclasses.dataclass(slots=True)
class _Running:
    node: str
    ident: int
    event: threading.Event


class NodeThreads:
    """Which thread runs which sync node of one run; ``interrupt`` stops them."""

    def __init__(self) -> None:
        # Reentrant: ``interrupt`` runs in a signal handler, on the main thread, maybe while that thread holds
        # the lock in ``running`` (it only sets flags and events, so re-entering is safe).
        self._lock = threading.RLock()
        self._running: dict[int, _Running] = {}
        self._idle = threading.Event()
        self._idle.set()
        self.interrupted = False

    def wrap(self, graph: Graph) -> Graph:
        """The same graph, with every sync (and generator) node function reporting its thread here."""
        specs = []
        for spec in graph.nodes.values():
            if spec.function is not None and spec.kind in (NodeKind.SYNC, NodeKind.GENERATOR):
                spec = dataclasses.replace(spec, function=self._wrapped(spec.name, spec.function, spec.kind))
            specs.append(spec)
        return Graph.from_specs(specs)

    def _wrapped(self, name: str, function: Callable[..., Any], kind: NodeKind) -> Callable[..., Any]:
        if kind is NodeKind.GENERATOR:

            @functools.wraps(function)
            def stream(*args: Any, **kwargs: Any) -> Iterator[Any]:
                __tracebackhide__ = True
                try:
                    with self._running_as(name):
                        yield from function(*args, **kwargs)
                except NodeInterrupted:
                    raise NodeCancelledError(name) from None

            return stream

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            try:
                with self._running_as(name):
                    return function(*args, **kwargs)
            except NodeInterrupted:
                raise NodeCancelledError(name) from None

        return call

    def _enter(self, name: str) -> _Running:
        entry = _Running(name, threading.get_ident(), threading.Event())
        with self._lock:
            if self.interrupted:
                raise NodeInterrupted("interrupted")
            self._running[entry.ident] = entry
            self._idle.clear()
        _local.interrupt = entry.event
        return entry

    def _leave(self, entry: _Running) -> None:
        _local.interrupt = None
        with self._lock:
            self._running.pop(entry.ident, None)
            if not self._running:
                self._idle.set()
            if self.interrupted:
                _raise_in(entry.ident, None)  # clear an interrupt that arrived as the node returned

    def _running_as(self, name: str) -> _Context:
        return _Context(self, name)

    def interrupt(self) -> None:
        """Stop every node thread of this run (and any that starts from now on)."""
        with self._lock:
            self.interrupted = True
            for entry in self._running.values():
                entry.event.set()
                _raise_in(entry.ident, NodeInterrupted)

    def running(self) -> list[str]:
        with self._lock:
            return [entry.node for entry in self._running.values()]

    async def stopped(self, timeout: float) -> list[str]:
        """Wait up to ``timeout`` s for the node threads to stop; the nodes still running (abandoned)."""
        if not self._idle.is_set():
            await asyncio.to_thread(self._idle.wait, timeout)
        return self.running()


class _Context:
    __slots__ = ("_entry", "_name", "_threads")

    def __init__(self, threads: NodeThreads, name: str) -> None:
        self._threads = threads
        self._name = name
        self._entry: _Running | None = None

    def __enter__(self) -> None:
        self._entry = self._threads._enter(self._name)

    def __exit__(self, *_: object) -> None:
        if self._entry is not None:
            self._threads._leave(self._entry)
