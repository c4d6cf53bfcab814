"""``RayExecutor``: node bodies as Ray tasks; values stay in Ray's object store as ``ObjectRef``s.

Each node is one task with two returns: its value (passed on to the next tasks as a ref, never
fetched unless it is a requested output) and a small ``Ran`` record (when the body ran, for how long,
how many items it expanded into), which is all the driver awaits. An expanded node's list becomes one
ref per item with one more task (``num_returns=n``), so the items fan out as separate tasks.
Cancelling the await cancels the task (``ray.cancel``: a ``KeyboardInterrupt`` in a running body), and
``ray_cancel`` follows it until it has ended, since that cancel is best effort.

A generator node, when someone listens to the run's events, is a streaming generator task instead
(``num_returns="streaming"``, ``body.stream_body``): each item becomes an object of its own the moment it
is yielded, and its ``NodeChunk`` event (carrying the item's ``ObjectRef``) reaches the driver then,
before the body finishes; the node's value is still one ref to the whole list.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from livedag.execution.executor import Chunk, NodeCall
from livedag.executors.body import BodyFailed, Ran, flatten, run_body, split_items, stream_body
from livedag.executors.errors import SerializationError, WorkerLostError
from livedag.executors.local import remote_failure, unpicklable
from livedag.executors.ray_cancel import CancelledTasks
from livedag.executors.shipping import register

__all__ = ["RayExecutor"]

_TYPE = re.compile(r"cannot pickle '([^']+)'")


class RayExecutor:
    """Run node bodies on Ray: the cluster at ``address``, the Ray already initialised in this process,
    or a local one started with ``ray.init(**init)`` (bound to 127.0.0.1). A cancelled body that has not
    ended ``force_cancel_after`` seconds later has its worker killed."""

    inline = False
    remote = True
    engine = "Ray"

    def __init__(self, address: str | None = None, *, force_cancel_after: float = 10.0, **init: Any) -> None:
        self.address = address
        self.force_cancel_after = force_cancel_after
        """Seconds a cancelled body may take to end before its worker is killed (``ray.cancel(force=True)``)."""
        self.init = init
        self._ray: Any = None
        self._owned = False
        self._body: Any = None
        self._split: Any = None
        self._stream: Any = None
        self._by_value: set[str] = set()
        self.running: dict[Any, str] = {}
        """Value refs (streaming generators, for generator nodes) of tasks in flight -> node name."""
        self._cancelled: CancelledTasks | None = None

    @property
    def cancelled(self) -> CancelledTasks:
        """Tasks cancelled but not yet ended (followed until they have: see ``ray_cancel``)."""
        if self._cancelled is None:
            self._cancelled = CancelledTasks(self._start(), force_after=self.force_cancel_after)
        return self._cancelled

    def _start(self) -> Any:
        if self._ray is not None:
            return self._ray
        if "ray" not in sys.modules and self.address is None:
            # A Ray this process starts itself listens on 127.0.0.1 only (read when ``ray`` is imported).
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        import ray

        if not ray.is_initialized():
            ray.init(address=self.address, **self.init)
            self._owned = True
        self._body = ray.remote(run_body).options(num_returns=2, max_retries=0)
        self._split = ray.remote(split_items)
        self._stream = ray.remote(stream_body).options(num_returns="streaming", max_retries=0)
        self._ray = ray
        return ray

    async def submit(self, call: NodeCall) -> Any:
        ray = self._start()
        register(call.function, ray.cloudpickle, self._by_value)
        layout, flat = flatten(call.args, call.kwargs, call.gather, call.collect)
        chunk = call.chunk if call.kind.is_streaming else None
        try:
            if chunk is not None:
                task = self._stream.remote(call.node, call.function, call.kind, call.expands, layout, *flat)
            else:
                value, ran_ref = self._body.remote(call.node, call.function, call.kind, call.expands, (), layout, *flat)
                task = value
        except TypeError as error:
            found = unpicklable(call, error, ray.cloudpickle.dumps)
            raise (found or error) from error
        self.running[task] = call.node
        try:
            if chunk is not None:
                value, ran = await _follow(task, chunk, call.fetch_chunks)
            else:
                ran = await ran_ref
        except asyncio.CancelledError:
            self.cancelled.cancel(task, task.completed() if chunk is not None else ran_ref)
            raise
        except ray.exceptions.RayTaskError as error:
            cause = getattr(error, "cause", None)
            original = cause.error if isinstance(cause, BodyFailed) and cause.error is not None else error
            raise self._failure(call, error) from original
        except (
            ray.exceptions.WorkerCrashedError,
            ray.exceptions.NodeDiedError,
            ray.exceptions.ObjectLostError,
            ray.exceptions.RayActorError,
        ) as error:
            raise WorkerLostError(call.node, self.engine, type(error).__name__) from error
        finally:
            self.running.pop(task, None)
        call.started, call.duration, call.count = ran.started, ran.duration, ran.count
        return value

    def _failure(self, call: NodeCall, error: Any) -> Exception:
        cause = getattr(error, "cause", None)
        if isinstance(cause, BodyFailed):
            return remote_failure(cause, self.engine)
        text = str(cause if cause is not None else error)
        if "pickle" in text or "serializ" in text:  # the value could not be stored
            match = _TYPE.search(text)
            return SerializationError(call.node, "value", match.group(1) if match else "?", text.splitlines()[-1])
        return remote_failure(BodyFailed(call.node, type(cause or error).__name__, text, str(error), None), self.engine)

    def split(self, value: Any, count: int) -> list[Any]:
        if count <= 0:
            return []
        refs = self._split.options(num_returns=count).remote(value)
        return [refs] if count == 1 else list(refs)

    async def fetch(self, values: Sequence[Any]) -> list[Any]:
        if not values:
            return []
        return list(await asyncio.gather(*values))

    def close(self) -> None:
        if self._cancelled is not None:
            self._cancelled.wait(self._cancelled.force_after + 5)  # Ray still up while they end
            self._cancelled = None
        if self._owned and self._ray is not None:
            self._ray.shutdown()
        self._ray = None
        self._owned = False

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r})"


async def _follow(stream: Any, chunk: Chunk, fetch: bool) -> tuple[Any, Ran]:
    """Read a ``stream_body`` generator (a Ray ``ObjectRefGenerator``): report each item's ref (its value, when
    ``fetch``) as it comes;
    the whole value's ref and its ``Ran`` at the end. Only the markers are fetched: ``async for`` on the
    generator fetches every object it waits for, so the object after a marker is taken without that."""
    index = 0
    value: Any = None
    while True:
        try:
            marker = await anext(stream)
        except StopAsyncIteration:  # the last object held the task's error (an item it could not store)
            if value is not None:
                await value
            raise RuntimeError("a streamed node body ended without its value") from None
        note = await marker  # ``None``, the ``Ran``, or the task's error raised here
        value = next(stream) if stream.next_ready() else await asyncio.to_thread(next, stream, None)
        if value is None or value == stream.completed():  # the task failed: its error is raised here
            await (value if value is not None else stream.completed())
            raise RuntimeError("a streamed node body ended without its value")
        if note is None:
            chunk(index, (await value) if fetch else value)
            index += 1
        else:
            return value, note
