"""Monorepos: a graph declared in ``pkg/pyproject.toml`` is found from its documents, the way ruff, mypy and
pytest find their configuration; workspace folders added later have their configuration read."""

from __future__ import annotations

import sys
from pathlib import Path

from lsp_helpers import diagnostics, make_client, open_file, position, start, stop
from lsprotocol import types

A = "def raw() -> str:\n    return 'text'\n"
B = "def n_chars(raw: str) -> int:\n    return len(raw)\n"


def monorepo(root: Path) -> Path:
    package = root / "packages" / "pkg"
    (package / "flow").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'monorepo'\n")  # no livedag settings here
    (package / "pyproject.toml").write_text('[project]\nname = "pkg"\n\n[tool.livedag.graphs]\nflow = ["flow/*.py"]\n')
    (package / "flow" / "a.py").write_text(A)
    (package / "flow" / "b.py").write_text(B)
    return package


async def test_a_graph_declared_in_a_package_is_found_from_its_documents(tmp_path: Path):
    package = monorepo(tmp_path)
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        await start(client, tmp_path)  # the workspace is the monorepo's root
        uri = open_file(client, package / "flow" / "b.py")
        assert await diagnostics(client, uri) == []  # `raw` is a node of a.py, not a missing input
        found = await client.text_document_definition_async(
            types.DefinitionParams(types.TextDocumentIdentifier(uri), position(B, "raw", 0, 1))
        )
        assert isinstance(found, types.Location)
        assert found.uri == (package / "flow" / "a.py").as_uri()
        edit = await client.text_document_rename_async(
            types.RenameParams(types.TextDocumentIdentifier(uri), position(B, "raw", 0, 1), "source")
        )
        assert edit is not None
        assert edit.changes is not None
        assert sorted(edit.changes) == sorted((package / "flow" / name).as_uri() for name in ("a.py", "b.py"))
        await client.shutdown_session()
    finally:
        await stop(client)


async def test_a_workspace_folder_added_later_has_its_configuration_read(tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (second / "livedag.toml").write_text("[graphs]\nflow = 3\n")  # wrong: a diagnostic once it is read
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        await start(client, first)
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(second.as_uri(), "second")], removed=[])
            )
        )
        found = await diagnostics(client, (second / "livedag.toml").as_uri())
        assert [d.code for d in found] == ["config"]
        await client.shutdown_session()
    finally:
        await stop(client)
