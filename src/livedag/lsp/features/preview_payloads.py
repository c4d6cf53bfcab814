"""The ``livedag/graph`` request and the ``livedag/graphChanged`` notification payloads.

Request params ``{uri, focus?, depth?, maxNodes?}``; answer::

    {uri, graph, version, mermaid, totalNodes, focus, depth, maxNodes, tooLarge, errorCount, warningCount, statuses,
     nodes: [{name, kind, type, uri, range, definitionRange, dependencies, dependents, hasProblems}],
     inputs: [{name, consumers, required}],
     problems: [{code, severity, message, uri, range, nodes}]}

The server never picks a focus by itself: ``totalNodes`` and ``tooLarge`` (``totalNodes > maxNodes``,
default 100) let the client decide to ask again with a ``focus`` (the node at the cursor, say), since
Mermaid needs seconds to lay out a few hundred nodes. With a focus, ``mermaid``, ``nodes`` and
``inputs`` cover the ``depth``-neighbourhood of that node only; ``problems`` are always the whole
graph's. ``version`` counts the graph's resolutions; ranges are LSP ranges (0-based).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from livedag.graph import Graph, Span, UnknownNodeError
from livedag.lsp.positions import path_to_uri, span_to_range
from livedag.lsp.state import GraphView
from livedag.render import NodeStatus, neighbourhood, to_mermaid

__all__ = [
    "DEFAULT_MAX_NODES",
    "GraphChangedPayload",
    "GraphPayload",
    "GraphRequestError",
    "changed_payload",
    "drawing_key",
    "graph_payload",
    "usable_statuses",
]

DEFAULT_MAX_NODES = 100
_STATUS_VALUES = frozenset(status.value for status in NodeStatus)


class GraphRequestError(ValueError):
    """Bad request parameters (an unknown focus, a negative depth); the message says which."""


# The wire shapes, as the VS Code extension reads them (vscode-extension/src): a key renamed here must be
# renamed there. camelCase because they are JSON for a TypeScript client.
class PositionJson(TypedDict):
    line: int
    character: int


class RangeJson(TypedDict):
    start: PositionJson
    end: PositionJson


class NodeJson(TypedDict):
    name: str
    kind: str
    type: str | None
    uri: str | None
    range: RangeJson | None
    definitionRange: RangeJson | None
    dependencies: list[str]
    dependents: list[str]
    hasProblems: bool


class InputJson(TypedDict):
    name: str
    consumers: list[str]
    required: bool


class ProblemJson(TypedDict):
    code: str
    severity: str
    message: str
    uri: str | None
    range: RangeJson | None
    nodes: list[str]


class GraphPayload(TypedDict):
    """The answer to ``livedag/graph``."""

    uri: str
    graph: str
    version: int
    mermaid: str
    totalNodes: int
    focus: str | None
    depth: int
    maxNodes: int
    tooLarge: bool
    errorCount: int
    warningCount: int
    statuses: dict[str, str]
    nodes: list[NodeJson]
    inputs: list[InputJson]
    problems: list[ProblemJson]


class GraphChangedPayload(TypedDict):
    """The params of ``livedag/graphChanged``."""

    errorCount: int
    warningCount: int
    uri: str
    graph: str
    uris: list[str]
    version: int
    mermaid: str
    totalNodes: int
    statuses: dict[str, str]


def _range(span: Span | None) -> RangeJson | None:
    if span is None:
        return None
    found = span_to_range(span)
    return {
        "start": {"line": found.start.line, "character": found.start.character},
        "end": {"line": found.end.line, "character": found.end.character},
    }


def usable_statuses(statuses: Mapping[str, str], graph: Graph) -> dict[str, str]:
    """The statuses Mermaid can draw: known status names of nodes that exist."""
    return {name: status for name, status in statuses.items() if name in graph.nodes and status in _STATUS_VALUES}


def graph_payload(
    view: GraphView,
    uri: str,
    *,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = DEFAULT_MAX_NODES,
    statuses: Mapping[str, str] | None = None,
) -> GraphPayload:
    graph = view.graph
    if depth < 0:
        raise GraphRequestError(f"depth must be 0 or more, not {depth}")
    if focus is not None and focus not in graph.nodes and focus not in graph.inputs:
        raise GraphRequestError(str(UnknownNodeError([focus], [*graph.nodes, *graph.inputs])))
    shown = neighbourhood(graph, focus, depth) if focus is not None else None
    drawn = usable_statuses(statuses or {}, graph)
    with_problems = {name for problem in graph.problems for name in problem.nodes}
    return {
        "uri": uri,
        "graph": view.id,
        "version": view.version,
        "mermaid": to_mermaid(graph, statuses=drawn, focus=focus, depth=depth),
        "totalNodes": len(graph.nodes),
        "focus": focus,
        "depth": depth,
        "maxNodes": max_nodes,
        "tooLarge": len(graph.nodes) > max_nodes,
        "errorCount": len(graph.errors),
        "warningCount": len(graph.warnings),
        "statuses": drawn,
        "nodes": [
            {
                "name": name,
                "kind": spec.kind.value,
                "type": str(spec.output_type) if spec.output_type is not None else None,
                "uri": path_to_uri(spec.span.path) if spec.span else None,
                "range": _range(spec.span),
                "definitionRange": _range(spec.definition_span),
                "dependencies": list(graph.dependencies(name)),
                "dependents": list(graph.dependents(name)),
                "hasProblems": name in with_problems,
            }
            for name, spec in graph.nodes.items()
            if shown is None or name in shown
        ],
        "inputs": [
            {"name": name, "consumers": list(needed.consumers), "required": needed.required}
            for name, needed in graph.inputs.items()
            if shown is None or name in shown
        ],
        "problems": [
            {
                "code": problem.code.value,
                "severity": problem.severity.value,
                "message": problem.message,
                "uri": path_to_uri(problem.span.path) if problem.span else None,
                "range": _range(problem.span),
                "nodes": list(problem.nodes),
            }
            for problem in graph.problems
        ],
    }


def drawing_key(graph: Graph, statuses: Mapping[str, str]) -> tuple[object, ...]:
    """Everything the Mermaid drawing of the whole graph depends on, much cheaper to compare than the
    text: names, kinds, types, edges (optional or not), inputs, nodes with errors, statuses."""
    nodes = tuple(
        (
            name,
            spec.kind,
            str(spec.output_type) if spec.returns is not None else None,
            tuple((param.name, param.optional) for param in spec.params if param.kind.supported),
        )
        for name, spec in graph.nodes.items()
    )
    flagged = frozenset(node for problem in graph.errors for node in problem.nodes)
    warned = frozenset(node for problem in graph.warnings for node in problem.nodes)
    counts = problem_counts(graph)
    return nodes, tuple(graph.inputs), flagged, warned, counts, tuple(sorted(statuses.items()))


def problem_counts(graph: Graph) -> tuple[int, int]:
    """Errors and warnings: what the preview's toolbar counts (infos are notes, not problems)."""
    return len(graph.errors), len(graph.warnings)


def changed_payload(view: GraphView, uri: str, mermaid: str, statuses: Mapping[str, str]) -> GraphChangedPayload:
    """``livedag/graphChanged``: ``{uri, graph, uris, version, mermaid, totalNodes, statuses, errorCount,
    warningCount}``; the counts travel with the drawing so the preview never shows the previous graph's."""
    errors, warnings = problem_counts(view.graph)
    return {
        "errorCount": errors,
        "warningCount": warnings,
        "uri": uri,
        "graph": view.id,
        "uris": [path_to_uri(path) for path in view.paths],
        "version": view.version,
        "mermaid": mermaid,
        "totalNodes": len(view.graph.nodes),
        "statuses": dict(statuses),
    }
