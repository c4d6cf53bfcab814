"""Hover: what a node is (type, kind, dependencies with their producers' types, dependents, doc,
file), or, on a parameter, what fills it: a node of the graph or an external input."""

from __future__ import annotations

from typing import assert_never

from livedag.graph import NodeKind, NodeSpec
from livedag.graph.modifiers.configuration import CONDITION_TAG
from livedag.graph.spec import location
from livedag.lsp.features.generated import made_together
from livedag.lsp.lookup import Target, target_at
from livedag.lsp.state import GraphView

__all__ = ["hover_markdown", "node_markdown"]


def _kind_words(kind: NodeKind) -> str:
    """Total over ``NodeKind``: a new kind without words here is a type error (``assert_never``)."""
    match kind:
        case NodeKind.SYNC:
            return "node"
        case NodeKind.ASYNC:
            return "async node"
        case NodeKind.GENERATOR:
            return "streaming node"
        case NodeKind.ASYNC_GENERATOR:
            return "async streaming node"
        case _:
            assert_never(kind)


def _where(spec: NodeSpec) -> str:
    return location(spec.span, spec.module, short=True)


def _type(spec: NodeSpec) -> str:
    if spec.returns is not None and spec.returns.is_parallelizable:  # fan-out: each consumer takes one item
        return f"`{spec.returns}` (each item a `{spec.output_type}`)"
    return f"`{spec.output_type}`" if spec.output_type is not None else "*no return annotation*"


def node_markdown(view: GraphView, name: str) -> str:
    graph = view.graph
    spec = graph.nodes[name]
    lines = [f"**`{name}`** → {_type(spec)} · {_kind_words(spec.kind)}"]
    if spec.doc:
        lines += ["", spec.doc.strip()]
    dependencies = graph.dependencies(name)
    if dependencies:
        lines += ["", "**Needs**"]
        for dep in dependencies:
            if dep in graph.nodes:
                producer = graph.nodes[dep]
                lines.append(f"- `{dep}`: {_type(producer)} from `{dep}` ({_where(producer)})")
            else:
                needed = graph.inputs[dep]
                lines.append(f"- `{dep}`: external input ({'required' if needed.required else 'optional'})")
    dependents = graph.dependents(name)
    lines += ["", "**Used by** " + (", ".join(f"`{d}`" for d in dependents) if dependents else "*nothing yet*")]
    lines += _modifier_lines(view, spec)
    lines += ["", f"*Defined in* `{_where(spec)}`"]
    return "\n".join(lines)


def _modifier_lines(view: GraphView, spec: NodeSpec) -> list[str]:
    """A ``@config.when`` family's variants, and the nodes the same decorated function makes."""
    lines: list[str] = []
    if spec.variants:
        lines += ["", "**Variants** (`@config.when`; no config chosen, every one is checked)"]
        for variant in spec.variants:
            when = variant.tags.get(CONDITION_TAG, "")
            lines.append(f"- `{variant.origin}` when {when} → {_type(variant)} ({_where(variant)})")
    made = made_together(view, spec)
    if len(made) > 1 or (spec.origin is not None and spec.origin != spec.name):
        lines += ["", f"**`{spec.origin}` makes** ({len(made)} node{'s' if len(made) != 1 else ''})"]
        lines += [f"- `{node.name}` → {_type(node)}" for node in made]
    return lines


def _input_markdown(view: GraphView, target: Target) -> str:
    needed = view.graph.inputs[target.name]
    others = [c for c in needed.consumers if c != target.node.name]
    annotation = target.param.annotation if target.param else None
    lines = [
        f"**`{target.name}`**"
        + (f": `{annotation}`" if annotation else "")
        + f" · external input ({'required' if needed.required else 'optional'})",
        "",
        "No node produces it: the caller provides it when the graph runs.",
    ]
    if others:
        lines += ["", "**Also needed by** " + ", ".join(f"`{c}`" for c in others)]
    return "\n".join(lines)


def hover_markdown(view: GraphView, path: str, line: int, column: int) -> tuple[str, Target] | None:
    """Markdown for the node or parameter at the (1-based line, 0-based column), with what it hit."""
    target = target_at(view, path, line, column)
    if target is None:
        return None
    graph = view.graph
    if target.name in graph.nodes:
        text = node_markdown(view, target.name)
        if target.param is not None:
            text = f"Parameter of `{target.node.name}`, filled by the node:\n\n" + text
        return text, target
    if target.name in graph.inputs:
        return _input_markdown(view, target), target
    return None
