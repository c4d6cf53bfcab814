"""What a position in a file points at: a node's name in its ``def`` line, or a parameter.

Positions here are the core's: 1-based line, 0-based column.
"""

from __future__ import annotations

from dataclasses import dataclass

from livedag.graph import NodeSpec, ParamSpec, Span
from livedag.lsp.state import GraphView

__all__ = ["Target", "node_at_line", "target_at"]


@dataclass(frozen=True, slots=True)
class Target:
    """``name`` is the node or external input meant; ``node`` the function the position is in."""

    name: str
    node: NodeSpec
    param: ParamSpec | None
    span: Span

    @property
    def is_definition(self) -> bool:
        return self.param is None


def node_at_line(view: GraphView, path: str, line: int) -> NodeSpec | None:
    """The node whose definition (decorators to last line) contains ``line``."""
    for spec in view.nodes_in(path):
        span = spec.definition_span
        if span is not None and span.line <= line <= span.end_line:
            return spec
    return None


def target_at(view: GraphView, path: str, line: int, column: int) -> Target | None:
    # A function with Hamilton's modifiers makes several nodes sharing its definition: the name of each is
    # where it is written (the ``def`` name, a decorator's string), and so are the parameters they take.
    specs = _nodes_at_line(view, path, line)
    for spec in specs:
        if spec.span is not None and spec.span.contains(line, column):
            return Target(spec.name, spec, None, spec.span)
    for spec in specs:
        for param in spec.params:
            if param.span is not None and param.kind.supported and param.span.contains(line, column):
                return Target(param.name, spec, param, param.span)
    return None


def _nodes_at_line(view: GraphView, path: str, line: int) -> list[NodeSpec]:
    first = node_at_line(view, path, line)
    if first is None or first.origin is None:
        return [first] if first is not None else []
    return [spec for spec in view.nodes_in(path) if spec.definition_span == first.definition_span]
