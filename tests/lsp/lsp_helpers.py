"""Helpers for the end-to-end tests: open, edit, wait for notifications, find positions."""

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


def open_file(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=path.read_text() if text is None else text
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def wait_until(client: LanguageClient, found: Callable[[], Any], timeout: float = 30) -> Any:
    """Wait until ``found()`` returns something truthy, re-checking after each diagnostics,
    ``livedag/graphChanged`` or capability registration the client records (the check and the wait happen with no
    yield in between, so nothing can slip through)."""

    async def loop() -> Any:
        while not (result := found()):
            client.arrived.clear()  # type: ignore[attr-defined]
            await client.arrived.wait()  # type: ignore[attr-defined]
        return result

    return await asyncio.wait_for(loop(), timeout=timeout)


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The latest diagnostics published for ``uri`` (for that document ``version`` when given)."""

    def latest() -> list[list[types.Diagnostic]] | None:
        for params in reversed(client.published):  # type: ignore[attr-defined]
            if params.uri == uri and (version is None or params.version == version):
                return [list(params.diagnostics)]
        return None

    found = await wait_until(client, latest)
    return found[0]


async def graph_changed(client: LanguageClient, after: int = 0) -> Any:
    """The first ``livedag/graphChanged`` after the ``after`` first ones."""

    def nth() -> Any:
        changes = client.graph_changes  # type: ignore[attr-defined]
        return changes[after] if len(changes) > after else None

    return await wait_until(client, nth)


def position(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> types.Position:
    """The LSP position of the ``occurrence``-th ``needle`` in ``text`` (plus ``offset`` characters)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


FIXTURES = Path(__file__).parent / "fixtures"


def _publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def _graph_changed(client: LanguageClient, params: Any) -> None:
    client.graph_changes.append(params)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def _register_capability(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def make_client(extra: dict[str, Callable[[LanguageClient, Any], Any]] | None = None) -> LanguageClient:
    """pytest-lsp's test client that also keeps every publishDiagnostics (with its version), every
    ``livedag/graphChanged`` and every capability registration, in arrival order, and sets
    ``client.arrived`` after recording one (``lsp_helpers.wait_until`` waits on it)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.graph_changes = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    client.arrived = asyncio.Event()  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish_diagnostics,
            "livedag/graphChanged": _graph_changed,
            types.CLIENT_REGISTER_CAPABILITY: _register_capability,
            **(extra or {}),
        },
    )
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "livedag.lsp"], client_factory=make_client)


async def start(client: LanguageClient, root: Path, options: dict[str, Any] | None = None) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options or {},
        )
    )


async def stop(client: LanguageClient) -> None:
    """End a client started with ``start_io``; a server still running (a test failed) is killed first."""
    server = getattr(client, "_server", None)  # the process pygls started (it has no public handle)
    if server is not None and server.returncode is None:
        server.kill()
    await client.stop()
