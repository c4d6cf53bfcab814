"""The node-executor seam: how one node body runs, given its arguments.

The scheduler owns *when* a node runs (the ready-set, fail-fast, graceful, cancellation, hooks,
events, retries, timeouts); an executor owns *where*: ``submit(call)`` returns an awaitable of the
node's value. ``InlineExecutor`` (the default) keeps everything in the driver: plain sync nodes are
called by the scheduler itself (``inline``), async nodes run on the driver's loop, ``in_thread``
nodes in a thread pool. The executors of ``livedag.executors`` run bodies in threads, processes, on
Ray or on Dask; a ``remote`` executor's values are handles (Ray ``ObjectRef``, Dask ``Future``) that
stay on the cluster and are fetched (``fetch``) only for the requested outputs.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from livedag.graph import NodeKind

__all__ = ["InlineExecutor", "NodeCall", "NodeExecutor", "ValuesInProcess", "drain_async", "in_pool"]

Chunk = Callable[[int, Any], None]


@dataclass(slots=True, eq=False)
class NodeCall:
    """One attempt of one node, as the executor sees it.

    The executor may fill in ``started`` (``time.time()`` when the body began) and ``duration``
    (seconds the body ran) when the body ran elsewhere, so hooks and records carry the times the body
    really ran; ``count`` is the number of items an expanding (``Parallelizable``) node produced.
    """

    node: str
    function: Callable[..., Any]
    kind: NodeKind
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    thread: bool = False
    """Inline executor only: run this sync node in the driver's thread pool."""
    expands: bool = False
    """A ``Parallelizable`` node: its value is the list of its items."""
    gather: int = -1
    """Position in ``args`` of a ``Collect`` argument: a list of values (handles, on a remote engine)."""
    collect: str | None = None
    """The name of that parameter (in ``kwargs`` when ``gather`` is -1)."""
    chunk: Chunk | None = None
    """Called with (index, item) for each item a generator node yields, when someone listens."""
    fetch_chunks: bool = False
    """Remote executors: give ``chunk`` each item's value, not its handle (the run fetches every value)."""
    started: float | None = None
    duration: float | None = None
    count: int = -1


@runtime_checkable
class NodeExecutor(Protocol):
    """Where node bodies run. ``inline``: plain sync nodes are called by the scheduler, not submitted.

    ``remote``: values are handles; ``split`` makes one handle per item of an expanded node's value,
    ``fetch`` brings values back to the driver. Cancelling the awaitable ``submit`` returned must
    cancel the body (a remote task is cancelled, not abandoned). An executor whose bodies run in other
    processes without handles (``ProcessExecutor``) may say ``elsewhere = True``: the hooks then take each
    node's times from ``NodeCall.started``/``duration``, as for a remote one.
    """

    inline: bool
    remote: bool

    def submit(self, call: NodeCall) -> Awaitable[Any]: ...

    def split(self, value: Any, count: int) -> list[Any]: ...

    async def fetch(self, values: Sequence[Any]) -> list[Any]: ...

    def close(self) -> None: ...


async def drain_async(call: NodeCall, stream: Any) -> list[Any]:
    items: list[Any] = []
    async with aclosing(stream) as opened:
        async for item in opened:
            if call.chunk is not None:
                call.chunk(len(items), item)
            items.append(item)
    return items


def _drain(call: NodeCall, value: Any, report: Chunk | None) -> Any:
    if call.kind is NodeKind.GENERATOR:
        items: list[Any] = []
        for item in value:
            if report is not None:
                report(len(items), item)
            items.append(item)
        return items
    return list(value) if call.expands else value


def _call_in_thread(call: NodeCall, loop: asyncio.AbstractEventLoop) -> Any:
    """In a worker thread: call the node; a generator's items go back to the loop as chunk events."""
    chunk = call.chunk
    report: Chunk | None = None
    if chunk is not None:

        def report(index: int, item: Any) -> None:
            loop.call_soon_threadsafe(chunk, index, item)

    return _drain(call, call.function(*call.args, **call.kwargs), report)


async def in_pool(pool: Executor, call: NodeCall) -> Any:
    """A sync node in a thread pool (the caller's context variables go along)."""
    loop = asyncio.get_running_loop()
    work = functools.partial(_call_in_thread, call, loop)
    return await loop.run_in_executor(pool, contextvars.copy_context().run, work)


class ValuesInProcess:
    """For executors whose node values come back to the driver as plain objects: a fan-out's value is its
    items, and fetching a value is having it."""

    def split(self, value: Any, count: int) -> list[Any]:
        return list(value)

    async def fetch(self, values: Sequence[Any]) -> list[Any]:
        return list(values)


class InlineExecutor(ValuesInProcess):
    """The default: bodies run in the driver (async ones on its loop, ``in_thread`` ones in threads)."""

    inline = True
    remote = False

    def __init__(self, max_workers: int | None = None) -> None:
        self._max_workers = max_workers
        self._pool: ThreadPoolExecutor | None = None

    async def submit(self, call: NodeCall) -> Any:
        kind = call.kind
        if kind is NodeKind.ASYNC:
            value = await call.function(*call.args, **call.kwargs)
            return list(value) if call.expands else value
        if kind is NodeKind.ASYNC_GENERATOR:
            return await drain_async(call, call.function(*call.args, **call.kwargs))
        if call.thread:
            return await in_pool(self.pool(), call)
        return _drain(call, call.function(*call.args, **call.kwargs), call.chunk)

    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._max_workers, thread_name_prefix="livedag-node")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return "InlineExecutor()"
