"""Every editor feature over stdio, on tests/lsp/fixtures/pipeline.py (and the two-file project)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from lsp_helpers import diagnostics, graph_changed, open_file, position, replace_all
from lsprotocol import types
from pytest_lsp import LanguageClient


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def opened(client: LanguageClient, workspace: Path, name: str = "pipeline.py") -> tuple[str, str]:
    path = workspace / name
    uri = open_file(client, path)
    await diagnostics(client, uri, version=1)
    return uri, path.read_text()


async def hover_text(client: LanguageClient, uri: str, where: types.Position) -> str | None:
    found = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=where))
    return found.contents.value if found else None


async def test_hover_on_a_node_tells_its_type_kind_neighbours_doc_and_file(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    shown = await hover_text(client, uri, position(text, "def words", offset=5))
    assert shown is not None
    for part in (
        "`words`",
        "list[str]",
        "Lower-cased words.",
        "`raw_text`: `str` from `raw_text`",
        "`word_count`",
        "`report`",
        "`stream`",
        "pipeline.py:11",
    ):
        assert part in shown
    assert "async node" in (await hover_text(client, uri, position(text, "def summary", offset=5)) or "")
    assert "streaming node" in (await hover_text(client, uri, position(text, "def stream", offset=5)) or "")


async def test_hover_on_parameters(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    by_node = await hover_text(client, uri, position(text, "raw_text: str", offset=2))
    assert by_node is not None
    assert "Parameter of `words`" in by_node
    assert "`raw_text`" in by_node
    external = await hover_text(client, uri, position(text, "path: str"))
    assert external is not None
    assert "external input (required)" in external
    optional = await hover_text(client, uri, position(text, "model: str"))
    assert optional is not None
    assert "external input (optional)" in optional
    assert await hover_text(client, uri, position(text, "return path", offset=2)) is None


async def test_go_to_definition_from_a_parameter(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=position(text, "raw_text: str", offset=1))
    )
    assert isinstance(found, types.Location)
    assert found.uri == uri
    assert found.range.start == position(text, "raw_text(path")


async def test_go_to_definition_across_files(project_client: LanguageClient, workspace: Path):
    flow = workspace / "project" / "flow"
    uri, text = await opened(project_client, flow, "stats.py")
    found = await project_client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=position(text, "numbers: list[int]"))
    )
    assert isinstance(found, types.Location)
    assert found.uri == (flow / "sources.py").as_uri()
    assert found.range.start.line == 3


async def test_references_of_a_node(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=position(text, "def words", offset=4),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    lines = sorted(location.range.start.line for location in found)
    assert lines == [10, 15, 19, 27]  # def words, and the parameters of word_count, report, stream


async def test_rename_a_node_renames_its_consumers_and_their_uses(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    where = position(text, "def words", offset=5)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(uri), position=where)
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == "words"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=where, new_name="tokens")
    )
    assert edit is not None
    assert edit.changes is not None
    renamed = apply_edits(text, edit.changes[uri])
    ast.parse(renamed)
    assert "def tokens(raw_text: str)" in renamed
    assert "def word_count(tokens: list[str]) -> int:\n    return len(tokens)" in renamed
    assert "def stream(tokens: list[str]):\n    yield from tokens" in renamed
    assert "def report(word_count: str, tokens: list[str])" in renamed
    assert '"{word_count} words"' in renamed  # text in strings is left alone


@pytest.mark.parametrize(
    ("new_name", "reason"), [("2words", "not a Python identifier"), ("report", "already a node"), ("class", "not")]
)
async def test_rename_refuses_bad_names(client: LanguageClient, workspace: Path, new_name: str, reason: str):
    uri, text = await opened(client, workspace)
    with pytest.raises(Exception, match=reason):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=doc(uri), position=position(text, "def words", offset=5), new_name=new_name
            )
        )


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        line = lines[start.line]
        lines[start.line] = line[: start.character] + edit.new_text + line[end.character :]
    return "\n".join(lines)


async def test_completion_in_a_parameter_list_offers_nodes_with_their_types(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    typed = text + "\n\ndef longest(wo"
    replace_all(client, uri, typed, 2)
    await diagnostics(client, uri, version=2)
    end = position(typed, "def longest(wo", offset=len("def longest(wo"))
    found = await client.text_document_completion_async(types.CompletionParams(text_document=doc(uri), position=end))
    assert found is not None
    items = found.items if isinstance(found, types.CompletionList) else found
    by_label = {item.label: item for item in items}
    assert by_label["words"].insert_text == "words: list[str]"
    assert by_label["word_count"].insert_text == "word_count: int"
    assert "longest" not in by_label
    in_annotation = typed + ": "
    replace_all(client, uri, in_annotation, 3)
    await diagnostics(client, uri, version=3)
    after_colon = position(in_annotation, "def longest(wo: ", offset=len("def longest(wo: "))
    none = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=after_colon)
    )
    assert not none or not (none.items if isinstance(none, types.CompletionList) else none)


async def test_document_and_workspace_symbols(client: LanguageClient, workspace: Path):
    uri, _ = await opened(client, workspace)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert symbols is not None
    names = [symbol.name for symbol in symbols]
    assert names == ["raw_text", "words", "word_count", "report", "summary", "stream", "shout"]
    summary = symbols[names.index("summary")]
    assert isinstance(summary, types.DocumentSymbol)
    assert summary.detail == "→ str · async"
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="WORD"))
    assert found is not None
    assert sorted(symbol.name for symbol in found) == ["word_count", "words"]


async def test_code_lens_counts_dependencies_and_dependents(client: LanguageClient, workspace: Path):
    uri, _ = await opened(client, workspace)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(uri)))
    assert lenses is not None
    ours = [lens for lens in lenses if lens.command and lens.command.command == "livedag.focusNode"]
    titles = {lens.range.start.line: lens.command.title for lens in ours if lens.command}
    assert titles[10] == "1 dependency · 3 dependents"  # words
    assert titles[23] == "2 dependencies · 0 dependents"  # summary
    lens = next(lens for lens in ours if lens.range.start.line == 10)
    assert lens.command is not None
    answer = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lens.command.command, arguments=lens.command.arguments)
    )
    assert answer["focus"] == "words"


async def test_graph_request_whole_and_focused(client: LanguageClient, workspace: Path):
    uri, _ = await opened(client, workspace)
    whole = await client.protocol.send_request_async("livedag/graph", {"uri": uri})
    assert whole.totalNodes == 7
    assert whole.tooLarge is False
    assert whole.mermaid.startswith("flowchart")
    nodes = {node.name: node for node in whole.nodes}
    assert nodes["words"].type == "list[str]"
    assert nodes["words"].dependents == ["word_count", "report", "stream"]
    assert nodes["summary"].kind == "async"
    assert nodes["report"].hasProblems is True
    assert nodes["words"].range.start.line == 10
    # the whole definition, so a client can find the node around its cursor anywhere in the body
    assert (nodes["words"].definitionRange.start.line, nodes["words"].definitionRange.end.line) == (10, 12)
    assert {(i.name, i.required) for i in whole.inputs} == {("path", True), ("model", False), ("wrods", True)}
    mismatch = next(p for p in whole.problems if p.code == "type-mismatch")
    assert mismatch.uri == uri
    assert mismatch.range.start.line == 19
    focused = await client.protocol.send_request_async(
        "livedag/graph", {"uri": uri, "focus": "words", "depth": 1, "maxNodes": 3}
    )
    assert sorted(node.name for node in focused.nodes) == ["raw_text", "report", "stream", "word_count", "words"]
    assert focused.totalNodes == 7
    assert focused.tooLarge is True
    assert focused.focus == "words"
    with pytest.raises(Exception, match="did you mean `words`"):
        await client.protocol.send_request_async("livedag/graph", {"uri": uri, "focus": "wordz"})


async def test_graph_changed_follows_edits_that_change_the_graph(client: LanguageClient, workspace: Path):
    uri, text = await opened(client, workspace)
    first = await graph_changed(client)
    assert first.uri == uri
    assert first.totalNodes == 7
    assert hasattr(first, "statuses")  # node name -> run status, filled by the run extension
    seen = len(client.graph_changes)
    replace_all(client, uri, text + "\n# only a comment\n", 2)
    await diagnostics(client, uri, version=2)
    replace_all(client, uri, text + "\n\ndef loud(shout: str) -> str:\n    return shout\n", 3)
    await diagnostics(client, uri, version=3)
    changed = await graph_changed(client, after=seen)
    assert changed.totalNodes == 8
    assert "loud" in changed.mermaid
    assert changed.version > first.version
    assert len(client.graph_changes) == seen + 1  # the comment-only edit announced nothing
