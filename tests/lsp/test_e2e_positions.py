"""Positions in the encoding agreed at ``initialize``, through the real server, on lines with non-BMP
characters (emoji: 2 utf-16 units, 4 utf-8 bytes), CJK (1 unit, 3 bytes) and accents (1 unit, 2 bytes),
for every feature that takes or returns a position; and the line model (a form feed or U+2028 in a
line is not a line end) in the server's copy of the text after incremental edits.

The expected positions are computed here, from the text, independently of the server's code."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import diagnostics, make_client, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

TEXT = textwrap.dedent(
    """\
    from typing import Literal

    import livedag


    def raw() -> str:
        return "text"


    def shout(mark: Literal["🎉🎉"], raw: str, extra) -> str:
        return raw.upper()


    def café(raw: str) -> str:
        return raw


    def 数据(raw: str, shout: str) -> str:
        return raw + shout
    """
)


async def ask(method: Any, params: Any) -> Any:
    """A request, answered within 30 s (a server that hangs fails the test)."""
    return await asyncio.wait_for(method(params), 30)


def units(line: str, column: int, encoding: str) -> int:
    """Code-point ``column`` of ``line`` in the encoding's code units."""
    head = line[:column]
    if encoding == "utf-16":
        return len(head.encode("utf-16-le")) // 2
    if encoding == "utf-8":
        return len(head.encode("utf-8"))
    return len(head)


def code_points(line: str, character: int, encoding: str) -> int:
    for column in range(len(line) + 1):
        if units(line, column, encoding) >= character:
            return column
    return len(line)


