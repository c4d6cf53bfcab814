"""What the server keeps of each graph's runs between requests: its results (``state.GraphResults``), the
fingerprints of its nodes now (to tell stale results) and the input values its last run was given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from livedag.lsp.run.state import GraphResults, fingerprints
from livedag.lsp.state import GraphView

__all__ = ["Tracked"]


@dataclass
class Tracked:
    """Graph id -> run state, current fingerprints and last inputs."""

    states: dict[str, GraphResults] = field(default_factory=dict)
    current: dict[str, dict[str, str]] = field(default_factory=dict)
    """Graph id -> fingerprints of its nodes now (recomputed on every resolution)."""
    inputs: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def now(self, graph_id: str) -> dict[str, str]:
        return self.current.get(graph_id, {})

    def resolved(self, view: GraphView) -> None:
        """The graph was resolved again: its fingerprints now (for a graph with results)."""
        if view.id in self.states:
            self.current[view.id] = fingerprints(view.graph, view.sources, self.inputs.get(view.id, {}))

    def begin(self, view: GraphView, run_id: str, inputs: Mapping[str, Any]) -> dict[str, str]:
        """A run starts with these inputs: its state tracks it; the fingerprints it runs at."""
        self.inputs[view.id] = inputs
        self.current[view.id] = fingerprints(view.graph, view.sources, inputs)
        self.states.setdefault(view.id, GraphResults()).begin(run_id, self.current[view.id])
        return self.current[view.id]

    def has_failures(self, graph_id: str) -> bool:
        state = self.states.get(graph_id)
        return state is not None and (
            state.start_error is not None or any(result.status == "failed" for result in state.results.values())
        )
