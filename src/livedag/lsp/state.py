"""The state of each graph between edits: the last good nodes of every file, and read-only views.

A file with a syntax error keeps serving the nodes of its last text that parsed, so hover,
navigation and the preview keep working while the user types; its diagnostics then show only the
syntax error (the other problems would point into text that no longer exists).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from livedag.graph import Graph, NodeSpec, Problem, ProblemCode
from livedag.graph.incremental import IncrementalResolver
from livedag.graph.modifiers.configuration import merge_families
from livedag.graph.relocation import Origin, node_shifts, relocate
from livedag.lsp.dataflow_files import is_dataflow_file

__all__ = ["GraphState", "GraphView"]


@dataclass(frozen=True)
class GraphView:
    """One resolution of one graph, as every feature (and ``livedag.lsp.run``) sees it. Read-only."""

    id: str
    """The graph id: ``<config file>#<name>`` for a configured graph, else the document's path."""
    configured: bool
    version: int
    """Counts the resolutions of this graph, starting at 1."""
    graph: Graph
    sources: Mapping[str, str]
    """Path -> the text that was resolved (every file of the graph, open or read from disk)."""
    broken: frozenset[str] = frozenset()
    """Files with a syntax error: their nodes come from their last text that parsed."""
    quiet: frozenset[str] = frozenset()
    """Ordinary files (see ``livedag.lsp.dataflow_files``): no diagnostics, no code lenses."""
    by_path: Mapping[str, tuple[NodeSpec, ...]] = field(default_factory=dict)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.sources)

    def nodes_in(self, path: str) -> tuple[NodeSpec, ...]:
        return self.by_path.get(path, ())

    def problems_in(self, path: str) -> list[Problem]:
        """What the diagnostics of ``path`` show (nothing for a quiet file, only the syntax error of a broken one)."""
        if path in self.quiet:
            return []
        problems = [p for p in self.graph.problems if p.span is not None and p.span.path == path]
        if path in self.broken:
            return [p for p in problems if p.code is ProblemCode.SYNTAX_ERROR]
        return problems


