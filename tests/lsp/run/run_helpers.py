"""Helpers for the run end-to-end tests: a client that records what the run feature sends, and waits."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

GRAPH_CHANGED = "livedag/graphChanged"


def _graph_changed(client: LanguageClient, params: Any) -> None:
    client.graph_changes.append(params)  # type: ignore[attr-defined]


def _inlay_refresh(client: LanguageClient, params: None) -> None:
    client.inlay_refreshes += 1  # type: ignore[attr-defined]


def _nothing(client: LanguageClient, params: Any) -> None:
    return None


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.graph_changes = []  # type: ignore[attr-defined]
    client.inlay_refreshes = 0  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            GRAPH_CHANGED: _graph_changed,
            types.WORKSPACE_INLAY_HINT_REFRESH: _inlay_refresh,
            types.WORKSPACE_CODE_LENS_REFRESH: _nothing,
            types.CLIENT_REGISTER_CAPABILITY: _nothing,
        },
    )
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "livedag.lsp"], client_factory=make_client)


async def start(client: LanguageClient, root: Path, options: dict[str, Any] | None = None) -> None:
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.workspace is not None
    # VS Code refreshes inlay hints on request; pytest-lsp's snapshot of its capabilities predates that
    capabilities.workspace.inlay_hint = types.InlayHintWorkspaceClientCapabilities(refresh_support=True)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options or {},
        )
    )


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=path.read_text() if text is None else text
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def wait_until(client: LanguageClient, method: str, found: Callable[[], Any]) -> Any:
    """Wait (at most 60 s) for notifications of ``method`` until ``found()`` is truthy; checked before
    each wait, and the wait is registered without yielding in between, so nothing slips through."""

    async def loop() -> Any:
        while not (result := found()):
            await client.wait_for_notification(method)
        return result

    return await asyncio.wait_for(loop(), timeout=60)


async def statuses_reach(client: LanguageClient, expected: dict[str, str]) -> dict[str, str]:
    """Wait for a ``livedag/graphChanged`` whose statuses include ``expected``."""

    def match() -> dict[str, str] | None:
        for change in reversed(client.graph_changes):  # type: ignore[attr-defined]
            found = _field(change, "statuses")
            statuses = as_dict(found) if found else {}
            if all(statuses.get(name) == status for name, status in expected.items()):
                return statuses
        return None

    return await wait_until(client, GRAPH_CHANGED, match)


async def run(client: LanguageClient, uri: str, node: str | None) -> dict[str, Any]:
    """``livedag.run`` of ``node`` (``None``: the whole graph); its outcome."""
    return as_dict(await execute(client, "livedag.run", {"uri": uri, "node": node}))


async def execute(client: LanguageClient, command: str, argument: dict[str, Any]) -> Any:
    params = types.ExecuteCommandParams(command=command, arguments=[argument])
    return await client.workspace_execute_command_async(params)


async def logged(client: LanguageClient, text: str) -> str:
    def find() -> str | None:
        return next((m.message for m in client.log_messages if text in m.message), None)

    return await wait_until(client, types.WINDOW_LOG_MESSAGE, find)


async def shown(client: LanguageClient, text: str) -> str:
    def find() -> str | None:
        return next((m.message for m in client.messages if text in m.message), None)

    return await wait_until(client, types.WINDOW_SHOW_MESSAGE, find)


async def inlay_labels(client: LanguageClient, uri: str, lines: int = 200) -> dict[int, str]:
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(lines, 0)),
        )
    )
    return {hint.position.line: str(hint.label) for hint in hints or []}


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), position))
    assert hover is not None
    contents = hover.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


def line_of(text: str, needle: str) -> int:
    """0-based line of the first line containing ``needle``."""
    return next(number for number, line in enumerate(text.splitlines()) if needle in line)


def _field(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)


def as_dict(value: Any) -> dict[str, Any]:
    """A JSON object the client handed back as a dict or a namedtuple."""
    if isinstance(value, dict):
        return value
    if hasattr(value, "_asdict"):
        return dict(value._asdict())
    raise AssertionError(f"not a JSON object: {value!r}")
