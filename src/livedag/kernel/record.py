"""The ``Run`` record of a notebook run, folded from its events: also for a run that was interrupted.

The driver hands over its own ``Run`` when a run ends; an interrupted run never gets that far, so the
notebook keeps its own record from the events it streamed. ``RunRecorder.run`` then gives the
interrupted run with what did finish (``done`` and ``cached``, with their values), what failed, and two
distinct states for the rest: ``skipped`` with ``skipped_because=("cancelled: ...",)`` for a node that
was running, ``pending`` with ``skipped_because=("not started: ...",)`` for one that never started.
Pure: no IPython.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from livedag.execution.events import (
    NodeCached,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeSkipped,
    NodeStarted,
    RunEvent,
    RunStarted,
    RunStatus,
)
from livedag.execution.result import Run
from livedag.kernel.threads import NodeCancelledError

__all__ = ["CANCELLED_REASON", "NOT_STARTED_REASON", "RunRecorder"]

CANCELLED_REASON = "cancelled: the kernel was interrupted while it ran"
NOT_STARTED_REASON = "not started: the kernel was interrupted before it could start"


def _needs(record: NodeRecord) -> bool:
    """Skipped because something it needs failed (graceful mode), not because of the interrupt."""
    return any(reason.startswith("needs ") for reason in record.skipped_because)


class RunRecorder:
    """Per-node records built from the run's events, in the order the run announced its nodes."""

    def __init__(self) -> None:
        self.run_id = ""
        self.started = time.time()
        self._perf0 = time.perf_counter()
        self.records: dict[str, NodeRecord] = {}

    def apply(self, event: RunEvent) -> None:
        match event:
            case RunStarted(run_id=run_id, nodes=nodes, time=started):
                self.run_id, self.started = run_id, started
                for name in nodes:
                    self.records.setdefault(name, NodeRecord(name))
            case NodeStarted(node=node, attempt=attempt, time=started):
                record = self._record(node)
                record.status, record.attempts = RunStatus.RUNNING, attempt
                record.started = record.started if attempt > 1 and record.started else started
            case NodeFinished(node=node, value=value, duration=duration):
                record = self._record(node)
                record.status, record.value, record.duration = RunStatus.DONE, value, duration
                record.ended = time.time()
            case NodeCached(node=node, value=value):
                record = self._record(node)
                record.status, record.value = RunStatus.CACHED, value
            case NodeFailed(node=node, error=error, duration=duration, traceback=text):
                record = self._record(node)
                record.status, record.error, record.traceback = RunStatus.FAILED, error, text
                record.duration, record.ended = duration, time.time()
            case NodeSkipped(node=node, reason=reason):
                record = self._record(node)
                record.status, record.skipped_because = RunStatus.SKIPPED, (reason,)

    def _record(self, name: str) -> NodeRecord:
        record = self.records.get(name)
        if record is None:
            record = self.records[name] = NodeRecord(name)
        return record

    def values(self) -> dict[str, Any]:
        """Values of the nodes that finished (or were cached) so far."""
        return {
            name: record.value
            for name, record in self.records.items()
            if record.status in (RunStatus.DONE, RunStatus.CACHED)
        }

    def interrupted_run(self, outputs: Iterable[str], cancelled: Iterable[str]) -> Run:
        """The run as the interrupt left it; ``cancelled`` are the nodes that were running."""
        running = set(cancelled)
        for name, record in self.records.items():
            stopped = record.status is RunStatus.FAILED and isinstance(record.error, NodeCancelledError)
            was_running = name in running and record.status is not RunStatus.DONE
            if record.status is RunStatus.RUNNING or stopped or was_running:
                record.status, record.skipped_because = RunStatus.SKIPPED, (CANCELLED_REASON,)
                record.error = None
            elif record.status is RunStatus.SKIPPED and not _needs(record):
                cancelled_task = any(reason.startswith("cancelled") for reason in record.skipped_because)
                record.status = RunStatus.SKIPPED if cancelled_task else RunStatus.PENDING
                record.skipped_because = (CANCELLED_REASON if cancelled_task else NOT_STARTED_REASON,)
            elif record.status is RunStatus.PENDING:
                record.skipped_because = (NOT_STARTED_REASON,)
        values = self.values()
        wanted = list(outputs) or list(self.records)
        return Run(
            self.run_id or "interrupted",
            dict(self.records),
            {name: values[name] for name in wanted if name in values},
            started=self.started,
            duration=time.perf_counter() - self._perf0,
            graceful=False,
        )
