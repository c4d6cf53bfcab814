"""The language server: pygls wiring over the pure analysis in this package. Holds no analysis itself.

``LivedagServer`` keeps one ``GraphState`` per graph (see ``workspace`` for which files form one),
re-resolves a graph ``debounceMs`` after the last edit of any of its files (a burst of keystrokes
costs one resolution, the last text wins), then publishes the diagnostics of every file of the
graph and, when the drawing changed, sends ``livedag/graphChanged``.

Extension point (for ``livedag.lsp.run``; details in ``livedag.lsp.extension``): contributors added
with :meth:`LivedagServer.add_contributor` add code lenses, inlay hints, hover text, diagnostics and
node statuses. The public methods a contributor may call are ``view``, ``view_for_uri``, ``views``,
``graph_id_for_uri``, ``republish``, ``notify_graph_changed`` and ``refresh_editor``. At the end of
:func:`create_server`, ``livedag.lsp.run.install(server)`` is called if that module exists.

Settings (``initializationOptions``, all optional): ``{"debounceMs": 10, "maxNodes": 100}``. Edits that
arrive while a resolution runs are merged into the next one whatever the delay.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from livedag.lsp.config import ConfigError
from livedag.lsp.extension import Contributor
from livedag.lsp.features.diagnostics import SOURCE, diagnostics_for, plain_diagnostics
from livedag.lsp.features.preview_payloads import DEFAULT_MAX_NODES, changed_payload, drawing_key, usable_statuses
from livedag.lsp.positions import PositionCodec, install, path_to_uri, uri_to_path
from livedag.lsp.protocol import CheckedInput, LivedagProtocol
from livedag.lsp.reports import DiagnosticReports
from livedag.lsp.state import GraphState, GraphView
from livedag.lsp.transport import Transport, watch_client_process
from livedag.lsp.workspace import GraphKey, Membership, read_text
from livedag.render import to_mermaid

__all__ = ["GRAPH_CHANGED", "GRAPH_REQUEST", "LivedagServer", "Settings", "create_server", "main"]

logger = logging.getLogger(__name__)

GRAPH_REQUEST = "livedag/graph"
GRAPH_CHANGED = "livedag/graphChanged"
RUN_EXTENSION = "livedag.lsp.run"


@dataclass
class Settings:
    debounce_ms: float = 10.0
    max_nodes: int = DEFAULT_MAX_NODES

    @classmethod
    def from_options(cls, options: Any) -> Settings:
        settings = cls()
        if isinstance(options, dict):
            debounce = options.get("debounceMs")
            if isinstance(debounce, int | float) and not isinstance(debounce, bool) and debounce >= 0:
                settings.debounce_ms = float(debounce)
            max_nodes = options.get("maxNodes")
            if isinstance(max_nodes, int) and not isinstance(max_nodes, bool) and max_nodes > 0:
                settings.max_nodes = max_nodes
        return settings


class LivedagServer(LanguageServer):
    """Graph states, documents and the contributors; the handlers live in ``livedag.lsp.handlers``."""

    def __init__(self) -> None:
        from livedag import __version__

        super().__init__(
            "livedag",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=LivedagProtocol,
        )
        self.settings = Settings()
        self.membership = Membership()
        self.contributors: list[Contributor] = []
        self._states: dict[str, GraphState] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._disk: dict[str, str | None] = {}
        self._published: dict[str, set[str]] = {}
        self._exit_callbacks: list[Callable[[], None]] = []
        self._watched_client: int | None = None
        self._config_diagnostics: set[str] = set()
        self.reports = DiagnosticReports()
        self.pull_diagnostics = False
        """The client asks for diagnostics (``textDocument/diagnostic``) instead of being sent them."""
        self._refresh_pulls = False
        self._pushed: set[str] = set()
        """Documents not open when their diagnostics were pushed to a client that pulls."""

    def use_pull_diagnostics(self, capabilities: types.ClientCapabilities) -> None:
        """Pull diagnostics for a client that can (Neovim >= 0.10, VS Code); push for the others."""
        text_document, workspace = capabilities.text_document, capabilities.workspace
        self.pull_diagnostics = text_document is not None and text_document.diagnostic is not None
        self._refresh_pulls = bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)

    def document_opened(self, uri: str) -> None:
        """A client that pulls now asks for this document's diagnostics: clear what was pushed for it."""
        if uri in self._pushed:
            self._pushed.discard(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def pending(self, uri: str) -> bool:
        """Whether an edit of the document's graph waits for its resolution (the debounce delay)."""
        return self.membership.key_for(uri_to_path(uri)).id in self._timers

    def use_position_encoding(self, encoding: str) -> None:
        """Convert every position from now on for ``encoding`` (what ``initialize`` announced)."""
        install(PositionCodec(encoding, self._text))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message that could not be read at all (not JSON, not UTF-8) is answered with a parse error."""
        if isinstance(error, ValueError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            assert isinstance(self.protocol, LivedagProtocol)
            self.protocol.answer_parse_error(error)
            return
        super().report_server_error(error, source)

    # -- for contributors -------------------------------------------------------------------------
    def add_contributor(self, contributor: Contributor) -> None:
        self.contributors.append(contributor)

    def graph_id_for_uri(self, uri: str) -> str:
        return self.membership.key_for(uri_to_path(uri)).id

    def view(self, graph_id: str) -> GraphView | None:
        state = self._states.get(graph_id)
        return state.view if state else None

    def views(self) -> list[GraphView]:
        return [state.view for state in self._states.values() if state.view is not None]

    def view_for_uri(self, uri: str) -> GraphView | None:
        """The graph the document belongs to, resolved now from disk if it was never opened."""
        key = self.membership.key_for(uri_to_path(uri))
        state = self._states.get(key.id)
        if state is not None and state.view is not None:
            return state.view
        if not any(self._text(path) is not None for path in self.membership.files_of(key)):
            return None
        return self._resolve(key, publish=False)

    def republish(self, graph_id: str) -> None:
        """Publish the diagnostics of every file of the graph again (static + contributors')."""
        view = self.view(graph_id)
        if view is not None:
            self._publish(view)

    def notify_graph_changed(self, graph_id: str, *, force: bool = True, uri: str | None = None) -> None:
        """Send ``livedag/graphChanged`` for the graph (only if the drawing changed, unless ``force``)."""
        state = self._states.get(graph_id)
        if state is None or state.view is None:
            return
        view = state.view
        statuses = usable_statuses(self.statuses(graph_id), view.graph)
        if not force and state.drawn is not None and state.drawn[1] == statuses:
            if state.drawn[0] is view.graph:
                return  # the very graph last announced (an edit inside a body)
            if state.moved_from is not None and state.drawn[0] is state.moved_from:
                state.drawn = (view.graph, statuses, state.drawn[2])
                return  # the graph last announced, its nodes at other lines: the same drawing
        key = drawing_key(view.graph, statuses)
        if not force and state.drawn is not None and key == state.drawn[2]:
            state.drawn = (view.graph, statuses, key)
            return
        state.drawn = (view.graph, statuses, key)
        mermaid = to_mermaid(view.graph, statuses=statuses)
        self.protocol.notify(GRAPH_CHANGED, changed_payload(view, uri or path_to_uri(view.paths[0]), mermaid, statuses))

    def refresh_editor(self) -> None:
        """Ask the client to query code lenses and inlay hints again (when it supports refreshing)."""
        workspace = self.client_capabilities.workspace if self.protocol.client_capabilities else None
        if workspace and workspace.code_lens and workspace.code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)
        if workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    # -- contributor fan-out (an exception in one contributor never breaks a feature) --------------
    def contributions(self, call: Callable[[Contributor], Any]) -> Iterator[Any]:
        for contributor in self.contributors:
            try:
                yield call(contributor)
            except Exception:
                logger.exception("livedag contributor %r failed", contributor)

    def request_cancelled(self, msg_id: Any) -> None:
        for _ in self.contributions(lambda c: c.cancel_request(msg_id)):
            pass

    def initialized_with(self, options: Any) -> None:
        for _ in self.contributions(lambda c: c.initialized_with(options)):
            pass

    async def before_shutdown(self) -> None:
        for contributor in self.contributors:
            try:
                await contributor.shutdown()
            except Exception:
                logger.exception("livedag contributor %r failed to shut down", contributor)

    def statuses(self, graph_id: str) -> dict[str, str]:
        merged: dict[str, str] = {}
        for found in self.contributions(lambda c: c.statuses(graph_id)):
            merged.update(found or {})
        return merged

    # -- documents and graphs ---------------------------------------------------------------------
    def open_text(self, path: str) -> str | None:
        document = self.workspace.text_documents.get(path_to_uri(path))
        return document.source if document is not None else None

    def _text(self, path: str) -> str | None:
        text = self.open_text(path)
        if text is not None:
            return text
        if path not in self._disk:
            self._disk[path] = read_text(path) if os.path.isabs(path) else None
        return self._disk[path]

    def forget_disk(self, path: str | None = None) -> None:
        """Read ``path`` (every file that is not open, when ``None``) from disk again when next needed."""
        if path is None:
            self._disk.clear()
        else:
            self._disk.pop(path, None)

    def schedule(self, uri: str) -> None:
        """Re-resolve the document's graph after the debounce delay (restarting the delay)."""
        key = self.membership.key_for(uri_to_path(uri))
        timer = self._timers.pop(key.id, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self._timers[key.id] = loop.call_later(self.settings.debounce_ms / 1000, self._resolve_safely, key, uri)

    def resolve_now(self, uri: str) -> None:
        key = self.membership.key_for(uri_to_path(uri))
        timer = self._timers.pop(key.id, None)
        if timer is not None:
            timer.cancel()
        self._resolve_safely(key, uri)

    def resolve_all(self) -> None:
        """After a configuration change: every open document's graph again; drop graphs no longer used."""
        keys = {self.membership.key_for(uri_to_path(uri)).id: uri for uri in self.workspace.text_documents}
        for graph_id in list(self._states):
            if graph_id not in keys:
                self.drop(graph_id)
        for uri in keys.values():
            self.resolve_now(uri)

    def resolve_path_change(self, path: str) -> None:
        """A file changed on disk: re-resolve every graph holding it that has a state."""
        for graph_id, state in list(self._states.items()):
            if state.view is not None and path in state.view.sources:
                self._resolve_safely(GraphKey(graph_id, state.configured), None)

    def drop(self, graph_id: str) -> None:
        """Forget a graph and clear the diagnostics it published."""
        self._states.pop(graph_id, None)
        for path in self._published.pop(graph_id, set()):
            self._send_diagnostics(path, [])

    def _resolve_safely(self, key: GraphKey, uri: str | None) -> None:
        self._timers.pop(key.id, None)
        try:
            view = self._resolve(key, publish=True)
            if view is not None:
                self.notify_graph_changed(key.id, force=False, uri=uri)
        except Exception as error:
            logger.exception("livedag: resolving %s failed", key.id)
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"livedag: resolving failed: {error!r}")
            )

    def _resolve(self, key: GraphKey, *, publish: bool) -> GraphView | None:
        sources = {path: text for path in self.membership.files_of(key) if (text := self._text(path)) is not None}
        if not sources:
            self.drop(key.id)
            return None
        state = self._states.get(key.id)
        config = self.membership.config_for(key)
        if state is None or state.config != config:  # a new graph, or its Hamilton config changed
            state = self._states[key.id] = GraphState(key.id, key.configured, config)
        view = state.update(sources)
        for _ in self.contributions(lambda c: c.graph_resolved(view)):
            pass
        if publish:
            self._publish(view)
        return view

    def _publish(self, view: GraphView) -> None:
        previous = self._published.get(view.id, set())
        for path in view.paths:
            self._send_diagnostics(path, [*diagnostics_for(view, path), *self._extra_diagnostics(path_to_uri(path))])
        for gone in previous - set(view.paths):
            self._send_diagnostics(gone, [])
        self._published[view.id] = set(view.paths)

    def _extra_diagnostics(self, uri: str) -> list[types.Diagnostic]:
        return [d for found in self.contributions(lambda c: c.diagnostics_extra(uri)) for d in found or []]

    def _send_diagnostics(self, path: str, diagnostics: list[types.Diagnostic]) -> None:
        """Push them (``publishDiagnostics``), or, to a client that pulls, keep them for its next
        ``textDocument/diagnostic`` and ask it to pull again when they changed. A client pulls only for
        open documents: the files of a graph that are not open are still pushed to (and cleared when
        they are opened, see :meth:`document_opened`)."""
        uri = path_to_uri(path)
        diagnostics = plain_diagnostics(diagnostics, self.membership.roots)  # pulled or pushed: plain text
        changed = self.reports.update(uri, diagnostics)
        document = self.workspace.text_documents.get(uri)
        if self.pull_diagnostics and document is not None:
            if changed and self._refresh_pulls:
                self.workspace_diagnostic_refresh(None)
            return
        if self.pull_diagnostics:
            self._pushed.add(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=document.version if document is not None else None
            )
        )

    def forward_logs_to_client(self) -> None:
        """From now on the server's warnings reach the client as ``window/logMessage`` with their level,
        not as stderr lines (which VS Code labels ``[error]``)."""
        from livedag.lsp.log_forward import ClientLogHandler

        root = logging.getLogger()
        if any(isinstance(handler, ClientLogHandler) for handler in root.handlers):
            return
        handler = ClientLogHandler(self.window_log_message, asyncio.get_running_loop())
        handler.setFormatter(logging.Formatter("livedag-lsp %(name)s: %(message)s"))
        for existing in root.handlers:
            if isinstance(existing, logging.StreamHandler):
                existing.setLevel(logging.CRITICAL)
        root.addHandler(handler)

    # -- the client's process -----------------------------------------------------------------------
    def add_exit_callback(self, callback: Callable[[], None]) -> None:
        """Runs when the client's process dies, before the server exits (e.g. to kill a worker)."""
        self._exit_callbacks.append(callback)

    def watch_client(self, pid: int) -> None:
        """Exit when the editor process ``pid`` dies; the first pid given (flag or ``initialize``) is kept."""
        if self._watched_client is not None:
            return
        self._watched_client = pid
        watch_client_process(pid, self._client_died)

    def _client_died(self) -> None:
        for callback in self._exit_callbacks:
            try:
                callback()
            except Exception:
                logger.exception("livedag: an exit callback failed")
        os._exit(0)

    # -- configuration ----------------------------------------------------------------------------
    def set_roots(self, folders: list[str]) -> None:
        """The workspace folders (at ``initialize`` and when the client adds or removes some)."""
        self.membership.roots = list(dict.fromkeys(folders))

    def load_configuration(self) -> None:
        """Read the workspace roots' configuration; each problem is a ``config`` diagnostic + a message."""
        try:
            self.membership.load()
        except Exception as crash:  # a bug in reading it must not stop the watchers or the other graphs
            logger.exception("livedag: reading the configuration failed")
            self.membership.errors.append(
                ConfigError(
                    self.membership.roots[0] if self.membership.roots else "",
                    f"reading the configuration failed: {crash!r}",
                    0,
                )
            )
        self._disk.clear()
        self.publish_configuration()

    def publish_configuration(self) -> None:
        """Show the configuration's problems: a ``config`` diagnostic each, and a message."""
        for path in self._config_diagnostics - {error.path for error in self.membership.errors}:
            self._send_diagnostics(path, [])
        self._config_diagnostics = set()
        by_path: dict[str, list[types.Diagnostic]] = {}
        for error in self.membership.errors:
            line = max(error.line - 1, 0)
            diagnostic = types.Diagnostic(
                range=types.Range(types.Position(line, 0), types.Position(line, 1_000)),
                message=error.message
                + ("; every file is treated as a graph of its own until this is fixed" if error.fatal else ""),
                severity=types.DiagnosticSeverity.Error,
                code="config",
                source=SOURCE,
            )
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=f"livedag: {error.message}")
            )
            by_path.setdefault(error.path, []).append(diagnostic)
        for path, found in by_path.items():
            self._send_diagnostics(path, found)
            self._config_diagnostics.add(path)


