"""Executors on ``concurrent.futures``: worker threads, and worker processes on this machine.

``ThreadExecutor`` runs sync node bodies in a thread pool (async nodes stay on the driver's loop:
they already overlap there). ``ProcessExecutor`` runs every body in a process pool, async ones in
the worker process's own event loop; arguments and values cross as pickles each time (there is no
object store), so it pays off for CPU-bound nodes whose values are small next to their work.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import re
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from livedag.execution.executor import InlineExecutor, NodeCall, ValuesInProcess
from livedag.executors.body import BodyFailed, Ran, flatten
from livedag.executors.errors import RemoteNodeError, SerializationError, WorkerLostError
from livedag.executors.interrupts import Interrupts, interruptible_body, start_worker

__all__ = ["ProcessExecutor", "ThreadExecutor", "remote_failure", "unpicklable"]


class ThreadExecutor(InlineExecutor):
    """Every sync node body in a pool of ``max_workers`` threads (``None``: ``concurrent.futures``' default)."""

    inline = False

    async def submit(self, call: NodeCall) -> Any:
        call.thread = True
        return await super().submit(call)

    def __repr__(self) -> str:
        return f"ThreadExecutor(max_workers={self._max_workers})"


class ProcessExecutor(ValuesInProcess):
    """Every node body in a pool of ``max_workers`` processes (forked on Linux, so the graph's modules are
    already imported there; elsewhere they must be importable by name)."""

    inline = False
    remote = False
    elsewhere = True
    """Bodies run in other processes: hooks learn when each ran from the body's own times (``BindExecutor``)."""
    engine = "process"

    def __init__(self, max_workers: int | None = None) -> None:
        self.max_workers = max_workers
        self._pool: ProcessPoolExecutor | None = None
        self._interrupts: Interrupts | None = None
        self.running: dict[int, str] = {}
        """Calls in flight (their tokens) -> node name."""

    def _executor(self) -> tuple[ProcessPoolExecutor, Interrupts]:
        if self._pool is None or self._interrupts is None:
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            context = multiprocessing.get_context(method)
            self._interrupts = Interrupts(context)
            self._pool = ProcessPoolExecutor(
                self.max_workers, mp_context=context, initializer=start_worker, initargs=(self._interrupts.table,)
            )
        return self._pool, self._interrupts

    async def submit(self, call: NodeCall) -> Any:
        layout, flat = flatten(call.args, call.kwargs, call.gather, call.collect)
        pool, interrupts = self._executor()
        token = interrupts.token()
        future: Future[tuple[Any, Ran]] = pool.submit(
            interruptible_body, token, call.node, call.function, call.kind, call.expands, (), layout, *flat
        )
        self.running[token] = call.node
        try:
            value, ran = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if not future.cancel():  # taken by a worker: interrupt its body (see ``interrupts``)
                interrupts.interrupt(token, _pids(pool))
            raise
        except BodyFailed as failed:
            raise remote_failure(failed, self.engine) from failed.error
        except BrokenProcessPool as error:
            self._pool = None
            raise WorkerLostError(call.node, self.engine, str(error) or "the process pool broke") from error
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            found = unpicklable(call, error)
            if found is None:
                raise
            raise found from error
        finally:
            self.running.pop(token, None)
        call.started, call.duration, call.count = ran.started, ran.duration, ran.count
        return value

    def close(self) -> None:
        """Shut the pool down; a body still running (one a timeout or cancellation left) is terminated."""
        if self._pool is not None:
            processes = list((getattr(self._pool, "_processes", None) or {}).values())  # no public handle
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            self._pool = None

    def __repr__(self) -> str:
        return f"ProcessExecutor(max_workers={self.max_workers})"


def _pids(pool: ProcessPoolExecutor) -> list[int]:
    """The pool's worker processes (``concurrent.futures`` has no public handle on them)."""
    return list(getattr(pool, "_processes", None) or {})


def remote_failure(failed: BodyFailed, engine: str) -> RemoteNodeError:
    return RemoteNodeError(failed.node, engine, failed.error_type, failed.message, failed.text)


_CANNOT_PICKLE = re.compile(r"(?:cannot pickle|Can't pickle|Could not serialize)\s+'?<?([\w.<> ]+?)'?(?: object|>|:|$)")


def unpicklable(call: NodeCall, error: BaseException, dumps: Any = pickle.dumps) -> SerializationError | None:
    """Which of the node's function, arguments or value could not be pickled, or ``None`` if it is not that."""
    text = str(error)
    if "pickle" not in text and "serializ" not in text:
        return None
    try:
        dumps(call.function)
    except Exception as inner:  # noqa: BLE001 - this is the question being asked
        detail = (str(inner) or text).splitlines()[0]
        return SerializationError(call.node, "function", type(call.function).__name__, detail)
    named = [(f"argument #{k}", value) for k, value in enumerate(call.args)]
    named += [(f"argument `{key}`", value) for key, value in call.kwargs.items()]
    for what, value in named:
        try:
            dumps(value)
        except Exception:  # noqa: BLE001 - this is the question being asked
            return SerializationError(call.node, what, type(value).__name__, text.splitlines()[0])
    match = _CANNOT_PICKLE.search(text)
    return SerializationError(call.node, "value", match.group(1) if match else "?", text.splitlines()[0])
