"""What a run leaves in the history: one ``RunEntry`` with a ``NodeEntry`` per node, as plain data.

These dataclasses are the one shape the store writes and reads, the CLI prints, the timeline draws and
the editor's loader turns back into last results. They hold no live objects: a value is kept only as its
preview, an error as its text and traceback. Times are ``time.time()`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["NodeEntry", "RunEntry"]


@dataclass(slots=True)
class NodeEntry:
    """One node of one recorded run. Treated as read-only; not frozen, since a frozen dataclass costs
    several times more to build and thousands are built per second with many runs in flight."""

    name: str
    status: str
    """A ``RunStatus`` value: ``done``, ``failed``, ``skipped``, ``cached`` (``running`` for an unfinished one)."""
    started: float | None = None
    ended: float | None = None
    duration: float | None = None
    attempts: int = 0
    error: str | None = None
    """``Type: message`` of the last attempt's error."""
    traceback: str | None = None
    preview: str | None = None
    upstream: tuple[str, ...] = ()
    """The nodes it read (its dependencies in the graph that ran), for the critical path and span links."""
    attempt_starts: tuple[float, ...] = ()
    """When each attempt started, when the run was watched through its events (empty otherwise)."""
    item_times: tuple[float, ...] = ()
    """When each streamed item arrived (at most ``MAX_ITEM_TIMES`` kept), when watched through events."""
    items: int = 0
    """How many items a streaming node produced."""
    skipped_because: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "started": self.started,
            "ended": self.ended,
            "duration": self.duration,
            "attempts": self.attempts,
            "error": self.error,
            "traceback": self.traceback,
            "preview": self.preview,
            "upstream": list(self.upstream),
            "attempt_starts": list(self.attempt_starts),
            "item_times": list(self.item_times),
            "items": self.items,
            "skipped_because": list(self.skipped_because),
        }


@dataclass(frozen=True, slots=True)
class RunEntry:
    """One recorded run; ``id`` is the store's number for it (``None`` until written)."""

    run_id: str
    started: float
    duration: float | None
    ok: bool
    nodes: tuple[NodeEntry, ...]
    source: str = "api"
    """Who ran it: ``cli``, ``notebook``, ``editor`` or ``api`` (a ``HistoryHook`` on a user's driver)."""
    outputs: tuple[str, ...] = ()
    """The outputs asked for (empty: every node)."""
    graph_fingerprint: str = ""
    inputs_fingerprint: str = ""
    git_commit: str | None = None
    label: str = ""
    """What ran, for people: the CLI's targets, the notebook, the editor's graph id."""
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "ok" if self.ok else "failed"

    def counts(self) -> dict[str, int]:
        """Nodes per status (from ``extra`` for a listed run, whose nodes are not read)."""
        if not self.nodes and "counts" in self.extra:
            return dict(self.extra["counts"])
        found: dict[str, int] = {}
        for node in self.nodes:
            found[node.status] = found.get(node.status, 0) + 1
        return found

    def node(self, name: str) -> NodeEntry | None:
        return next((node for node in self.nodes if node.name == name), None)

    def summary_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run_id": self.run_id,
            "source": self.source,
            "label": self.label,
            "started": self.started,
            "duration": self.duration,
            "ok": self.ok,
            "status": self.status,
            "counts": self.counts(),
            "outputs": list(self.outputs),
            "graph_fingerprint": self.graph_fingerprint,
            "inputs_fingerprint": self.inputs_fingerprint,
            "git_commit": self.git_commit,
        }

    def as_json(self) -> dict[str, Any]:
        return {**self.summary_json(), "nodes": [node.as_json() for node in self.nodes]}
