"""Execution: plan -> run. One scheduler, sync and async entry points, events, hooks, results.

``Driver`` is the entry point; ``events`` is the contract for everything that watches a run.
"""

from __future__ import annotations

from livedag.execution.driver import Driver
from livedag.execution.errors import (
    ExecutionError,
    InputTypeIssue,
    InvalidRunError,
    NodeFailedError,
    NodeTimeoutError,
    RunningLoopError,
)
from livedag.execution.events import (
    HookFailed,
    NodeCached,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeSkipped,
    NodeStarted,
    RunEvent,
    RunFinished,
    RunStarted,
    RunStatus,
)
from livedag.execution.hooks import HookError
from livedag.execution.result import Run

__all__ = [
    "Driver",
    "Run",
    "ExecutionError",
    "InputTypeIssue",
    "InvalidRunError",
    "NodeFailedError",
    "NodeTimeoutError",
    "RunningLoopError",
    "HookError",
    "HookFailed",
    "NodeCached",
    "NodeChunk",
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
