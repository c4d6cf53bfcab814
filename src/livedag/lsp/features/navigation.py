"""Go to definition, references and rename of nodes, across every file of the graph.

A node is referred to by its function's name and by every parameter of that name; rename also
renames the uses of such a parameter inside the consuming function's body (found with ``ast``, in
that function's own scope only), so the code still means the same after the rename.

Nodes made by Hamilton's modifiers are referred to where their names are written: the string of an
``@extract_fields`` entry, a ``parameterize`` keyword, a ``source("...")``, the part of a
``raw_text__pdf`` name before ``__`` (each variant of a ``@config.when`` family).
"""

from __future__ import annotations

import ast
import keyword

from livedag.graph import NodeSpec, Span
from livedag.graph.lines import split_lines
from livedag.lsp.features.generated import written_as_itself
from livedag.lsp.lookup import Target, target_at
from livedag.lsp.state import GraphView

__all__ = ["RenameRefused", "definition", "references", "rename_edits", "target_for_rename"]


class RenameRefused(ValueError):
    """A rename that cannot be done; the message says why, for the user."""


def definition(view: GraphView, path: str, line: int, column: int) -> Span | None:
    """From a parameter to the function producing it (or from a node's name to itself)."""
    target = target_at(view, path, line, column)
    if target is None or target.name not in view.graph.nodes:
        return None
    return view.graph.nodes[target.name].span


def _consumers(view: GraphView, name: str) -> list[NodeSpec]:
    return [spec for specs in view.by_path.values() for spec in specs if spec.param(name) is not None]


def references(view: GraphView, name: str, include_declaration: bool) -> list[Span]:
    """The node's name where it is declared (if asked) and every parameter that consumes it, each once."""
    spans: list[Span] = []
    node = view.graph.nodes.get(name)
    if include_declaration and node is not None:
        spans.extend(s for s in (variant.span for variant in node.variants or (node,)) if s is not None)
    for spec in _consumers(view, name):
        param = spec.param(name)
        if param is not None and param.span is not None and param.kind.supported:
            spans.append(param.span)
    return list(dict.fromkeys(spans))


def target_for_rename(view: GraphView, path: str, line: int, column: int) -> Target:
    target = target_at(view, path, line, column)
    if target is None or (target.name not in view.graph.nodes and target.name not in view.graph.inputs):
        raise RenameRefused("place the cursor on a node's function name or on a parameter to rename it")
    return target


def rename_edits(
    view: GraphView, path: str, line: int, column: int, new_name: str
) -> dict[str, list[tuple[Span, str]]]:
    """Path -> (span, new text) edits renaming the node (or external input) at the position."""
    target = target_for_rename(view, path, line, column)
    old = target.name
    if not new_name.isidentifier() or keyword.iskeyword(new_name):
        raise RenameRefused(f"`{new_name}` is not a Python identifier: a node name must be one")
    if new_name != old and (new_name in view.graph.nodes or new_name in view.graph.inputs):
        what = "a node" if new_name in view.graph.nodes else "an external input"
        raise RenameRefused(f"`{new_name}` is already {what} of this graph: pick another name")
    if view.broken:
        raise RenameRefused(f"fix the syntax error in {', '.join(sorted(view.broken))} first")
    node = view.graph.nodes.get(old)
    if node is not None and not all(written_as_itself(view, v) for v in node.variants or (node,)):
        raise RenameRefused(
            f"`{old}` is named by a Hamilton modifier of `{node.origin}`, not written in the "
            f"source: rename `{node.origin}` instead"
        )
    edits: dict[str, list[tuple[Span, str]]] = {}
    for span in references(view, old, include_declaration=True):
        edits.setdefault(span.path, []).append((span, new_name))
    for spec in _consumers(view, old):
        for span in _body_uses(view, spec, old):
            edits.setdefault(span.path, []).append((span, new_name))
    return {path: list(dict.fromkeys(found)) for path, found in edits.items()}


def _body_uses(view: GraphView, spec: NodeSpec, name: str) -> list[Span]:
    """Loads and stores of ``name`` in the function's body, outside nested scopes that rebind it."""
    span = spec.definition_span
    if span is None or span.path not in view.sources:
        return []
    lines = split_lines(view.sources[span.path])[span.line - 1 : span.end_line]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    function = next((n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)), None)
    if function is None or name not in _arg_names(function.args):
        return []  # a parameter a modifier renamed (`source("name")`): the body knows it by another name
    found: list[Span] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and name in _arg_names(node.args):
            continue
        if isinstance(node, ast.Name) and node.id == name:
            text = lines[node.lineno - 1]
            column = len(text.encode("utf-8")[: node.col_offset].decode("utf-8", errors="ignore"))
            line = span.line + node.lineno - 1
            found.append(Span(span.path, line, column, line, column + len(name)))
        pending.extend(ast.iter_child_nodes(node))
    return found


def _arg_names(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}
