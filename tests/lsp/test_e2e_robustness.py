"""The server never dies on input: unknown URIs, positions past the end, huge and garbage files,
bad request parameters, files deleted under it; and random edits through the running server
(hypothesis) never stop it from answering."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_helpers import FIXTURES, diagnostics, make_client, open_file, replace_all, start
from lsprotocol import types
from pytest_lsp import LanguageClient

FAR = types.Position(line=10_000, character=500)


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def ask_everything(client: LanguageClient, uri: str, where: types.Position) -> None:
    """Every request the server answers, at one position; none may fail."""
    await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=where))
    await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=where))
    await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri), position=where, context=types.ReferenceContext(include_declaration=True)
        )
    )
    await client.text_document_completion_async(types.CompletionParams(text_document=doc(uri), position=where))
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(uri)))
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))


async def test_unknown_uris_and_far_positions_get_empty_answers(client: LanguageClient, workspace: Path):
    missing = (workspace / "nowhere.py").as_uri()
    await ask_everything(client, missing, FAR)
    await ask_everything(client, "untitled:Untitled-1", FAR)
    uri = open_file(client, workspace / "pipeline.py")
    await diagnostics(client, uri, version=1)
    await ask_everything(client, uri, FAR)
    with pytest.raises(Exception, match="no graph"):
        await client.protocol.send_request_async("livedag/graph", {"uri": missing})


async def test_bad_request_parameters_are_lsp_errors(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "pipeline.py")
    await diagnostics(client, uri, version=1)
    for params in ({}, {"uri": 3}, {"uri": uri, "depth": "deep"}, {"uri": uri, "depth": -2}):
        with pytest.raises(Exception, match="livedag"):
            await client.protocol.send_request_async("livedag/graph", params)
    with pytest.raises(Exception, match="livedag"):
        await client.text_document_rename_async(types.RenameParams(text_document=doc(uri), position=FAR, new_name="x"))
    with pytest.raises(Exception, match=r"focus_node|argument|positional"):  # a handler that raises: an LSP error
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="livedag.focusNode", arguments=[])
        )
    # still answering
    answer = await client.protocol.send_request_async("livedag/graph", {"uri": uri})
    assert answer.totalNodes == 7


async def test_huge_and_garbage_files(client: LanguageClient, workspace: Path):
    huge = "\n".join(f"def n{i}({'n' + str(i - 1) if i else 'seed'}: int) -> int:\n    return 1\n" for i in range(5000))
    uri = open_file(client, workspace / "huge.py", huge)
    assert await diagnostics(client, uri, version=1) == []
    answer = await client.protocol.send_request_async("livedag/graph", {"uri": uri, "focus": "n2500", "depth": 2})
    assert answer.totalNodes == 5000
    assert len(answer.nodes) == 5
    garbage = "\x00\x01def (((:\n\t\t  \udcff é" * 200
    uri = open_file(client, workspace / "garbage.py", garbage)
    await diagnostics(client, uri, version=1)
    await ask_everything(client, uri, types.Position(line=3, character=4))


async def test_an_open_file_deleted_on_disk_keeps_its_buffer(project_client: LanguageClient, workspace: Path):
    client = project_client
    flow = workspace / "project" / "flow"
    stats = flow / "stats.py"
    uri = open_file(client, stats)
    await diagnostics(client, uri, version=1)
    stats.unlink()
    (flow / "sources.py").unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=stats.as_uri(), type=types.FileChangeType.Deleted),
                types.FileEvent(uri=(flow / "sources.py").as_uri(), type=types.FileChangeType.Deleted),
            ]
        )
    )
    replace_all(client, uri, "def mean(numbers: list[int]) -> float:\n    return 1.0\n", 2)
    assert await diagnostics(client, uri, version=2) == []
    await ask_everything(client, uri, types.Position(line=0, character=5))


# -- random edits through the running server ----------------------------------------------------------
TOKENS = [
    "def ",
    "async def ",
    "(",
    ")",
    ":",
    " -> ",
    "int",
    "list[str]",
    ",",
    "\n",
    "    ",
    "@",
    '"""',
    "#",
    "yield ",
    "return ",
    "words",
    "raw_text",
    "x",
    "=",
    " ",
    "\\",
    "é",
    "\t",
    "class C:\n",
]
EDITS = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 40), st.lists(st.sampled_from(TOKENS), max_size=5).map("".join)),
    min_size=1,
    max_size=6,
)
SOURCES = {name: (FIXTURES / name).read_text() for name in ("pipeline.py", "tricky.py", "clean.py")}


class ServerThread:
    """One running server and its client on an event loop in a thread, shared by every example."""

    def __init__(self, root: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client: LanguageClient = self.run(self._start(root))

    async def _start(self, root: Path) -> LanguageClient:
        client = make_client()
        await client.start_io(sys.executable, "-m", "livedag.lsp")
        await start(client, root, {"debounceMs": 5})
        return client

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def close(self) -> None:
        self.run(self.client.shutdown_session())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    running = ServerThread(tmp_path_factory.mktemp("random"))
    yield running
    running.close()


def offset_to_position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def edit_and_ask(client: LanguageClient, uri: str, text: str, edits: list[tuple[float, int, str]]) -> None:
    open_file(client, Path(uri.removeprefix("file://")), text)
    version = 1
    for where, deleted, inserted in edits:
        start = int(where * len(text))
        end = min(start + deleted, len(text))
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=offset_to_position(text, start), end=offset_to_position(text, end)),
                        text=inserted,
                    )
                ],
            )
        )
        text = text[:start] + inserted + text[end:]
        await ask_everything(client, uri, offset_to_position(text, start))
    await diagnostics(client, uri, version=version)
    answer = await client.protocol.send_request_async("livedag/graph", {"uri": uri})
    assert answer.totalNodes >= 0
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(uri)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(SOURCES)), edits=EDITS, n=st.integers(0, 10**9))
def test_random_edits_never_stop_the_server(server: ServerThread, name: str, edits, n: int):
    uri = f"file:///tmp/livedag-random/{n}-{name}"
    server.run(edit_and_ask(server.client, uri, SOURCES[name], edits))
