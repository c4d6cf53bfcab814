"""``DaskExecutor``: node bodies as Dask tasks; values stay on the workers as ``Future``s.

Each node is one task returning its value together with a small ``Ran`` record; the worker also
sends the ``Ran`` to the driver as a Dask event (``log_event`` on a topic of this executor), so the
driver never fetches anything from a node that succeeded. The next nodes take the pair's future and
unwrap it on the worker. An expanded node becomes one tiny task per item, so the items fan out as separate
tasks. Dask cannot stop a running task by itself: cancelling raises ``BodyCancelled`` in the
thread running the body (the way ``ray.cancel`` raises ``KeyboardInterrupt``).
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import re
import threading
import uuid
from collections.abc import Sequence
from typing import Any

from livedag.execution.executor import NodeCall
from livedag.executors.body import BodyCancelled, BodyFailed, Layout, Ran, flatten, item_of, run_body, value_of
from livedag.executors.errors import SerializationError, WorkerLostError
from livedag.executors.local import remote_failure, unpicklable
from livedag.executors.shipping import by_value_module, register

__all__ = ["BodyCancelled", "DaskExecutor"]

_COPY = re.compile(r"\[(\d+)\]$")
_KEY = re.compile(r"(item-)?livedag-(.+)-[0-9a-f]{32}((?:-\d+)*)$")
_CANNOT_PICKLE = re.compile(r"cannot pickle '([^']+)'")
_RUNNING: dict[str, int] = {}
"""On a worker: task key -> the thread running that node body."""
_CANCELLED: collections.deque[str] = collections.deque(maxlen=4096)
"""On a worker: keys cancelled before a body registered its thread (the body stops as it starts)."""
_REGISTRY = threading.Lock()


_LOADED: dict[bytes, Any] = {}
"""On a worker: functions that came by value, by their pickle."""


def dask_body(
    topic: str,
    node: str,
    function: Any,
    kind: Any,
    expands: bool,
    pairs: tuple[bool, ...],
    layout: Layout,
    *flat: Any,
) -> tuple[Any, Ran]:
    from distributed import get_worker

    worker = get_worker()
    key = str(worker.get_current_task())
    with _REGISTRY:
        if key in _CANCELLED:  # the cancel came between the task starting and this line
            _CANCELLED.remove(key)
            raise BodyCancelled(key)
        _RUNNING[key] = threading.get_ident()
    try:
        if isinstance(function, bytes):  # shipped by value (see ``shipping``): Dask pickles by reference first
            if function not in _LOADED:
                import cloudpickle  # type: ignore[import-untyped]

                _LOADED[function] = cloudpickle.loads(function)
            function = _LOADED[function]
        value, ran = run_body(node, function, kind, expands, pairs, layout, *flat)
    finally:
        with _REGISTRY:  # an interruption set before this raises here, in this function, at the latest
            _RUNNING.pop(key, None)
    worker.log_event(topic, (key, ran.started, ran.duration, ran.count))
    return value, ran


def interrupt(keys: Sequence[str]) -> int:
    """On each worker: raise ``BodyCancelled`` in the threads running these keys; how many were running."""
    count = 0
    with _REGISTRY:
        for key in keys:
            ident = _RUNNING.get(key)
            if ident is None:  # not started here (yet): if it starts on this worker, it stops at once
                _CANCELLED.append(key)
                continue
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(BodyCancelled))
            count += 1
    return count


class DaskExecutor:
    """Run node bodies on Dask: a ``distributed.Client``, a scheduler address, the client already current
    in this process, or else a ``LocalCluster`` of worker processes on 127.0.0.1 that this executor owns."""

    inline = False
    remote = True
    engine = "Dask"

    def __init__(self, client_or_address: Any = None) -> None:
        self.target = client_or_address
        self._client: Any = None
        self._future: type = type(None)
        self._owned: list[Any] = []
        self._by_value: set[str] = set()
        self._pickled: dict[Any, bytes] = {}
        self.running: dict[str, str] = {}
        """Task keys in flight -> node name."""
        self.topic = f"livedag-ran-{uuid.uuid4().hex}"
        self._ran: dict[str, Ran] = {}
        self._waiting: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = {}

    def client(self) -> Any:
        if self._client is not None:
            return self._client
        import distributed

        self._future = distributed.Future
        target = self.target
        if isinstance(target, distributed.Client):
            self._client = target
        elif isinstance(target, str):
            self._client = distributed.Client(target)  # type: ignore[no-untyped-call]
            self._owned.append(self._client)
        else:
            try:
                self._client = distributed.get_client()
            except ValueError:
                cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    host="127.0.0.1", dashboard_address=None, processes=True
                )
                self._client = distributed.Client(cluster)  # type: ignore[no-untyped-call]
                self._owned += [self._client, cluster]
        self._client.subscribe_topic(self.topic, self._on_ran)
        return self._client

    def _on_ran(self, event: tuple[float, tuple[str, float, float, int]]) -> None:
        """On the client's thread: a body finished; wake the node waiting for it."""
        key, started, duration, count = event[1]
        self._ran[key] = Ran(started, duration, count)
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            loop, waiter = waiting
            loop.call_soon_threadsafe(_settle, waiter)

    async def submit(self, call: NodeCall) -> Any:
        client = self.client()
        layout, flat = flatten(call.args, call.kwargs, call.gather, call.collect)
        # The key's prefix is the node (its items share one): Dask learns each prefix's duration, and
        # steals work between workers by it.
        key = task_key(call.node)
        pairs = tuple(isinstance(value, self._future) for value in flat)
        loop = asyncio.get_running_loop()
        arrived: asyncio.Future[None] = loop.create_future()
        self._waiting[key] = (loop, arrived)
        try:
            pair = client.submit(
                dask_body,
                self.topic,
                call.node,
                self._shipped(call.function),
                call.kind,
                call.expands,
                pairs,
                layout,
                *flat,
                key=key,
                pure=False,
            )
        except TypeError as error:  # an argument or the function cannot be pickled
            self._waiting.pop(key, None)
            raise self._failure(call, error) from error
        self.running[key] = call.node
        try:
            await _done(pair)
            if pair.status != "finished":
                pair.result()  # raises the body's error (or why the task was lost)
            if key not in self._ran:
                await arrived  # the body's ``Ran`` event comes with (or just after) the result
            ran = self._ran.pop(key)
        except asyncio.CancelledError:
            self.cancel([key], [pair])
            raise
        except BodyFailed as failed:
            raise remote_failure(failed, self.engine) from failed.error
        except Exception as error:
            raise self._failure(call, error) from error
        finally:
            self.running.pop(key, None)
            self._waiting.pop(key, None)
        call.started, call.duration, call.count = ran.started, ran.duration, ran.count
        return pair

    def _shipped(self, function: Any) -> Any:
        """The function, or its cloudpickle when its module must travel by value."""
        if by_value_module(function) is None:
            return function
        if function not in self._pickled:
            import cloudpickle

            register(function, cloudpickle, self._by_value)
            self._pickled[function] = cloudpickle.dumps(function)
        return self._pickled[function]

    def cancel(self, keys: list[str], futures: list[Any]) -> None:
        client = self.client()
        client.cancel(futures, force=True)
        client.run(interrupt, keys)

    def _failure(self, call: NodeCall, error: Exception) -> Exception:
        from distributed.scheduler import KilledWorker

        if isinstance(error, KilledWorker):
            return WorkerLostError(call.node, self.engine, str(error).splitlines()[0])
        import cloudpickle

        found = unpicklable(call, error, cloudpickle.dumps)  # what Dask falls back to for a function
        return found if found is not None else error

    def split(self, value: Any, count: int) -> list[Any]:
        client = self.client()
        # Spread the items over the workers (round robin): the nodes of each item follow their item's data.
        workers = sorted(client.scheduler_info().get("workers", {})) or [None]
        return [
            client.submit(
                item_of,
                value,
                k,
                key=f"item-{value.key}-{k}",
                pure=False,
                workers=workers[k % len(workers)],
                allow_other_workers=True,
            )
            for k in range(count)
        ]

    async def fetch(self, values: Sequence[Any]) -> list[Any]:
        if not values:
            return []
        client = self.client()
        try:
            pairs = await asyncio.to_thread(client.gather, list(values))
        except Exception as error:
            raise await self._fetch_failure(values, error) from error
        return [value_of(pair) for pair in pairs]

    async def _fetch_failure(self, values: Sequence[Any], error: Exception) -> Exception:
        """A value that cannot come back (Dask pickles it only now, to move it): the node and the type."""
        text = str(error)
        if "pickle" not in text and "serializ" not in text:
            return error
        for future in values:  # the error names no task: find the one that cannot be fetched
            try:
                await asyncio.to_thread(self.client().gather, [future])
            except Exception:  # noqa: BLE001 - this is the question being asked
                match = _CANNOT_PICKLE.search(text)
                return SerializationError(node_of(future.key), "value", match.group(1) if match else "?", text)
        return error

    def close(self) -> None:
        for owned in reversed(self._owned):
            owned.close()
        self._owned = []
        self._client = None

    def __repr__(self) -> str:
        return f"DaskExecutor({self.target!r})"


def task_key(node: str) -> str:
    """A fresh task key for a node: its prefix is the node without a copy's ``[k]`` (the copies share it)."""
    copy = _COPY.search(node)
    return f"livedag-{_COPY.sub('', node)}-{uuid.uuid4().hex}" + (f"-{copy.group(1)}" if copy else "")


def node_of(key: str) -> str:
    """The node a task key names: ``livedag-<node>-<uuid>``, ``livedag-<node>-<uuid>-<k>`` for the copy
    ``<node>[k]`` of an expanded node, and ``item-`` plus the key and ``-<item>`` for an item of its value."""
    match = _KEY.match(key)
    if match is None:
        return key
    is_item, name, suffix = match.groups()
    numbers = suffix.split("-")[1:]
    if is_item:
        numbers = numbers[:-1]
    return f"{name}[{numbers[0]}]" if numbers else name


def _settle(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def _done(future: Any) -> None:
    """Wait on the driver's loop for a Dask future (its callbacks run on the client's thread)."""
    if future.done():
        return
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()

    def wake(_: Any) -> None:
        loop.call_soon_threadsafe(_settle, waiter)

    future.add_done_callback(wake)
    await waiter
