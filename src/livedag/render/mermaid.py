"""Graph (+ per-node run status) -> deterministic Mermaid ``flowchart`` text.

Node ids are generated (``n0``, ``n1``, ... in graph order, ``i0``... for inputs), never the node
names, so any Python identifier is safe, including Mermaid keywords such as ``end``, ``graph`` or
``style``. Names appear only inside quoted labels, escaped with Mermaid's ``#code;`` entities.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from livedag.graph import Graph, NodeKind, NodeSpec

__all__ = ["NodeStatus", "escape_label", "neighbourhood", "to_mermaid"]


class NodeStatus(enum.Enum):
    """Run states a node can be drawn in; the values are the Mermaid class names."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    CACHED = "cached"
    STALE = "stale"


_KIND_CLASSES = {
    NodeKind.SYNC: "fn",
    NodeKind.ASYNC: "async",
    NodeKind.GENERATOR: "stream",
    NodeKind.ASYNC_GENERATOR: "asyncstream",
}
_CLASS_DEFS = {
    "input": "fill:#eef6ff,stroke:#5b8bd6,stroke-dasharray:4 3,color:#1b2b45",
    "fn": "fill:#f7f7f7,stroke:#666,color:#222",
    "async": "fill:#f1ebff,stroke:#7a4fd6,stroke-width:2px,color:#22143f",
    "stream": "fill:#e9fbf3,stroke:#2f9e6e,stroke-width:2px,color:#0f3324",
    "asyncstream": "fill:#e9fbf3,stroke:#7a4fd6,stroke-width:2px,color:#0f3324",
    "problem": "stroke:#d62f2f,stroke-width:3px",
    "warning": "stroke:#d08a00,stroke-width:3px,stroke-dasharray:6 3",
    "pending": "fill:#f3f3f3,stroke:#999,color:#555",
    "running": "fill:#fff4cc,stroke:#d6a400,stroke-width:3px,color:#3d2f00",
    "done": "fill:#dcf5dc,stroke:#2f8f2f,color:#123812",
    "failed": "fill:#ffd9d9,stroke:#c42b2b,stroke-width:3px,color:#4a0d0d",
    "skipped": "fill:#eeeeee,stroke:#aaa,stroke-dasharray:2 2,color:#777",
    "cached": "fill:#e3f0ff,stroke:#4a7fc4,color:#0f2a4a",
    "stale": "fill:#fdf0e3,stroke:#c98a3d,stroke-dasharray:5 3,color:#4a300f",
}


def neighbourhood(graph: Graph, focus: str, depth: int) -> set[str]:
    """Names (nodes and inputs) within ``depth`` edges of ``focus``, upstream and downstream."""
    found = {focus}
    frontier = {focus}
    for _ in range(max(depth, 0)):
        step: set[str] = set()
        for name in frontier:
            step.update(graph.dependencies(name) if name in graph.nodes else ())
            step.update(graph.dependents(name))
        frontier = step - found
        found |= frontier
    return found


