"""Diagnostics over stdio: codes, related information, debounce, syntax errors, multi-file graphs,
the noise rule and a malformed configuration."""

from __future__ import annotations

from pathlib import Path

from lsp_helpers import diagnostics, graph_changed, open_file, position, replace_all, wait_until
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_problems_are_published_with_codes_and_related_information(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "pipeline.py")
    found = await diagnostics(client, uri, version=1)
    by_code = {d.code: d for d in found}
    assert set(by_code) == {"type-mismatch", "missing-annotation", "possible-typo"}
    assert all(d.source == "livedag" for d in found)
    mismatch = by_code["type-mismatch"]
    assert mismatch.severity == types.DiagnosticSeverity.Error
    assert mismatch.range.start.line == 19  # `word_count: str` in `report`, line 20
    assert mismatch.related_information
    assert mismatch.related_information[0].location.uri == uri
    assert mismatch.related_information[0].location.range.start.line == 15  # `def word_count`
    assert by_code["possible-typo"].severity == types.DiagnosticSeverity.Warning


async def test_a_cycle_points_at_every_node_of_it(client: LanguageClient, workspace: Path):
    text = "def a(b: int) -> int:\n    return b\n\n\ndef b(a: int) -> int:\n    return a\n"
    uri = open_file(client, workspace / "cycle.py", text)
    found = await diagnostics(client, uri, version=1)
    cycles = [d for d in found if d.code == "cycle"]
    assert cycles
    lines = {info.location.range.start.line for d in cycles for info in d.related_information or []}
    lines |= {d.range.start.line for d in cycles}
    assert {0, 4} <= lines


async def test_a_burst_of_edits_costs_one_resolution_and_the_last_wins(slow_client: LanguageClient, workspace: Path):
    client = slow_client
    path = workspace / "clean.py"
    uri = open_file(client, path)
    assert await diagnostics(client, uri, version=1) == []
    await graph_changed(client)  # sent right after the diagnostics of version 1
    changes_before = len(client.graph_changes)
    text = path.read_text()
    for version in range(2, 12):
        # each intermediate text has a type mismatch; only the last one is clean again
        edited = text.replace("def total(base: int", "def total(base: str") if version < 11 else text + "\n"
        replace_all(client, uri, edited, version)
    assert await diagnostics(client, uri, version=11) == []
    published = [p.version for p in client.published if p.uri == uri]
    assert published == [1, 11]
    # a request answered after the resolution of version 11: a graphChanged of it would have come first
    await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0)))
    assert len(client.graph_changes) == changes_before  # the intermediate graphs were never drawn


async def test_a_syntax_error_is_reported_and_the_last_good_graph_keeps_serving(
    client: LanguageClient, workspace: Path
):
    path = workspace / "clean.py"
    text = path.read_text()
    uri = open_file(client, path)
    await diagnostics(client, uri, version=1)
    broken = text.replace("def doubled(base: int) -> int:", "def doubled(base: int -> int:")
    replace_all(client, uri, broken, 2)
    found = await diagnostics(client, uri, version=2)
    assert [d.code for d in found] == ["syntax-error"]
    assert found[0].range.start.line == 7
    where = position(text, "def total", offset=5)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=where)
    )
    assert hover is not None
    assert "total" in hover.contents.value
    replace_all(client, uri, text, 3)
    assert await diagnostics(client, uri, version=3) == []


async def test_an_edit_in_one_file_updates_every_file_of_the_graph(project_client: LanguageClient, workspace: Path):
    client = project_client
    flow = workspace / "project" / "flow"
    stats_uri = open_file(client, flow / "stats.py")
    assert await diagnostics(client, stats_uri, version=1) == []
    # the other file of the graph is read from disk and diagnosed too, without being opened
    assert await diagnostics(client, (flow / "sources.py").as_uri()) == []
    sources = flow / "sources.py"
    sources_uri = open_file(client, sources)
    await diagnostics(client, sources_uri, version=1)
    replace_all(client, sources_uri, sources.read_text().replace("list[int]", "list[str]"), 2)
    found = await wait_until(
        client,
        lambda: [p for p in client.published if p.uri == stats_uri and p.diagnostics],
    )
    mismatch = found[-1].diagnostics[0]
    assert mismatch.code == "type-mismatch"
    assert mismatch.related_information[0].location.uri == sources_uri


