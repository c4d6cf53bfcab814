"""The results table's model: run events folded into one row per node.

``apply(state, event)`` is a pure function, so the live widget, the static fallback table and the
tests all see the same rows for the same events. Rows keep their order: the order the run
announced (topological), with nodes the state was created with first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from livedag.execution.events import (
    NodeCached,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeSkipped,
    NodeStarted,
    RunEvent,
    RunFinished,
    RunStarted,
)
from livedag.kernel.preview import TableHead, short_repr, table_head
from livedag.kernel.rich import rich_html

__all__ = ["Row", "ResultsTable", "apply", "fold", "initial_state", "interrupted"]


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    status: str = "pending"
    """One of pending, running, done, failed, skipped, cached (``RunStatus`` values), and after an
    interrupt ``cancelled`` (it was running) or ``not started``."""
    started: float | None = None
    """``time.time()`` of the start, to show a running node's elapsed time."""
    duration: float | None = None
    preview: str = ""
    head: TableHead | None = None
    error: str | None = None
    traceback: str | None = None
    items: int = 0
    """Items a generator node has produced so far."""
    note: str = ""
    rich: str | None = None
    """An HTML view of the value (an image, a chart, ``_repr_html_``), one click away in the table."""


@dataclass(frozen=True, slots=True)
class ResultsTable:
    rows: tuple[Row, ...] = ()
    started: float | None = None
    finished: bool = False
    ok: bool | None = None
    duration: float | None = None
    interrupted: bool = False
    order: tuple[str, ...] = ()
    """The graph's topological order: rows are shown in it (the run announces cached nodes first)."""

    def row(self, name: str) -> Row | None:
        for row in self.rows:
            if row.name == name:
                return row
        return None

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts


def initial_state(nodes: Iterable[str] = (), order: Iterable[str] = ()) -> ResultsTable:
    return ResultsTable(rows=tuple(Row(name) for name in nodes), order=tuple(order))


def fold(events: Iterable[RunEvent], nodes: Iterable[str] = ()) -> ResultsTable:
    state = initial_state(nodes)
    for event in events:
        state = apply(state, event)
    return state


def apply(state: ResultsTable, event: RunEvent) -> ResultsTable:
    """The state after ``event``."""
    match event:
        case RunStarted(nodes=nodes, time=time):
            known = {row.name for row in state.rows}
            rank = {name: index for index, name in enumerate(state.order)}
            new = sorted((name for name in nodes if name not in known), key=lambda name: rank.get(name, len(rank)))
            rows = state.rows + tuple(Row(name) for name in new)
            return replace(state, rows=rows, started=time)
        case NodeStarted(node=node, time=time):
            return _update(state, node, status="running", started=time, error=None, traceback=None)
        case NodeChunk(node=node, index=index, value=value):
            return _update(state, node, items=index + 1, preview=f"{index + 1} items, last: {short_repr(value, 50)}")
        case NodeFinished(node=node, value=value, duration=duration):
            row = state.row(node)
            return _update(state, node, status="done", duration=duration, **_value_fields(value, row))
        case NodeCached(node=node, value=value):
            return _update(state, node, status="cached", duration=None, **_value_fields(value, state.row(node)))
        case NodeFailed(node=node, error=error, duration=duration, traceback=traceback):
            message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            return _update(state, node, status="failed", duration=duration, error=message, traceback=traceback)
        case NodeSkipped(node=node, reason=reason, blocked_by=blocked_by):
            note = f"needs {', '.join(blocked_by)}" if blocked_by else reason
            return _update(state, node, status="skipped", note=note)
        case RunFinished(ok=ok, duration=duration):
            return replace(state, finished=True, ok=ok, duration=duration)
    return state


def interrupted(state: ResultsTable, abandoned: Iterable[str] = ()) -> ResultsTable:
    """The state after an interrupt: a running node is ``cancelled`` (or abandoned, when its thread is
    stuck in C code), a pending one ``not started``; finished rows stay as they are."""
    stuck = set(abandoned)
    rows = []
    for row in state.rows:
        if row.name in stuck:
            row = replace(
                row,
                status="cancelled",
                error=None,
                traceback=None,
                note="abandoned: still running in its thread (blocked in C code); its value is discarded",
            )
        elif row.status == "running" or (row.status == "failed" and (row.error or "").startswith("NodeCancelledError")):
            row = replace(row, status="cancelled", error=None, traceback=None, note="cancelled by the interrupt")
        elif row.status == "pending" or (row.status == "skipped" and not row.note.startswith("needs ")):
            row = replace(row, status="not started", note="the run was interrupted first")
        rows.append(row)
    return replace(state, rows=tuple(rows), finished=True, ok=False, interrupted=True)


def _value_fields(value: object, row: Row | None) -> dict[str, object]:
    head = table_head(value)
    if row is not None and row.items and isinstance(value, list):
        return {"preview": f"{len(value)} items: {short_repr(value, 60)}", "head": head, "items": len(value)}
    return {"preview": short_repr(value), "head": head, "rich": None if head is not None else rich_html(value)}


def _update(state: ResultsTable, node: str, **changes: object) -> ResultsTable:
    rows = list(state.rows)
    for index, row in enumerate(rows):
        if row.name == node:
            rows[index] = replace(row, **changes)  # type: ignore[arg-type]
            break
    else:
        rows.append(replace(Row(node), **changes))  # type: ignore[arg-type]
    return replace(state, rows=tuple(rows))
