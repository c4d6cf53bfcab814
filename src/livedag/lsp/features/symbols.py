"""Document symbols and workspace symbols: one per node."""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from livedag.graph import NodeSpec
from livedag.lsp.positions import span_to_location, span_to_range
from livedag.lsp.state import GraphView

__all__ = ["document_symbols", "workspace_symbols"]


def _detail(spec: NodeSpec) -> str:
    kind = "" if spec.kind.value == "sync" else f" · {spec.kind.value.replace('_', ' ')}"
    return f"→ {spec.output_type if spec.output_type is not None else '?'}{kind}"


def document_symbols(view: GraphView, path: str) -> list[types.DocumentSymbol]:
    return [
        types.DocumentSymbol(
            name=spec.name,
            kind=types.SymbolKind.Function,
            range=span_to_range(spec.definition_span),
            selection_range=span_to_range(spec.span),
            detail=_detail(spec),
        )
        for spec in view.nodes_in(path)
        if spec.span is not None and spec.definition_span is not None
    ]


def workspace_symbols(views: Iterable[GraphView], query: str) -> list[types.WorkspaceSymbol]:
    """Nodes whose name contains the query (case-insensitive), across every known graph."""
    wanted = query.lower()
    found: dict[tuple[str, str], types.WorkspaceSymbol] = {}
    for view in views:
        for specs in view.by_path.values():
            for spec in specs:
                if spec.span is None or wanted not in spec.name.lower():
                    continue
                found.setdefault(
                    (spec.span.path, spec.name),
                    types.WorkspaceSymbol(
                        name=spec.name,
                        kind=types.SymbolKind.Function,
                        location=span_to_location(spec.span),
                        container_name=spec.module,
                    ),
                )
    return list(found.values())
