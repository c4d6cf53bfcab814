"""Quick fixes over JSON-RPC: ``textDocument/codeAction`` answers a typo with its fix, attached to the client's
own diagnostic, and applying the edit clears the problem."""

from __future__ import annotations

from pathlib import Path

from lsp_helpers import diagnostics, open_file, replace_all
from lsprotocol import types
from pytest_lsp import LanguageClient

TEXT = """def clean_documents(raw: dict[str, str]) -> dict[str, str]:
    return raw


def count(clean_document: dict[str, str]) -> int:
    return len(clean_document)
"""


async def test_a_typo_gets_its_quick_fix_and_the_fix_clears_it(client: LanguageClient, workspace: Path):
    path = workspace / "typo.py"
    path.write_text("import livedag\n" + TEXT)
    uri = open_file(client, path)
    (typo,) = [d for d in await diagnostics(client, uri, version=1) if d.code == "possible-typo"]
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=typo.range,
        context=types.CodeActionContext(diagnostics=[typo]),
    )
    actions = await client.text_document_code_action_async(params)
    assert actions is not None
    by_title = {action.title: action for action in actions if isinstance(action, types.CodeAction)}
    fix = by_title["Change to 'clean_documents'"]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    assert list(fix.diagnostics or []) == [typo]
    assert fix.edit is not None
    assert fix.edit.changes is not None
    edits = fix.edit.changes[uri]
    assert len(edits) == 2  # the parameter and its use in the body
    lines = path.read_text().split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        line = lines[edit.range.start.line]
        lines[edit.range.start.line] = (
            line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
        )
    replace_all(client, uri, "\n".join(lines), version=2)
    assert not [d for d in await diagnostics(client, uri, version=2) if d.code == "possible-typo"]


def utf16_apply(line: str, start: int, end: int, text: str) -> str:
    """Replace UTF-16 code units ``start:end`` of ``line`` (what the client counts in, by default)."""
    units = line.encode("utf-16-le")
    return (units[: 2 * start] + text.encode("utf-16-le") + units[2 * end :]).decode("utf-16-le")


async def test_a_quick_fix_after_emoji_edits_the_right_characters(client: LanguageClient, workspace: Path):
    """The fix's edits are converted at the one seam like every position: after two emoji (two UTF-16 units
    each), the parameter is replaced exactly, not two characters off."""
    path = workspace / "emoji.py"
    text = TEXT.replace("def count(clean_document:", 'def count(note: str = "🎉🎉", *, clean_document:')
    path.write_text("import livedag\n" + text)
    uri = open_file(client, path)
    (typo,) = [d for d in await diagnostics(client, uri, version=1) if d.code == "possible-typo"]
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=typo.range,
        context=types.CodeActionContext(diagnostics=[typo]),
    )
    actions = await client.text_document_code_action_async(params)
    fix = next(a for a in actions or [] if isinstance(a, types.CodeAction) and a.title == "Change to 'clean_documents'")
    assert fix.edit is not None
    assert fix.edit.changes is not None
    lines = path.read_text().split("\n")
    for edit in sorted(
        fix.edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        number = edit.range.start.line
        lines[number] = utf16_apply(lines[number], edit.range.start.character, edit.range.end.character, edit.new_text)
    assert 'def count(note: str = "🎉🎉", *, clean_documents: dict[str, str]) -> int:' in lines
    assert "    return len(clean_documents)" in lines
