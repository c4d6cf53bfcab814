"""Completion inside a function's parameter list: the graph's node names, inserted as ``name: Type``.

Works on the document's current text (usually half-typed, so it does not parse) against the last
good graph.
"""

from __future__ import annotations

import re

from lsprotocol import types

from livedag.lsp.positions import line_index
from livedag.lsp.state import GraphView

__all__ = ["completion_items", "parameter_context"]

_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.MULTILINE)


def parameter_context(text: str, line: int, column: int) -> tuple[str, set[str]] | None:
    """``(function name, parameter names already written)`` when the (1-based line, 0-based column)
    is where a parameter name goes in a ``def``'s parameter list; ``None`` anywhere else."""
    index = line_index(text)
    if not 0 < line <= len(index.lines):
        return None
    offset = index.offset(line - 1, column)
    before = text[:offset]
    heads = list(_DEF.finditer(before))
    if not heads:
        return None
    head = heads[-1]
    inside = before[head.end() :]
    depth = 0
    for char in inside:
        depth += char in "([{"
        depth -= char in ")]}"
        if depth < 0:
            return None  # the parameter list is closed before the cursor
    current = re.split(r"[,(]", inside)[-1] if depth == 0 else ""
    if depth != 0 or ":" in current or "=" in current or "*" in current:
        return None  # inside an annotation, a default or a nested bracket
    written = {m.group(1) for m in re.finditer(r"(?:^|[,(])\s*(\w+)", inside)} - {current.strip()}
    return head.group(1), written


def completion_items(view: GraphView, text: str, line: int, column: int) -> list[types.CompletionItem]:
    context = parameter_context(text, line, column)
    if context is None:
        return []
    function, written = context
    items = []
    for name, spec in view.graph.nodes.items():
        if name == function or name in written:
            continue
        annotation = f": {spec.output_type}" if spec.output_type is not None else ""
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Function,
                detail=f"node{' → ' + str(spec.output_type) if spec.output_type else ''}",
                documentation=spec.doc,
                insert_text=f"{name}{annotation}",
                filter_text=name,
                sort_text=f"0{name}",
            )
        )
    for name, needed in view.graph.inputs.items():
        if name in written:
            continue
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Variable,
                detail=f"external input, also needed by {', '.join(needed.consumers)}",
                insert_text=name,
                sort_text=f"1{name}",
            )
        )
    return items
