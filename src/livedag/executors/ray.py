"""``RayExecutor``: node bodies as Ray tasks; values stay in Ray's object store as ``ObjectRef``s.

Each node is one task with two returns: its value (passed on to the next tasks as a ref, never
fetched unless it is a requested output) and a small ``Ran`` record (when the body ran, for how long,
how many items it expanded into), which is all the driver awaits. An expanded node's list becomes one
ref per item with one more task (``num_returns=n``), so the items fan out as separate tasks.
Cancelling the await cancels the task (``ray.cancel``: a ``KeyboardInterrupt`` in a running body).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from livedag.execution.executor import NodeCall
from livedag.executors.body import BodyFailed, Ran, flatten, run_body, split_items
from livedag.executors.errors import SerializationError, WorkerLostError
from livedag.executors.local import remote_failure, unpicklable
from livedag.executors.shipping import register

__all__ = ["RayExecutor"]

_TYPE = re.compile(r"cannot pickle '([^']+)'")


class RayExecutor:
    """Run node bodies on Ray: the cluster at ``address``, the Ray already initialised in this process,
    or a local one started with ``ray.init(**init)`` (bound to 127.0.0.1)."""

    inline = False
    remote = True
    engine = "Ray"

    def __init__(self, address: str | None = None, **init: Any) -> None:
        self.address = address
        self.init = init
        self._ray: Any = None
        self._owned = False
        self._body: Any = None
        self._split: Any = None
        self._by_value: set[str] = set()
        self.running: dict[Any, str] = {}
        """Value refs of tasks in flight -> node name (what a cancellation cancels)."""

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
        self._ray = ray
        return ray

    async def submit(self, call: NodeCall) -> Any:
        ray = self._start()
        register(call.function, ray.cloudpickle, self._by_value)
        layout, flat = flatten(call.args, call.kwargs, call.gather, call.collect)
        try:
            value, ran_ref = self._body.remote(call.node, call.function, call.kind, call.expands, (), layout, *flat)
        except TypeError as error:
            found = unpicklable(call, error, ray.cloudpickle.dumps)
            raise (found or error) from error
        self.running[value] = call.node
        try:
            ran: Ran = await ran_ref
        except asyncio.CancelledError:
            ray.cancel(value, force=False)
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
            self.running.pop(value, None)
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
        if self._owned and self._ray is not None:
            self._ray.shutdown()
        self._ray = None
        self._owned = False

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r})"