def at(text: str, needle: str, encoding: str, occurrence: int = 0, offset: int = 0) -> types.Position:
    """Where the ``occurrence``-th ``needle`` starts (plus ``offset`` code points), in ``encoding``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return types.Position(line, units(text.split("\n")[line], index - start, encoding))


def word_range(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Range:
    start = at(text, needle, encoding, occurrence)
    end = at(text, needle, encoding, occurrence, offset=len(needle))
    return types.Range(start, end)


def apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply ``edits`` (in ``encoding`` units) the way a client does: from the last to the first."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        line = lines[start.line]
        begin, finish = code_points(line, start.character, encoding), code_points(line, end.character, encoding)
        lines[start.line] = line[:begin] + edit.new_text + line[finish:]
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def session(
    root: Path, offered: list[str] | None, options: dict[str, Any] | None = None
) -> AsyncIterator[LanguageClient]:
    """A server started with -P, initialized offering ``offered``; shut down (or killed) at the end."""
    client = await started(root, offered, options)
    try:
        yield client
        await asyncio.wait_for(client.shutdown_session(), 30)
    finally:
        server = getattr(client, "_server", None)  # the process pygls started (it has no public handle)
        if server is not None and server.returncode is None:
            server.kill()
        await client.stop()


async def started(root: Path, offered: list[str] | None, options: dict[str, Any] | None = None) -> LanguageClient:
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = types.GeneralClientCapabilities(position_encodings=offered)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options or {},
        )
    )
    client.encoding = str(result.capabilities.position_encoding)  # type: ignore[attr-defined]
    return client


CASES = [
    (None, {}, "utf-16"),
    (["utf-8", "utf-16"], {}, "utf-8"),
    (["utf-32", "utf-16"], {}, "utf-32"),
    (["utf-8", "utf-16"], {"positionEncoding": "utf-16"}, "utf-16"),  # forced: what VS Code and pyright speak
]


@pytest.mark.parametrize(("offered", "options", "encoding"), CASES, ids=["default", "utf-8", "utf-32", "forced"])
async def test_every_position_in_the_agreed_encoding(
    tmp_path: Path, offered: list[str] | None, options: dict[str, Any], encoding: str
):
    path = tmp_path / "flow.py"
    path.write_text(TEXT, encoding="utf-8")
    async with session(tmp_path, offered, options) as client:
        assert client.encoding == encoding  # type: ignore[attr-defined]
        uri = open_file(client, path)
        document = types.TextDocumentIdentifier(uri)

        # diagnostics: `extra` has no annotation; it comes after the emoji
        found = await diagnostics(client, uri)
        extra = next(d for d in found if d.code == "missing-annotation")
        assert extra.range == word_range(TEXT, "extra", encoding)

        # hover: after the emoji, after the accent, after CJK
        for occurrence in (1, 3, 5):  # `raw` in the lines of shout, café and 数据
            hover = await ask(
                client.text_document_hover_async,
                types.HoverParams(document, at(TEXT, "raw", encoding, occurrence, offset=1)),
            )
            assert hover is not None, occurrence
            assert hover.range == word_range(TEXT, "raw", encoding, occurrence)

        # definition from the parameter after the emoji: `def raw` (ASCII) and back
        definition = await ask(
            client.text_document_definition_async,
            types.DefinitionParams(document, at(TEXT, "raw", encoding, 1, offset=2)),
        )
        assert isinstance(definition, types.Location)
        assert definition.range == word_range(TEXT, "raw", encoding, 0)

        # references of `shout`, used as a parameter after the CJK name
        references = await ask(
            client.text_document_references_async,
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=True),
                text_document=document,
                position=at(TEXT, "shout", encoding, 1),
            ),
        )
        assert references is not None
        assert word_range(TEXT, "shout", encoding, 1) in [ref.range for ref in references]

        # prepare rename and rename `raw` -> `source` from the line with the emoji
        prepared = await ask(
            client.text_document_prepare_rename_async, types.PrepareRenameParams(document, at(TEXT, "raw", encoding, 1))
        )
        assert isinstance(prepared, types.PrepareRenamePlaceholder)
        assert prepared.range == word_range(TEXT, "raw", encoding, 1)
        edit = await ask(
            client.text_document_rename_async,
            types.RenameParams(document, at(TEXT, "raw", encoding, 1, offset=1), "source"),
        )
        assert edit is not None
        assert edit.changes is not None
        assert apply(TEXT, list(edit.changes[uri]), encoding) == TEXT.replace("raw", "source")

        # document symbols: the CJK and accented names
        symbols = await ask(client.text_document_document_symbol_async, types.DocumentSymbolParams(document))
        assert symbols is not None
        selections = {s.name: s.selection_range for s in symbols if isinstance(s, types.DocumentSymbol)}
        assert selections["数据"] == word_range(TEXT, "数据", encoding)
        assert selections["café"] == word_range(TEXT, "café", encoding)

        # code lenses: on the CJK and accented names (their ends differ in utf-8)
        lenses = await ask(client.text_document_code_lens_async, types.CodeLensParams(document))
        assert lenses is not None
        ranges = [lens.range for lens in lenses]
        assert word_range(TEXT, "数据", encoding) in ranges
        assert word_range(TEXT, "café", encoding) in ranges

        # completion in the parameter list after the emoji
        edited = TEXT.replace("extra) -> str:", "extra, ) -> str:")
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(at(TEXT, "extra", encoding, offset=5), at(TEXT, "extra", encoding, offset=5)),
                        text=", ",
                    )
                ],
            )
        )
        completion = await ask(
            client.text_document_completion_async,
            types.CompletionParams(document, at(edited, "extra, ", encoding, offset=7)),
        )
        assert completion is not None
        assert "café" in [item.label for item in completion.items]

        # an incremental edit after the emoji: `raw` -> `rawx` in the server's copy, seen by hover
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(at(edited, "raw", encoding, 1, 3), at(edited, "raw", encoding, 1, 3)),
                        text="x",
                    )
                ],
            )
        )
        await diagnostics(client, uri, version=3)
        now = edited.replace("], raw:", "], rawx:")
        hover = await ask(client.text_document_hover_async, types.HoverParams(document, at(now, "rawx", encoding)))
        assert hover is not None
        assert hover.range == word_range(now, "rawx", encoding)
        assert isinstance(hover.contents, types.MarkupContent)
        assert "rawx" in hover.contents.value


FORM_FEED = "def words(text: str) -> list[str]:\n    return text.split()\n\x0c\n# \u2028 a line separator in a comment\n\n\ndef n_words(words: list[str]) -> int:\n    return len(words)\n\n\ndef count(n_words: int) -> int:\n    return n_words\n"  # noqa: E501


async def test_form_feed_and_line_separators_do_not_end_lines(tmp_path: Path):
    path = tmp_path / "flow.py"
    path.write_text("import livedag\n" + FORM_FEED, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    async with session(tmp_path, None) as client:
        uri = open_file(client, path)
        document = types.TextDocumentIdentifier(uri)
        assert await diagnostics(client, uri) == []  # words: list[str] is read from its own line
        # edits below the ^L line, by LSP lines (which do not end at ^L or U+2028)
        version, current = 1, text
        for _ in range(3):
            version += 1
            last = current.count("n_words") - 1  # in the body of `count`
            spot = at(current, "n_words", "utf-16", last)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    [types.TextDocumentContentChangePartial(range=types.Range(spot, spot), text="0 + ")],
                )
            )
            index = current.rindex("n_words")
            current = current[:index] + "0 + " + current[index:]
        assert await diagnostics(client, uri, version) == []
        # the server's copy is the editor's: renaming edits exactly `n_words`
        edit = await ask(
            client.text_document_rename_async,
            types.RenameParams(document, at(current, "n_words", "utf-16", 0, 1), "word_count"),
        )
        assert edit is not None
        assert edit.changes is not None
        assert apply(current, list(edit.changes[uri]), "utf-16") == current.replace("n_words", "word_count")