class GraphState:
    """Re-resolves one graph on demand and remembers what the next resolution needs."""

    def __init__(self, graph_id: str, configured: bool, config: Mapping[str, Any] | None = None) -> None:
        self.id = graph_id
        self.configured = configured
        self.config = config
        """Hamilton's config from ``[tool.livedag]`` (``None``: each ``config.when`` family is one node)."""
        self.view: GraphView | None = None
        self.drawn: tuple[Graph, dict[str, str], object] | None = None
        """The graph, statuses and drawing key (``features.preview_payloads.drawing_key``) last announced with
        ``livedag/graphChanged``, to tell when the drawing changed."""
        self._resolver = IncrementalResolver(config)
        self._last_good: dict[str, list[NodeSpec]] = {}
        self._dataflow: dict[str, bool] = {}
        self._version = 0
        self._built: tuple[list[NodeSpec], list[Problem]] = ([], [])
        """The specs and build problems ``view.graph`` was built from: equal ones give the same graph."""
        self.moved_from: Graph | None = None
        """The graph ``view.graph`` is with its nodes moved to other lines (``None``: it is not one): the
        same drawing, found without comparing the two."""
        self._resolved: list[NodeSpec] = []
        """The specs of the last resolution (equal to ``_built``'s but for where bodies end, or the same)."""

    def update(self, sources: Mapping[str, str]) -> GraphView:
        enabled = gc.isenabled()
        gc.disable()  # parsing and building allocate many objects and no cycles: the collector only costs here
        try:
            view = self._update(sources)
            view.graph.problems  # noqa: B018 - validated now, with the collector paused
            return view
        finally:
            if enabled:
                gc.enable()

    def _update(self, sources: Mapping[str, str]) -> GraphView:
        resolution = self._resolver.resolve(sources)
        by_path: dict[str, tuple[NodeSpec, ...]] = {}
        origins: list[Origin] = []
        for path, text in sources.items():
            if path in resolution.specs:
                origins.extend(resolution.origins.get(path) or [None] * len(resolution.specs[path]))
                self._last_good[path] = resolution.specs[path]
                self._dataflow[path] = self.configured or is_dataflow_file(text, resolution.specs[path])
            elif path not in self._dataflow:  # never parsed: its syntax error shows if it looks like a dataflow
                self._dataflow[path] = self.configured or is_dataflow_file(text, None)
            else:
                origins.extend(itertools.repeat(None, len(self._last_good.get(path, ()))))
            by_path[path] = tuple(self._last_good.get(path, ()))
        for gone in set(self._last_good) - set(sources):
            del self._last_good[gone]
            self._dataflow.pop(gone, None)
        specs = [spec for specs in by_path.values() for spec in specs]
        errors = list(resolution.syntax_errors.values())
        resolved, self._resolved = self._resolved, specs
        if self.view is not None and errors == self._built[1] and _same_nodes(self._built[0], specs):
            # an edit inside a body: the same graph, already validated; keep its spec objects everywhere
            graph, specs = self.view.graph, self._built[0]
            by_path = _split_like(by_path, specs)
        else:
            previous = self.view.graph if self.view is not None else None
            moved = self._moved_graph(resolved, specs, origins, errors)
            self.moved_from = previous if moved is not None else None
            graph = moved or Graph.from_specs(self._merged(specs), errors, self.config)
            self._built = (specs, errors)
        self._version += 1
        self.view = GraphView(
            id=self.id,
            configured=self.configured,
            version=self._version,
            graph=graph,
            sources=dict(sources),
            broken=frozenset(resolution.syntax_errors),
            quiet=frozenset(path for path in sources if not self._dataflow.get(path, True)),
            by_path=by_path,
        )
        return self.view

    def _merged(self, specs: list[NodeSpec]) -> list[NodeSpec]:
        return merge_families(specs) if self.config is None else specs

    def _moved_graph(
        self, resolved: list[NodeSpec], specs: list[NodeSpec], origins: list[Origin], errors: list[Problem]
    ) -> Graph | None:
        """The last graph with its nodes moved to the lines ``specs`` are at, when that is all an edit did (a line
        added or removed outside a signature): its problems moved along, not found again. ``None`` otherwise."""
        if self.view is None or errors != self._built[1] or len(resolved) != len(specs):
            return None
        # ``origins`` name the specs of the last resolution; the graph was built from ``_built`` (equal to them,
        # or the very same objects)
        old = self._built[0]
        if resolved is not old:
            origins = [
                (before, origin[1]) if origin is not None and origin[0] is last else origin
                for before, last, origin in zip(old, resolved, origins, strict=True)
            ]
        shifts = node_shifts(old, specs, origins)
        if shifts is None:
            return None
        problems = relocate(self.view.graph.problems, shifts)
        if problems is None:
            return None
        return self.view.graph.moved(self._merged(specs), problems)


def _same_nodes(old: list[NodeSpec], new: list[NodeSpec]) -> bool:
    """Equal specs, but for where the last line of a definition ends (typing at the end of a body)."""
    if len(old) != len(new):
        return False
    for before, after in zip(old, new, strict=True):
        if before is after or before == after:
            continue
        span, other = before.definition_span, after.definition_span
        if span is None or other is None or (span.line, span.end_line) != (other.line, other.end_line):
            return False
        if replace(before, definition_span=other) != after:
            return False
    return True


def _split_like(by_path: dict[str, tuple[NodeSpec, ...]], specs: list[NodeSpec]) -> dict[str, tuple[NodeSpec, ...]]:
    """``specs`` cut into the files of ``by_path``, in its order and with its counts."""
    result: dict[str, tuple[NodeSpec, ...]] = {}
    start = 0
    for path, found in by_path.items():
        result[path] = tuple(specs[start : start + len(found)])
        start += len(found)
    return result