def create_server() -> LivedagServer:
    from livedag.lsp.handlers import register

    server = LivedagServer()
    register(server)
    try:
        if importlib.util.find_spec(RUN_EXTENSION) is not None:
            importlib.import_module(RUN_EXTENSION).install(server)
    except Exception:
        logger.exception("livedag: %s could not be installed; serving without it", RUN_EXTENSION)
    return server


def main(argv: list[str] | None = None) -> int:
    import argparse

    from livedag.lsp.transport import add_transport_arguments, parse_transport

    parser = argparse.ArgumentParser(prog="livedag lsp", description="The livedag language server (stdio by default).")
    add_transport_arguments(parser)
    args = parser.parse_args(argv)
    try:
        transport = parse_transport(args)
    except ValueError as error:
        parser.error(str(error))
    return serve(transport)


def serve(transport: Transport | None = None) -> int:
    from livedag.lsp.transport import connect

    transport = transport or Transport("stdio")
    logging.basicConfig(level=logging.WARNING, format="livedag-lsp %(levelname)s %(name)s: %(message)s")
    server = create_server()
    if transport.client_process_id is not None:
        server.watch_client(transport.client_process_id)
    if transport.kind == "tcp":
        logging.getLogger("pygls.server").setLevel(logging.INFO)  # "Serving on (host, port)" once bound
        server.start_tcp(transport.host, transport.port)
    elif transport.kind in ("pipe", "socket"):
        reader, writer = connect(transport)
        server.start_io(reader, writer)
    else:
        server.start_io(cast(BinaryIO, CheckedInput(sys.stdin.buffer)), sys.stdout.buffer)  # read as a BinaryIO
    if isinstance(server.protocol, LivedagProtocol) and not server.protocol.shut_down:
        return 1  # `exit` without `shutdown`, the stream ended or could not be read (LSP: exit code 1)
    return 0
