"""``Run``: the record a run leaves behind, per node and as a whole.

Built once, when the run is over, from the scheduler's per-node arrays; read-only afterwards.
``values`` holds every node value that was computed or given (``done`` and ``cached`` nodes), so
a failed or partly skipped run never loses what did succeed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livedag.execution.errors import NodeFailedError
from livedag.execution.events import NodeRecord, RunStatus
from livedag.execution.hooks import HookError

__all__ = ["Run"]

_HAS_VALUE = (RunStatus.DONE, RunStatus.CACHED)


class Run:
    """One finished (or stopped) run: ``records`` per node, ``outputs`` requested, status helpers."""

    __slots__ = ("_error", "duration", "graceful", "hook_errors", "outputs", "records", "run_id", "started")

    def __init__(
        self,
        run_id: str,
        records: dict[str, NodeRecord],
        outputs: dict[str, Any],
        *,
        started: float,
        duration: float,
        graceful: bool,
        hook_errors: tuple[HookError, ...] = (),
    ) -> None:
        self.run_id = run_id
        self.records: Mapping[str, NodeRecord] = records
        self.outputs = outputs
        """The requested outputs that are available (all of them when the run is ``ok``)."""
        self.started = started
        """``time.time()`` when the run started."""
        self.duration = duration
        self.graceful = graceful
        self.hook_errors = hook_errors
        self._error: NodeFailedError | None = None

    @property
    def values(self) -> dict[str, Any]:
        return {name: record.value for name, record in self.records.items() if record.status in _HAS_VALUE}

    @property
    def status(self) -> dict[str, RunStatus]:
        return {name: record.status for name, record in self.records.items()}

    @property
    def durations(self) -> dict[str, float]:
        return {name: record.duration for name, record in self.records.items() if record.duration is not None}

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(name for name, record in self.records.items() if record.status is RunStatus.FAILED)

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(name for name, record in self.records.items() if record.status is RunStatus.SKIPPED)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped

    @property
    def error(self) -> NodeFailedError | None:
        """The error ``execute`` raises for this run: about the first node that failed."""
        if self._error is None:
            first = min(
                (record for record in self.records.values() if record.status is RunStatus.FAILED),
                key=lambda record: record.ended or 0.0,
                default=None,
            )
            if first is None or first.error is None:
                return None
            self._error = NodeFailedError(first.name, None, first.error, self)
            self._error.__cause__ = first.error
        return self._error

    def set_error(self, error: NodeFailedError) -> None:
        self._error = error

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for record in self.records.values():
            counts[record.status.value] = counts.get(record.status.value, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in counts.items())
        return f"<Run {self.run_id} {'ok' if self.ok else 'not ok'}: {summary}; {self.duration:.3f} s>"
