"""Nodes that Hamilton's function modifiers make: which function made a node, which nodes a function makes,
and the text a node's span covers (a ``def`` name, part of one, or a decorator's string)."""

from __future__ import annotations

from livedag.graph import NodeSpec, Span
from livedag.graph.lines import split_lines
from livedag.lsp.state import GraphView

__all__ = ["made_together", "span_text", "written_as_itself"]


def made_together(view: GraphView, spec: NodeSpec) -> list[NodeSpec]:
    """Every node of the graph the function that made ``spec`` makes (``spec`` included), in graph order;
    only ``spec`` for a plain function."""
    if spec.origin is None or spec.definition_span is None:
        return [spec]
    made = [
        node
        for node in view.graph.nodes.values()
        if node.origin == spec.origin and node.definition_span == spec.definition_span
    ]
    return made or [spec]


def span_text(view: GraphView, span: Span | None) -> str | None:
    """The source text a one-line span covers."""
    if span is None or span.line != span.end_line or span.path not in view.sources:
        return None
    lines = split_lines(view.sources[span.path])
    return lines[span.line - 1][span.column : span.end_column] if 0 < span.line <= len(lines) else None


def written_as_itself(view: GraphView, spec: NodeSpec) -> bool:
    """Whether the node's name is written at its span (``score_raw`` of ``@check_output`` is not)."""
    return span_text(view, spec.span) == spec.name
