"""Code lens above each node: ``N dependencies · M dependents``.

The lens's command, ``livedag.focusNode`` with ``[uri, node]``, asks the client to show the node's
neighbourhood (a client without a preview may ignore it). Run actions are added by contributors
(see ``livedag.lsp.extension``).
"""

from __future__ import annotations

from lsprotocol import types

from livedag.lsp.positions import path_to_uri, span_to_range
from livedag.lsp.state import GraphView

__all__ = ["FOCUS_COMMAND", "code_lenses", "lens_title"]

FOCUS_COMMAND = "livedag.focusNode"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word.replace('dependency', 'dependencie')}s"


def lens_title(view: GraphView, name: str) -> str:
    graph = view.graph
    return f"{_count(len(graph.dependencies(name)), 'dependency')} · {_count(len(graph.dependents(name)), 'dependent')}"


def code_lenses(view: GraphView, path: str) -> list[types.CodeLens]:
    if path in view.quiet:
        return []
    lenses = []
    for spec in view.nodes_in(path):
        if spec.span is None or view.graph.nodes.get(spec.name) is not spec:
            continue
        lenses.append(
            types.CodeLens(
                range=span_to_range(spec.span),
                command=types.Command(
                    title=lens_title(view, spec.name),
                    command=FOCUS_COMMAND,
                    arguments=[path_to_uri(path), spec.name],
                ),
            )
        )
    return lenses
