"""The extension point for features built on the language server (first user: ``livedag.lsp.run``).

A *contributor* adds to what the server answers; it never replaces a handler. Subclass
:class:`Contributor`, override only what you add, and register it from an ``install(server)``
function::

    # src/livedag/lsp/run/__init__.py
    def install(server: LivedagServer) -> None:
        contributor = RunContributor(server)
        server.add_contributor(contributor)

        @server.command("livedag.run")          # commands and extra features: pygls decorators
        async def run(ls: LivedagServer, uri: str, node: str | None = None) -> None: ...

The server calls ``livedag.lsp.run.install(server)`` at the end of its construction, only if that
module exists. Every contributor method runs on the server's event loop and must be quick; an
exception in one is logged and skipped, never fatal. What the server offers contributors (see
``LivedagServer``): ``view(graph_id)``, ``view_for_uri(uri)``, ``graph_id_for_uri(uri)``,
``views()``, ``republish(graph_id)`` (diagnostics again, with ``diagnostics_extra``),
``notify_graph_changed(graph_id)`` (``livedag/graphChanged`` again, with ``statuses``) and
``refresh_editor()`` (asks the client to re-query code lenses and inlay hints).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from livedag.lsp.state import GraphView

__all__ = ["Contributor"]


class Contributor:
    """No-op defaults for everything a contributor may add."""

    def code_lenses(self, uri: str, view: GraphView) -> list[types.CodeLens]:
        """Extra lenses for the document (e.g. ``▶ Run`` per node, ``▶ Run graph``)."""
        return []

    def inlay_hints(self, uri: str, view: GraphView, range: types.Range) -> list[types.InlayHint]:
        return []

    def hover_extra(self, uri: str, node_name: str) -> str | None:
        """Markdown appended (after a rule) to the hover of a node or of a parameter filled by it."""
        return None

    def diagnostics_extra(self, uri: str) -> list[types.Diagnostic]:
        """Diagnostics published for the document together with the static ones."""
        return []

    def statuses(self, graph_id: str) -> dict[str, str]:
        """Node name -> a ``livedag.render.NodeStatus`` value, drawn in the graph and sent with
        ``livedag/graphChanged`` and ``livedag/graph``."""
        return {}

    def graph_resolved(self, view: GraphView) -> None:
        """Called after each re-resolution of a graph (e.g. to mark results stale)."""

    # -- the lifecycle (called by the server through ``livedag.lsp.protocol``, pygls has no public seam) --
    def initialized_with(self, options: Any) -> None:
        """``initialize`` arrived with these ``initializationOptions``."""

    def cancel_request(self, msg_id: Any) -> None:
        """The client sent ``$/cancelRequest`` for the request ``msg_id`` (pygls only cancels what has
        not started; a contributor running a long command stops it here)."""

    async def shutdown(self) -> None:
        """``shutdown`` arrived: stop what runs (the answer waits for it)."""
