"""Pull diagnostics (``textDocument/diagnostic``) for a client that asks for them: full reports with result
ids, ``unchanged`` when nothing changed, a ``workspace/diagnostic/refresh`` when something did, and no
``publishDiagnostics`` pushed to it (push stays for the clients that do not pull)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from lsp_helpers import diagnostics, make_client, open_file, stop, wait_until
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

TEXT = "import livedag\n\n\ndef raw() -> str:\n    return 'x'\n\n\ndef n(raw: str, extra) -> int:\n    return 1\n"


def _refresh(client: LanguageClient, params: Any) -> None:
    client.refreshes.put_nowait(True)  # type: ignore[attr-defined]


def pulling_client() -> LanguageClient:
    client = make_client({types.WORKSPACE_DIAGNOSTIC_REFRESH: _refresh})
    client.refreshes = asyncio.Queue()  # type: ignore[attr-defined]
    return client


async def pull(client: LanguageClient, uri: str, previous: str | None = None) -> Any:
    params = types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri), previous_result_id=previous)
    return await asyncio.wait_for(client.text_document_diagnostic_async(params), 30)


async def test_pull_diagnostics_with_result_ids(tmp_path: Path):
    path = tmp_path / "flow.py"
    path.write_text(TEXT)
    client = pulling_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        capabilities = client_capabilities("visual-studio-code")
        assert capabilities.text_document is not None
        assert capabilities.workspace is not None
        capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
        capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "ws")],
            )
        )
        assert result.capabilities.diagnostic_provider is not None
        uri = open_file(client, path)
        first = await pull(client, uri)
        assert first.kind == "full"
        assert [d.code for d in first.items] == ["missing-annotation"]
        again = await pull(client, uri, first.result_id)
        assert again.kind == "unchanged"
        assert again.result_id == first.result_id
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                [types.TextDocumentContentChangeWholeDocument(TEXT.replace("extra)", "extra: int)"))],
            )
        )
        await asyncio.wait_for(client.refreshes.get(), 30)  # type: ignore[attr-defined]
        fixed = await pull(client, uri, first.result_id)
        assert fixed.kind == "full"
        assert list(fixed.items) == []
        assert fixed.result_id != first.result_id
        assert client.published == []  # type: ignore[attr-defined]  # nothing pushed to a client that pulls
        await client.shutdown_session()
    finally:
        await stop(client)


async def test_files_of_the_graph_that_are_not_open_are_pushed_until_opened(tmp_path: Path):
    (tmp_path / "livedag.toml").write_text('[graphs]\nflow = ["a.py", "b.py"]\n')
    (tmp_path / "a.py").write_text("def raw() -> str:\n    return 'x'\n")
    (tmp_path / "b.py").write_text("def n(raw: int) -> int:\n    return 1\n")  # a type mismatch with a.py
    client = pulling_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        capabilities = client_capabilities("visual-studio-code")
        assert capabilities.text_document is not None
        capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "ws")],
            )
        )
        a = open_file(client, tmp_path / "a.py")
        b = (tmp_path / "b.py").as_uri()
        assert list((await pull(client, a)).items) == []
        pushed = await diagnostics(client, b)  # b.py is not open: the client would never pull it
        assert [d.code for d in pushed] == ["type-mismatch"]
        open_file(client, tmp_path / "b.py")

        def cleared() -> bool:
            latest = [params for params in client.published if params.uri == b][-1]  # type: ignore[attr-defined]
            return not list(latest.diagnostics)

        await wait_until(client, cleared)  # opened: what was pushed is cleared...
        assert [d.code for d in (await pull(client, b)).items] == ["type-mismatch"]  # ...and pulled instead
        await client.shutdown_session()
    finally:
        await stop(client)