def cleared(client: LanguageClient, uri: str) -> bool:
    """Whether the latest diagnostics published for ``uri`` are an empty list."""
    return uri in client.diagnostics and not client.diagnostics[uri]


def changed(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    event = types.FileEvent(uri=path.as_uri(), type=kind)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))


async def test_a_file_changed_on_disk_is_read_again(project_client: LanguageClient, workspace: Path):
    client = project_client
    flow = workspace / "project" / "flow"
    stats_uri = open_file(client, flow / "stats.py")
    assert await diagnostics(client, stats_uri, version=1) == []
    sources = flow / "sources.py"
    sources.write_text(sources.read_text().replace("list[int]", "dict[str, int]"))
    changed(client, sources, types.FileChangeType.Changed)
    found = await wait_until(
        client,
        lambda: [p for p in client.published if p.uri == stats_uri and p.diagnostics],
    )
    assert found[-1].diagnostics[0].code == "type-mismatch"
    sources.unlink()
    changed(client, sources, types.FileChangeType.Deleted)
    # `numbers` is now an external input: no problem left, and the deleted file's diagnostics are cleared
    await wait_until(
        client,
        lambda: cleared(client, stats_uri) and cleared(client, sources.as_uri()),
    )


async def test_an_ordinary_python_file_gets_no_noise(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ordinary.py")
    assert await diagnostics(client, uri, version=1) == []
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert not lenses
    # the same functions in a file that imports livedag are a dataflow: the missing annotations show
    text = "import livedag\n" + (workspace / "ordinary.py").read_text()
    uri = open_file(client, workspace / "marked.py", text)
    found = await diagnostics(client, uri, version=1)
    assert {d.code for d in found} == {"missing-annotation"}


async def test_a_malformed_configuration_is_one_clear_diagnostic(bad_config_client: LanguageClient, workspace: Path):
    client = bad_config_client
    config_uri = (workspace / "badconfig" / "pyproject.toml").as_uri()
    found = await diagnostics(client, config_uri)
    assert len(found) == 1
    assert found[0].code == "config"
    assert "flow" in found[0].message
    assert found[0].range.start.line == 4
    assert any("livedag" in m.message for m in client.messages)
    # the server keeps serving: the file is a graph of its own
    uri = open_file(client, workspace / "badconfig" / "flow.py")
    assert await diagnostics(client, uri, version=1) == []


async def test_closing_a_standalone_file_clears_its_diagnostics(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "pipeline.py")
    assert await diagnostics(client, uri, version=1)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await wait_until(client, lambda: cleared(client, uri))


async def test_file_watchers_are_registered(client: LanguageClient):
    registrations = await wait_until(client, lambda: client.registrations)
    assert registrations[0].method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    watchers = registrations[0].register_options["watchers"]  # options arrive as plain JSON
    assert {w["globPattern"] for w in watchers} == {"**/*.py", "**/pyproject.toml", "**/livedag.toml"}


async def test_a_save_reads_the_files_that_are_not_open_again(project_client: LanguageClient, workspace: Path):
    client = project_client
    flow = workspace / "project" / "flow"
    stats_uri = open_file(client, flow / "stats.py")
    assert await diagnostics(client, stats_uri, version=1) == []
    sources = flow / "sources.py"
    sources.write_text(sources.read_text().replace("list[int]", "set[str]"))  # no watcher event
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=stats_uri))
    )
    found = await wait_until(client, lambda: [p for p in client.published if p.uri == stats_uri and p.diagnostics])
    assert found[-1].diagnostics[0].code == "type-mismatch"
