"""The LSP handlers: each gets the document's graph, calls one pure feature function, converts.

An exception in a request handler is logged by pygls and answered with an LSP error; the
notification handlers only schedule work (resolution errors are caught where it runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from livedag.lsp.features.code_actions import QuickFix, quick_fixes
from livedag.lsp.features.completion import completion_items
from livedag.lsp.features.hover import hover_markdown
from livedag.lsp.features.lenses import FOCUS_COMMAND, code_lenses
from livedag.lsp.features.navigation import RenameRefused, definition, references, rename_edits, target_for_rename
from livedag.lsp.features.preview_payloads import GraphPayload, GraphRequestError, graph_payload
from livedag.lsp.features.symbols import document_symbols, workspace_symbols
from livedag.lsp.lookup import target_at
from livedag.lsp.positions import (
    core_to_position,
    path_to_uri,
    position_to_core,
    span_to_location,
    span_to_range,
    uri_to_path,
)
from livedag.lsp.server import GRAPH_REQUEST, LivedagServer, Settings
from livedag.lsp.state import GraphView

__all__ = ["register"]

logger = logging.getLogger(__name__)
_Result = TypeVar("_Result")

_WATCHED = ("**/*.py", "**/pyproject.toml", "**/livedag.toml")


def _field(params: Any, name: str, default: Any = None) -> Any:
    """A field of custom-request params, which arrive as a namedtuple, a dict or an object."""
    if isinstance(params, dict):
        return params.get(name, default)
    return getattr(params, name, default)


def register(server: LivedagServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: LivedagServer, params: types.InitializeParams) -> None:
        ls.settings = Settings.from_options(params.initialization_options)
        ls.initialized_with(params.initialization_options)
        general = params.capabilities.general  # the adapter has put the one encoding pygls announces here
        ls.use_pull_diagnostics(params.capabilities)
        ls.use_position_encoding(str((general.position_encodings or ["utf-16"])[0]) if general else "utf-16")
        folders = [uri_to_path(folder.uri) for folder in ls.workspace.folders.values()]
        root = ls.workspace.root_path
        ls.set_roots([*folders, *([root] if root else [])])
        if isinstance(params.process_id, int) and params.process_id > 0:
            ls.watch_client(params.process_id)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: LivedagServer, params: types.InitializedParams) -> None:
        ls.forward_logs_to_client()
        ls.load_configuration()
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in _WATCHED]
            )
            registration = types.Registration(
                id="livedag-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LivedagServer, params: types.DidOpenTextDocumentParams) -> None:
        if ls.membership.discover(uri_to_path(params.text_document.uri)):  # a pkg/pyproject.toml above it
            ls.publish_configuration()
        ls.document_opened(params.text_document.uri)
        ls.resolve_now(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: LivedagServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.set_roots([uri_to_path(folder.uri) for folder in ls.workspace.folders.values()])
        ls.load_configuration()
        ls.resolve_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LivedagServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LivedagServer, params: types.DidSaveTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        ls.forget_disk()  # without file watchers, a save is when files that are not open are read again
        if ls.membership.is_config_file(path):
            ls.load_configuration()
            ls.resolve_all()
        else:
            ls.resolve_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LivedagServer, params: types.DidCloseTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        key = ls.membership.key_for(path)
        ls.forget_disk(path)
        if key.configured:
            ls.resolve_path_change(path)  # the file now counts with its text on disk
        else:
            ls.drop(key.id)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: LivedagServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [uri_to_path(change.uri) for change in params.changes]
        for path in paths:
            ls.forget_disk(path)
        structural = any(change.type != types.FileChangeType.Changed for change in params.changes)
        if structural or any(ls.membership.is_config_file(path) for path in paths):
            ls.load_configuration()
            ls.resolve_all()
        for path in paths:
            ls.resolve_path_change(path)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="livedag", inter_file_dependencies=True, workspace_diagnostics=False),
    )
    def pull_diagnostics(
        ls: LivedagServer, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        uri = params.text_document.uri
        if ls.pending(uri) or not ls.reports.knows(uri):
            ls.resolve_now(uri)  # answer for the text the client has now
        return ls.reports.report(uri, params.previous_result_id)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LivedagServer, params: types.HoverParams) -> types.Hover | None:
        uri, path = params.text_document.uri, uri_to_path(params.text_document.uri)
        view = ls.view_for_uri(uri)
        found = hover_markdown(view, path, *position_to_core(params.position, path)) if view else None
        if found is None:
            return None
        text, target = found
        extras = [e for e in ls.contributions(lambda c: c.hover_extra(uri, target.name)) if e]
        value = "\n\n---\n\n".join([text, *extras])
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value),
            range=span_to_range(target.span),
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def goto_definition(ls: LivedagServer, params: types.DefinitionParams) -> types.Location | None:
        view = ls.view_for_uri(params.text_document.uri)
        path = uri_to_path(params.text_document.uri)
        span = definition(view, path, *position_to_core(params.position, path)) if view else None
        return span_to_location(span) if span else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def find_references(ls: LivedagServer, params: types.ReferenceParams) -> list[types.Location] | None:
        view = ls.view_for_uri(params.text_document.uri)
        path = uri_to_path(params.text_document.uri)
        target = target_at(view, path, *position_to_core(params.position, path)) if view else None
        if view is None or target is None:
            return None
        return [span_to_location(s) for s in references(view, target.name, params.context.include_declaration)]

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: LivedagServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder:
        target = _renaming(ls, params, target_for_rename)
        return types.PrepareRenamePlaceholder(range=span_to_range(target.span), placeholder=target.name)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: LivedagServer, params: types.RenameParams) -> types.WorkspaceEdit:
        edits = _renaming(
            ls, params, lambda view, path, line, column: rename_edits(view, path, line, column, params.new_name)
        )
        return types.WorkspaceEdit(
            changes={
                path_to_uri(path): [types.TextEdit(range=span_to_range(span), new_text=text) for span, text in found]
                for path, found in edits.items()
            }
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    def code_actions(ls: LivedagServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        view = ls.view_for_uri(params.text_document.uri)
        if view is None:
            return None
        start, end = position_to_core(params.range.start), position_to_core(params.range.end)
        fixes = quick_fixes(view, uri_to_path(params.text_document.uri), start[0], end[0], start[1])
        return [_code_action(fix, params.context.diagnostics) for fix in fixes] or None

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["(", ",", " "]))
    def complete(ls: LivedagServer, params: types.CompletionParams) -> types.CompletionList | None:
        view = ls.view_for_uri(params.text_document.uri)
        path = uri_to_path(params.text_document.uri)
        text = ls.workspace.get_text_document(params.text_document.uri).source if view else ""
        items = completion_items(view, text, *position_to_core(params.position, path)) if view else []
        return types.CompletionList(is_incomplete=False, items=items) if items else None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: LivedagServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        view = ls.view_for_uri(params.text_document.uri)
        return document_symbols(view, uri_to_path(params.text_document.uri)) or None if view else None

    @server.feature(types.WORKSPACE_SYMBOL)
    def all_symbols(ls: LivedagServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol] | None:
        return workspace_symbols(ls.views(), params.query) or None

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def lenses(ls: LivedagServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
        uri = params.text_document.uri
        view = ls.view_for_uri(uri)
        if view is None:
            return None
        extra = [lens for found in ls.contributions(lambda c: c.code_lenses(uri, view)) for lens in found or []]
        return [*code_lenses(view, uri_to_path(uri)), *extra] or None

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    def inlay_hints(ls: LivedagServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
        uri = params.text_document.uri
        view = ls.view_for_uri(uri) if ls.contributors else None
        if view is None:
            return None
        hints = ls.contributions(lambda c: c.inlay_hints(uri, view, params.range))
        return [hint for found in hints for hint in found or []] or None

    @server.command(FOCUS_COMMAND)
    def focus_node(ls: LivedagServer, uri: str, node: str) -> dict[str, str]:
        """The lens's command: answers ``{uri, focus}`` for clients that forward it to their preview."""
        return {"uri": uri, "focus": node}

    @server.feature(GRAPH_REQUEST)
    def graph_request(ls: LivedagServer, params: Any) -> GraphPayload:
        uri = _field(params, "uri")
        if not isinstance(uri, str):
            raise JsonRpcInvalidParams("livedag/graph needs {uri}")
        view = ls.view_for_uri(uri)
        if view is None:
            raise JsonRpcInvalidParams(f"livedag: no graph for {uri} (not open and not readable)")
        try:
            return graph_payload(
                view,
                uri,
                focus=_field(params, "focus"),
                depth=int(_field(params, "depth", 1) or 0),
                max_nodes=int(_field(params, "maxNodes", ls.settings.max_nodes) or ls.settings.max_nodes),
                statuses=ls.statuses(view.id),
            )
        except (GraphRequestError, TypeError, ValueError) as error:
            raise JsonRpcInvalidParams(f"livedag: {error}") from None


