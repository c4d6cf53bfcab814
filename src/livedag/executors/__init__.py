"""Where node bodies run: ``Driver(graph, executor=...)``.

- ``InlineExecutor`` (the default): in the driver, sync nodes called directly, async ones on its loop;
- ``ThreadExecutor(max_workers=None)``: sync bodies in worker threads;
- ``ProcessExecutor(max_workers=None)``: every body in worker processes (``concurrent.futures``);
- ``RayExecutor(address=None, **init)``: Ray tasks, values in Ray's object store (``livedag[ray]``);
- ``DaskExecutor(client_or_address=None)``: Dask tasks, values on the workers (``livedag[dask]``).

Ray and Dask are imported only when such an executor first runs a node. See ``docs/distributed.md``.
"""

from __future__ import annotations

from livedag.execution.executor import InlineExecutor, NodeCall, NodeExecutor
from livedag.executors.dask import DaskExecutor
from livedag.executors.errors import RemoteNodeError, SerializationError, WorkerLostError
from livedag.executors.local import ProcessExecutor, ThreadExecutor
from livedag.executors.ray import RayExecutor

__all__ = [
    "DaskExecutor",
    "InlineExecutor",
    "NodeCall",
    "NodeExecutor",
    "ProcessExecutor",
    "RayExecutor",
    "RemoteNodeError",
    "SerializationError",
    "ThreadExecutor",
    "WorkerLostError",
    "by_name",
    "shared",
]

NAMES = ("inline", "threads", "processes", "ray", "dask")


def by_name(name: str, address: str | None = None) -> NodeExecutor:
    """The executor a front end names (``--executor``, ``run.executor``): one of ``NAMES``."""
    if name == "inline":
        return InlineExecutor()
    if name == "threads":
        return ThreadExecutor()
    if name == "processes":
        return ProcessExecutor()
    if name == "ray":
        return RayExecutor(address)
    if name == "dask":
        return DaskExecutor(address)
    raise ValueError(f"unknown executor {name!r}: use one of {', '.join(NAMES)}")


_SHARED: dict[tuple[str, str | None], NodeExecutor] = {}


def shared(name: str, address: str | None = None) -> NodeExecutor:
    """One executor per (name, address) for the whole process, kept open between runs (the notebook's:
    a local Dask cluster or Ray is started once, not per cell)."""
    key = (name, address)
    if key not in _SHARED:
        _SHARED[key] = by_name(name, address)
    return _SHARED[key]
