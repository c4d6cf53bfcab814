"""Turning a run into a ``RunEntry``: from its events as they happen (``Capture``) or from its ``Run``.

Events give the richer entry: when each attempt started and when each streamed item arrived, which the
timeline draws. A ``Run`` (what a hook's ``after_run`` gets) gives the rest. Both keep only previews of
values, so nothing live is held once the run is recorded.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from livedag.execution.events import NodeChunk, NodeRecord, NodeStarted, RunEvent, RunStarted, RunStatus
from livedag.execution.progress import Progress, preview
from livedag.execution.result import Run
from livedag.graph import Graph
from livedag.history.fingerprints import graph_fingerprint, inputs_fingerprint
from livedag.history.model import NodeEntry, RunEntry

__all__ = ["MAX_ITEM_TIMES", "PREVIEW_WIDTH", "Capture", "entry_from_run", "node_entry"]

MAX_ITEM_TIMES = 2000
"""Item arrival times kept per streaming node (the count is always kept)."""
PREVIEW_WIDTH = 200
_HAS_VALUE = (RunStatus.DONE, RunStatus.CACHED)


class Capture:
    """Folds a run's events into records, attempt start times and item arrival times."""

    def __init__(self) -> None:
        self.progress = Progress()
        self.started = time.time()
        self.attempt_starts: dict[str, list[float]] = {}
        self.item_times: dict[str, list[float]] = {}

    def apply(self, event: RunEvent) -> None:
        self.progress.apply(event)
        if isinstance(event, RunStarted):
            self.started = event.time
        elif isinstance(event, NodeStarted):
            self.attempt_starts.setdefault(event.node, []).append(event.time)
        elif isinstance(event, NodeChunk):
            times = self.item_times.setdefault(event.node, [])
            if len(times) < MAX_ITEM_TIMES:
                times.append(getattr(event, "time", time.time()))

    async def wrap(self, events: AsyncIterator[RunEvent]) -> AsyncIterator[RunEvent]:
        """The same events, folded on the way through."""
        async for event in events:
            self.apply(event)
            yield event

    def entry(
        self,
        graph: Graph | None,
        *,
        outputs: Iterable[str] | None,
        inputs: Mapping[str, Any],
        source: str,
        label: str = "",
        git_commit: str | None = None,
    ) -> RunEntry:
        finished = self.progress.finished
        records = list(self.progress.records.values())
        nodes = tuple(
            node_entry(record, graph, self.attempt_starts.get(record.name, ()), self.item_times.get(record.name, ()))
            for record in records
        )
        run_id = self.progress.run_id or f"unstarted-{self.started}"
        ok = finished.ok if finished is not None else False
        duration = finished.duration if finished is not None else time.time() - self.started
        return _entry(run_id, self.started, duration, ok, nodes, graph, outputs, inputs, source, label, git_commit)


def entry_from_run(
    run: Run,
    graph: Graph | None,
    *,
    outputs: Iterable[str] | None,
    inputs: Mapping[str, Any],
    source: str,
    label: str = "",
    git_commit: str | None = None,
    graph_fp: str | None = None,
    inputs_fp: str | None = None,
) -> RunEntry:
    """``graph_fp``/``inputs_fp``: fingerprints already computed (else computed from ``graph``/``inputs``)."""
    nodes = tuple(node_entry(record, graph) for record in run.records.values())
    return _entry(
        run.run_id,
        run.started,
        run.duration,
        run.ok,
        nodes,
        graph,
        outputs,
        inputs,
        source,
        label,
        git_commit,
        graph_fp,
        inputs_fp,
    )


_UPSTREAM: weakref.WeakKeyDictionary[Graph, dict[str, tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _upstream(graph: Graph) -> dict[str, tuple[str, ...]]:
    """Each node's dependencies that are nodes (not inputs), once per graph."""
    known = _UPSTREAM.get(graph)
    if known is None:
        nodes = graph.nodes
        known = _UPSTREAM[graph] = {
            name: tuple(dep for dep in graph.dependencies(name) if dep in nodes) for name in nodes
        }
    return known


def _entry(
    run_id: str,
    started: float,
    duration: float | None,
    ok: bool,
    nodes: tuple[NodeEntry, ...],
    graph: Graph | None,
    outputs: Iterable[str] | None,
    inputs: Mapping[str, Any],
    source: str,
    label: str,
    git_commit: str | None,
    graph_fp: str | None = None,
    inputs_fp: str | None = None,
) -> RunEntry:
    if graph_fp is None:
        graph_fp = graph_fingerprint(graph) if graph is not None else ""
    return RunEntry(
        run_id=run_id,
        started=started,
        duration=duration,
        ok=ok,
        nodes=nodes,
        source=source,
        outputs=tuple(outputs or ()),
        graph_fingerprint=graph_fp,
        inputs_fingerprint=inputs_fp if inputs_fp is not None else inputs_fingerprint(inputs),
        git_commit=git_commit,
        label=label,
    )


_SCALARS = (int, float, bool, type(None))
_SHORT = 40


def _short(value: Any) -> bool:
    kind = type(value)
    return kind in _SCALARS or (kind is str and len(value) < _SHORT and value.isprintable())


def _preview(value: Any) -> str:
    """``preview`` with fast paths for what most nodes return: scalars, short strings, small lists of those."""
    if _short(value):
        return repr(value)
    kind = type(value)
    if (kind is list or kind is tuple) and len(value) <= 4 and all(_short(item) for item in value):
        return repr(value)
    return preview(value, PREVIEW_WIDTH)


def node_entry(
    record: NodeRecord, graph: Graph | None, attempt_starts: Iterable[float] = (), item_times: Iterable[float] = ()
) -> NodeEntry:
    status, error_value, started, duration = record.status, record.error, record.started, record.duration
    error = f"{type(error_value).__name__}: {error_value}" if error_value is not None else None
    ended = started + duration if started is not None and duration is not None else record.ended
    items = tuple(item_times)
    streamed = len(record.chunks)
    if not streamed and items and status is RunStatus.DONE and isinstance(record.value, list):
        streamed = len(record.value)
    return NodeEntry(
        record.name,
        status.value,
        started,
        ended,
        duration,
        record.attempts,
        error,
        record.traceback,
        _preview(record.value) if status in _HAS_VALUE else None,
        _upstream(graph).get(record.name, ()) if graph is not None else (),
        tuple(attempt_starts),
        items,
        max(streamed, len(items)),
        record.skipped_because,
    )
