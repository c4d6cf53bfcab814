"""Comparing two recorded runs: what changed between them, per run and per node (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livedag.history.model import NodeEntry, RunEntry

__all__ = ["NodeChange", "RunComparison", "compare_runs"]


@dataclass(frozen=True, slots=True)
class NodeChange:
    name: str
    status: tuple[str | None, str | None]
    """Status in A and in B (``None``: the node was not in that run)."""
    duration: tuple[float | None, float | None]
    value_changed: bool
    error: tuple[str | None, str | None]

    @property
    def changed(self) -> bool:
        return self.status[0] != self.status[1] or self.value_changed or self.error[0] != self.error[1]

    @property
    def ratio(self) -> float | None:
        a, b = self.duration
        return b / a if a and b is not None and a > 0 else None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": list(self.status),
            "duration": list(self.duration),
            "ratio": self.ratio,
            "value_changed": self.value_changed,
            "error": list(self.error),
            "changed": self.changed,
        }


@dataclass(frozen=True, slots=True)
class RunComparison:
    a: RunEntry
    b: RunEntry
    nodes: tuple[NodeChange, ...]

    @property
    def same_graph(self) -> bool:
        return self.a.graph_fingerprint == self.b.graph_fingerprint

    @property
    def same_inputs(self) -> bool:
        return self.a.inputs_fingerprint == self.b.inputs_fingerprint

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a.summary_json(),
            "b": self.b.summary_json(),
            "same_graph": self.same_graph,
            "same_inputs": self.same_inputs,
            "same_commit": self.a.git_commit == self.b.git_commit,
            "nodes": [change.as_json() for change in self.nodes],
        }


def compare_runs(a: RunEntry, b: RunEntry) -> RunComparison:
    """Every node of either run, in A's order then B's new ones."""
    names = [node.name for node in a.nodes]
    names += [node.name for node in b.nodes if node.name not in set(names)]
    changes = tuple(_change(name, a.node(name), b.node(name)) for name in names)
    return RunComparison(a, b, changes)


def _change(name: str, a: NodeEntry | None, b: NodeEntry | None) -> NodeChange:
    return NodeChange(
        name=name,
        status=(a.status if a else None, b.status if b else None),
        duration=(a.duration if a else None, b.duration if b else None),
        value_changed=(a.preview if a else None) != (b.preview if b else None),
        error=(a.error if a else None, b.error if b else None),
    )