def to_mermaid(
    graph: Graph,
    *,
    statuses: Mapping[str, NodeStatus | str] | None = None,
    focus: str | None = None,
    depth: int = 1,
    direction: str = "LR",
    show_types: bool = True,
    show_inputs: bool = True,
) -> str:
    """Mermaid text for the graph, or for the ``depth``-neighbourhood of ``focus`` when given."""
    names = neighbourhood(graph, focus, depth) if focus is not None else None
    node_names = [name for name in graph.nodes if names is None or name in names]
    input_names = [name for name in graph.inputs if show_inputs and (names is None or name in names)]
    ids = {name: f"n{index}" for index, name in enumerate(node_names)}
    ids.update({name: f"i{index}" for index, name in enumerate(input_names)})
    flagged = {node for problem in graph.errors for node in problem.nodes}
    warned = {node for problem in graph.warnings for node in problem.nodes} - flagged
    lines = [f"flowchart {direction}"]
    lines += [f"  {ids[name]}{_input_shape(name)}" for name in input_names]
    groups = _groups(graph, node_names)
    grouped = {name for members in groups.values() for name in members}
    lines += [
        f"  {ids[name]}{_node_shape(graph.nodes[name], show_types, True)}" for name in node_names if name not in grouped
    ]
    for index, (origin, members) in enumerate(groups.items()):  # the subgraph's title names the variants
        lines.append(f'  subgraph g{index}["{escape_label(origin)}"]')
        lines += [f"    {ids[name]}{_node_shape(graph.nodes[name], show_types, False)}" for name in members]
        lines.append("  end")
    for name in node_names:
        for dependency in graph.dependencies(name):
            if dependency in ids:
                arrow = "-.->" if graph.nodes[name].param(dependency).optional else "-->"  # type: ignore[union-attr]
                lines.append(f"  {ids[dependency]} {arrow} {ids[name]}")
    lines += [f"  classDef {name} {style}" for name, style in _CLASS_DEFS.items()]
    lines += _class_lines("input", [ids[name] for name in input_names])
    for kind, css in _KIND_CLASSES.items():
        lines += _class_lines(css, [ids[n] for n in node_names if graph.nodes[n].kind is kind])
    lines += _class_lines("problem", [ids[n] for n in node_names if n in flagged])
    lines += _class_lines("warning", [ids[n] for n in [*node_names, *input_names] if n in warned])
    for status in NodeStatus:
        chosen = [ids[n] for n in node_names if _status_of(statuses, n) is status]
        lines += _class_lines(status.value, chosen)
    return "\n".join(lines) + "\n"


def _groups(graph: Graph, names: list[str]) -> dict[str, list[str]]:
    """Nodes one decorated function makes (two or more), under the function's name: a Mermaid subgraph."""
    by_function: dict[tuple[str, object], list[str]] = {}
    for name in names:
        spec = graph.nodes[name]
        if spec.variants:  # a `@config.when` family: its variants' functions together
            by_function.setdefault((" | ".join(str(v.origin) for v in spec.variants), None), []).append(name)
        elif spec.origin is not None:
            by_function.setdefault((spec.origin, spec.definition_span), []).append(name)
    groups: dict[str, list[str]] = {}
    for (origin, _), members in by_function.items():
        if len(members) > 1:
            title = origin if origin not in groups else f"{origin} ({len(groups)})"
            groups[title] = members
    return groups


def _status_of(statuses: Mapping[str, NodeStatus | str] | None, name: str) -> NodeStatus | None:
    if not statuses or name not in statuses:
        return None
    value = statuses[name]
    return value if isinstance(value, NodeStatus) else NodeStatus(value)


def _class_lines(css: str, ids: Iterable[str]) -> list[str]:
    members = list(ids)
    return [f"  class {','.join(members)} {css}"] if members else []


def _node_shape(spec: NodeSpec, show_types: bool, show_variants: bool) -> str:
    label = escape_label(spec.name)
    if show_types and spec.returns is not None:
        shown = spec.returns if spec.returns.is_parallelizable else spec.output_type
        label += f"<br/><small>{escape_label(str(shown))}</small>"
    if spec.variants and show_variants:  # a `@config.when` family with no config chosen
        label += f"<br/><small>{escape_label(' | '.join(str(v.origin) for v in spec.variants))}</small>"
    marker = {NodeKind.ASYNC: "async ", NodeKind.GENERATOR: "stream ", NodeKind.ASYNC_GENERATOR: "async stream "}
    prefix = marker.get(spec.kind, "")
    if prefix:
        label = f"<i>{prefix.strip()}</i> {label}"
    if spec.kind.is_streaming:
        return f'[["{label}"]]'
    if spec.kind.is_async:
        return f'[/"{label}"/]'
    return f'["{label}"]'


def _input_shape(name: str) -> str:
    return f'(["{escape_label(name)}"])'


def escape_label(text: str) -> str:
    """Escape for a quoted Mermaid label: quotes, brackets and markup become ``#code;`` entities."""
    replacements = {
        "#": "#35;",
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "[": "#91;",
        "]": "#93;",
        "{": "#123;",
        "}": "#125;",
        "|": "#124;",
        "`": "#96;",
    }
    return "".join(replacements.get(char, char) for char in text)
