"""Run events: what a run reports as it happens, and the per-node record it leaves behind.

This is the contract between the scheduler and everything that watches a run (the CLI progress
display, the notebook widget, the language server's worker). Events are plain frozen dataclasses
so they can be matched with ``match`` and serialised with ``dataclasses.asdict``.
"""

from __future__ import annotations

import enum
import time as _time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NodeCached",
    "NodeChunk",
    "HookFailed",
    "NodeFailed",
    "NodeFinished",
    "NodeRecord",
    "NodeSkipped",
    "NodeStarted",
    "RunEvent",
    "RunFinished",
    "RunStarted",
    "RunStatus",
]


class RunStatus(enum.Enum):
    """Final (or current) state of one node in a run. Values match ``livedag.render.NodeStatus``."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    CACHED = "cached"


@dataclass(frozen=True, slots=True)
class RunStarted:
    run_id: str
    nodes: tuple[str, ...]
    """Every node the run will consider, in topological order."""
    time: float
    """``time.time()`` wall clock, for display; durations use ``time.perf_counter``."""


@dataclass(frozen=True, slots=True)
class NodeStarted:
    run_id: str
    node: str
    attempt: int
    time: float


@dataclass(frozen=True, slots=True)
class NodeChunk:
    """One item produced by a generator or async-generator node."""

    run_id: str
    node: str
    index: int
    value: Any
    time: float = field(default_factory=_time.time)
    """``time.time()`` when the item was produced (taken when the event is built)."""


@dataclass(frozen=True, slots=True)
class NodeFinished:
    """A node's body finished. On a remote executor ``value`` is the handle (a Ray ``ObjectRef``, a Dask
    ``Future``); a requested output then finishes a second time, after the run, with its fetched value."""

    run_id: str
    node: str
    value: Any
    duration: float
    """Seconds, all attempts included."""


@dataclass(frozen=True, slots=True)
class NodeCached:
    """A node whose value was given (override) or reused, so it did not run."""

    run_id: str
    node: str
    value: Any


@dataclass(frozen=True, slots=True)
class NodeFailed:
    run_id: str
    node: str
    error: BaseException
    duration: float
    traceback: str


@dataclass(frozen=True, slots=True)
class NodeSkipped:
    """Not run because something it needs failed (graceful mode) or the run was stopped."""

    run_id: str
    node: str
    reason: str
    blocked_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunFinished:
    run_id: str
    ok: bool
    duration: float


@dataclass(frozen=True, slots=True)
class HookFailed:
    """A lifecycle hook raised; the run goes on. ``hook`` is ``Class.method``."""

    run_id: str
    hook: str
    node: str | None
    error: BaseException
    traceback: str


RunEvent = (
    RunStarted
    | NodeStarted
    | NodeChunk
    | NodeFinished
    | NodeCached
    | NodeFailed
    | NodeSkipped
    | RunFinished
    | HookFailed
)


@dataclass(slots=True)
class NodeRecord:
    """What happened to one node in one run; filled in as events arrive."""

    name: str
    status: RunStatus = RunStatus.PENDING
    started: float | None = None
    """``time.time()`` when the first attempt started."""
    ended: float | None = None
    duration: float | None = None
    value: Any = None
    error: BaseException | None = None
    traceback: str | None = None
    attempts: int = 0
    chunks: list[Any] = field(default_factory=list)
    skipped_because: tuple[str, ...] = ()
