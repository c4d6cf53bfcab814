"""The real server over stdio on a file using Hamilton's modifiers: no false diagnostics, hover lists what a
decorated function makes, definition lands on the decorator string, rename edits it, and the drawing groups
the generated nodes."""

from __future__ import annotations

from pathlib import Path

from lsp_helpers import diagnostics, open_file, position
from lsprotocol import types
from pytest_lsp import LanguageClient

SOURCE = """from hamilton.function_modifiers import config, extract_fields


@extract_fields({"mean": float, "spread": float})
def stats(values: list[float]) -> dict:
    return {"mean": 1.0, "spread": 2.0}


@config.when(kind="a")
def label__a(mean: float) -> str:
    return str(mean)


@config.when(kind="b")
def label__b(spread: float) -> str:
    return str(spread)


def report(label: str, mean: float) -> str:
    return label + str(mean)
"""


async def test_hamilton_modifiers_in_the_editor(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "modifiers.py"
    path.write_text(SOURCE)
    uri = open_file(client, path)
    assert await diagnostics(client, uri, version=1) == []  # no false error, no typo, no note
    document = types.TextDocumentIdentifier(uri=uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=position(SOURCE, "def stats", offset=5))
    )
    assert hover is not None
    assert "**`stats` makes** (3 nodes)" in hover.contents.value
    family = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=position(SOURCE, "label: str", offset=1))
    )
    assert family is not None
    assert "`label__a` when kind == 'a'" in family.contents.value
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document, position=position(SOURCE, "mean: float) -> str", offset=1))
    )
    assert isinstance(found, types.Location)
    assert (found.range.start.line, found.range.start.character, found.range.end.character) == (3, 18, 22)
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=document,
            position=position(SOURCE, "mean: float)", occurrence=1, offset=1),
            new_name="average",
        )
    )
    assert edit is not None
    assert edit.changes is not None
    starts = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri])
    assert (3, 18) in starts  # the "mean" string of @extract_fields
    assert len(starts) == 5  # the string, label__a's parameter and body use, report's parameter and body use