def _code_action(fix: QuickFix, context: Sequence[types.Diagnostic]) -> types.CodeAction:
    """A quick fix as LSP: its edits, and the client's own diagnostic it fixes (matched by code and start)."""
    fixed = []
    if fix.problem is not None and fix.problem.span is not None:
        start = span_to_range(fix.problem.span).start
        fixed = [d for d in context if d.code == fix.problem.code.value and d.range.start == start]
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in fix.edits:
        start = core_to_position(edit.path, edit.line, edit.column)
        end = core_to_position(edit.path, edit.end_line, edit.end_column)
        where = types.Range(start, end)
        changes.setdefault(path_to_uri(edit.path), []).append(types.TextEdit(range=where, new_text=edit.text))
    return types.CodeAction(
        title=fix.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=fixed or None,
        edit=types.WorkspaceEdit(changes=changes),
        is_preferred=fix.preferred or None,
    )


def _renaming(
    ls: LivedagServer,
    params: types.PrepareRenameParams | types.RenameParams,
    act: Callable[[GraphView, str, int, int], _Result],
) -> _Result:
    """``act`` at the request's position; a refused rename is answered ``InvalidParams`` with the reason."""
    view = ls.view_for_uri(params.text_document.uri)
    if view is None:
        raise JsonRpcInvalidParams("livedag: this document is not part of a graph")
    path = uri_to_path(params.text_document.uri)
    try:
        return act(view, path, *position_to_core(params.position, path))
    except RenameRefused as refused:
        raise JsonRpcInvalidParams(f"livedag: {refused}") from None
