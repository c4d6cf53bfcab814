"""Watching a run from its events: per-node records folded from the stream, and text for people.

``Progress.apply(event)`` keeps one ``NodeRecord`` per node up to date, so anything that consumes
``Driver.astream`` (the CLI, a notebook widget) shows the same thing the ``Run`` record says.
The formatting functions are pure: value previews, one progress line per event, the result table.
"""

from __future__ import annotations

import reprlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

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

__all__ = ["Progress", "event_line", "format_duration", "preview", "result_table"]

_REPR = reprlib.Repr()
_REPR.maxstring = 200
_REPR.maxother = 200
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdict = 8
_REPR.maxlevel = 3


def preview(value: object, width: int = 60) -> str:
    """A one-line ``repr`` of at most ``width`` characters that never raises.

    The one preview of a node's value: the CLI table, the worker's results for the editor and the
    notebook's rows all show it, so a value reads the same everywhere. Built-in containers are
    abbreviated by ``reprlib`` (a million-item list is not formatted whole); other objects keep their own
    ``repr``, clipped, since its beginning is what identifies them; a ``repr`` that raises is named as such.
    """
    try:
        text = _REPR.repr(value) if type(value).__module__ == "builtins" else repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ in user code must not break a run's report
        return _clip(f"<unrepresentable {type(value).__name__}>", width)
    return _clip(text, width)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


@dataclass
class Progress:
    """Records folded from a run's events, plus the run-level facts."""

    records: dict[str, NodeRecord] = field(default_factory=dict)
    run_id: str = ""
    finished: RunFinished | None = None
    hook_failures: list[HookFailed] = field(default_factory=list)

    def apply(self, event: RunEvent) -> None:
        match event:
            case RunStarted(run_id=run_id, nodes=nodes):
                self.run_id = run_id
                self.records = {name: NodeRecord(name) for name in nodes}
            case NodeStarted(node=node, attempt=attempt, time=started):
                record = self._record(node)
                record.status = RunStatus.RUNNING
                record.attempts = attempt
                record.started = record.started or started
            case NodeChunk(node=node, value=value):
                self._record(node).chunks.append(value)
            case NodeFinished(node=node, value=value, duration=duration):
                self._end(node, RunStatus.DONE, duration).value = value
            case NodeCached(node=node, value=value):
                record = self._record(node)
                record.status, record.value = RunStatus.CACHED, value
            case NodeFailed(node=node, error=error, duration=duration, traceback=text):
                record = self._end(node, RunStatus.FAILED, duration)
                record.error, record.traceback = error, text
            case NodeSkipped(node=node, blocked_by=blocked):
                record = self._record(node)
                record.status, record.skipped_because = RunStatus.SKIPPED, blocked
            case RunFinished():
                self.finished = event
            case HookFailed():
                self.hook_failures.append(event)

    def _record(self, name: str) -> NodeRecord:
        if name not in self.records:
            self.records[name] = NodeRecord(name)
        return self.records[name]

    def _end(self, name: str, status: RunStatus, duration: float) -> NodeRecord:
        record = self._record(name)
        record.status, record.duration = status, duration
        record.ended = time.time()
        return record

    def counts(self) -> dict[RunStatus, int]:
        found: dict[RunStatus, int] = {}
        for record in self.records.values():
            found[record.status] = found.get(record.status, 0) + 1
        return found

    def status_line(self) -> str:
        """``[3/8 done] running: a, b (4 items)`` for a live display."""
        counts = self.counts()
        finished = sum(counts.get(status, 0) for status in (RunStatus.DONE, RunStatus.CACHED))
        running = [record for record in self.records.values() if record.status is RunStatus.RUNNING]
        names = ", ".join(record.name + _items(len(record.chunks)) for record in running[:4])
        more = f" +{len(running) - 4}" if len(running) > 4 else ""
        failed = counts.get(RunStatus.FAILED, 0)
        extra = f", {failed} failed" if failed else ""
        return f"[{finished}/{len(self.records)} done{extra}] running: {names or '-'}{more}"


def _items(count: int) -> str:
    return f" ({count} item{'s' if count != 1 else ''})" if count else ""


def event_line(event: RunEvent) -> str | None:
    """One plain progress line per event (``None`` for events not worth a line)."""
    match event:
        case NodeStarted(node=node, attempt=attempt):
            return f"start   {node}" + (f" (attempt {attempt})" if attempt > 1 else "")
        case NodeFinished(node=node, duration=duration):
            return f"done    {node} in {format_duration(duration)}"
        case NodeCached(node=node):
            return f"cached  {node}"
        case NodeFailed(node=node, error=error):
            return f"failed  {node}: {type(error).__name__}: {error}"
        case NodeSkipped(node=node, reason=reason):
            return f"skipped {node}: {reason}"
        case HookFailed(hook=hook, error=error):
            return f"hook    {hook} raised {type(error).__name__}: {error}"
    return None


def result_table(records: Iterable[NodeRecord], width: int = 60) -> str:
    """The per-node table: node, status, duration, and a value (or error) preview."""
    rows = [("node", "status", "duration", "value")]
    for record in records:
        if record.status is RunStatus.FAILED and record.error is not None:
            shown = f"{type(record.error).__name__}: {record.error}"
        elif record.status is RunStatus.SKIPPED:
            shown = "needs " + ", ".join(record.skipped_because) if record.skipped_because else "not run"
        elif record.status in (RunStatus.DONE, RunStatus.CACHED):
            shown = preview(record.value, width)
        else:
            shown = ""
        rows.append((record.name, record.status.value, format_duration(record.duration), _clip(shown, width)))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}".rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * 5)
    return "\n".join(lines)
