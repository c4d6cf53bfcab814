"""Running nodes through the real server over stdio: results in inlay hints, hover, diagnostics and
graph statuses; staleness on edit; cancel, timeout and crashing workers never take the server down."""

from __future__ import annotations

import asyncio

from lsprotocol import types
from run_helpers import (
    as_dict,
    execute,
    hover_text,
    inlay_labels,
    line_of,
    logged,
    open_file,
    replace_all,
    run,
    shown,
    statuses_reach,
    wait_until,
)


def opened(client, workspace):
    path = workspace / "pipe.py"
    return open_file(client, path), path.read_text()


async def test_running_a_node_shows_its_value_and_its_upstreams_in_place(client, workspace):
    uri, text = opened(client, workspace)
    outcome = await run(client, uri, "b")
    assert (outcome["status"], outcome["ok"]) == ("finished", True)
    assert client.inlay_refreshes > 0  # the client was told to ask again (it announced refresh support)
    labels = await inlay_labels(client, uri)
    assert labels[line_of(text, "def a(")].endswith(" = 42")
    assert labels[line_of(text, "def b(")].endswith(" = 84")
    assert line_of(text, "def c(") not in labels
    hover = await hover_text(client, uri, types.Position(line_of(text, "def b("), 5))
    assert "84" in hover
    assert "took" in hover
    assert "ago" in hover
    await statuses_reach(client, {"a": "done", "b": "done"})
    # what user code printed reached the log, and the protocol survived it: the run finished
    assert "printed by a" in await logged(client, "printed by a")


async def test_a_failing_node_gets_a_node_failed_diagnostic_at_its_definition(client, workspace):
    uri, text = opened(client, workspace)
    outcome = await run(client, uri, "c")
    assert (outcome["status"], outcome["ok"]) == ("finished", False)
    await statuses_reach(client, {"a": "done", "b": "done", "c": "failed"})
    failed = [d for d in client.diagnostics.get(uri, []) if d.code == "node-failed"]
    assert len(failed) == 1
    assert failed[0].range.start.line == line_of(text, "def c(")
    assert failed[0].message == "'c' failed: ValueError: bad 84"  # plain text: editors do not render Markdown here
    assert failed[0].severity == types.DiagnosticSeverity.Error
    (related,) = failed[0].related_information
    assert related.location.uri == uri
    assert related.location.range.start.line == line_of(text, "raise ValueError")
    labels = await inlay_labels(client, uri)
    assert labels[line_of(text, "def c(")] == "✗ ValueError"


async def test_an_edit_upstream_makes_results_stale(client, workspace):
    uri, text = opened(client, workspace)
    await run(client, uri, "b")
    await statuses_reach(client, {"a": "done", "b": "done"})
    replace_all(client, uri, text.replace("return x + 40", "return x + 41"), version=2)
    await statuses_reach(client, {"a": "stale", "b": "stale"})
    labels = await inlay_labels(client, uri)
    assert labels[line_of(text, "def b(")].startswith("stale · ")
    assert "stale" in await hover_text(client, uri, types.Position(line_of(text, "def a("), 5))
    await run(client, uri, "b")
    statuses = await statuses_reach(client, {"a": "done", "b": "done"})
    assert statuses["a"] == "done"
    assert (await inlay_labels(client, uri))[line_of(text, "def b(")].endswith(" = 86")


async def test_a_timeout_kills_the_worker_and_the_server_keeps_answering(short_client, workspace):
    uri, text = opened(short_client, workspace)
    outcome = await run(short_client, uri, "forever")
    assert outcome["status"] == "timeout"
    await shown(short_client, "longer than 3 s")
    await statuses_reach(short_client, {"forever": "failed"})
    assert "RunTimeout" in (await inlay_labels(short_client, uri))[line_of(text, "def forever(")]
    assert (await run(short_client, uri, "b"))["ok"] is True


async def test_the_cancel_command_stops_a_run(client, workspace):
    uri, _ = opened(client, workspace)
    running = asyncio.ensure_future(run(client, uri, "forever"))
    await statuses_reach(client, {"forever": "running"})
    assert await execute(client, "livedag.cancelRun", {"uri": uri}) is True
    outcome = await running
    assert outcome["status"] == "cancelled"
    await statuses_reach(client, {"forever": "skipped"})
    assert (await run(client, uri, "b"))["ok"] is True


async def test_cancel_request_of_the_run_command_stops_the_run(client, workspace):
    uri, _ = opened(client, workspace)
    params = types.ExecuteCommandParams(command="livedag.run", arguments=[{"uri": uri, "node": "forever"}])
    future = client.protocol.send_request(types.WORKSPACE_EXECUTE_COMMAND, params, msg_id="run-forever")
    await statuses_reach(client, {"forever": "running"})
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="run-forever"))
    await statuses_reach(client, {"forever": "skipped"})
    assert future.done()
    assert (await run(client, uri, "b"))["ok"] is True


async def test_a_node_calling_os_exit_does_not_take_the_server_down(client, workspace):
    uri, text = opened(client, workspace)
    outcome = await run(client, uri, "bye")
    assert outcome["status"] == "crashed"
    assert "exit code 1" in outcome["message"]
    await shown(client, "exit code 1")
    assert "bye" in await hover_text(client, uri, types.Position(line_of(text, "def bye("), 5))
    assert (await run(client, uri, "b"))["ok"] is True


async def test_missing_inputs_are_listed_in_one_message(client, workspace):
    uri, _ = opened(client, workspace)
    outcome = await run(client, uri, "needs")
    assert outcome["status"] == "error"
    assert outcome["missing"] == ["y", "z"]
    message = await shown(client, "missing inputs")
    assert "`y` (needed by `needs`); `z` (needed by `needs`)" in message
    assert "pyproject.toml" in message


async def test_code_lenses_offer_running_each_node_and_the_graph(client, workspace):
    uri, text = opened(client, workspace)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(types.TextDocumentIdentifier(uri)))
    runs = [lens for lens in lenses if lens.command and lens.command.command == "livedag.run"]
    assert runs[0].command.title == "▶ Run graph"
    assert list(runs[0].command.arguments) == [{"uri": uri, "node": None}]
    per_node = {lens.command.arguments[0]["node"]: lens.range.start.line for lens in runs[1:]}
    assert per_node["b"] == line_of(text, "def b(")
    assert all(lens.command.title == "▶ Run" for lens in runs[1:])


async def test_a_configured_graph_runs_whole_with_its_inputs_despite_noise_on_stdout(project_client, project):
    path = project / "flow" / "source.py"
    text = path.read_text()
    uri = open_file(project_client, path)
    outcome = await run(project_client, uri, None)
    assert (outcome["status"], outcome["ok"]) == ("finished", True)
    await statuses_reach(project_client, {"words": "done", "count": "done"})
    labels = await inlay_labels(project_client, uri)
    assert labels[line_of(text, "def count(")].endswith(" = 3")
    assert labels[line_of(text, "def words(")].endswith(" = ['one', 'two', 'three']")
    assert await logged(project_client, "status line from words")
    assert await logged(project_client, '"run": "fake"')


async def test_an_interpreter_without_livedag_is_reported_with_how_to_fix_it(bare_python_client, workspace):
    uri, _ = opened(bare_python_client, workspace)
    outcome = await run(bare_python_client, uri, "b")
    assert outcome["status"] == "crashed"
    assert "install livedag in the interpreter set by livedag.run.python" in outcome["message"]
    await shown(bare_python_client, "could not start")


async def test_an_unsaved_buffer_runs_from_its_text(client, workspace):
    uri = "untitled:Untitled-1"
    text = "def one() -> int:\n    return 1\n\n\ndef two(one: int) -> int:\n    return one + 1\n"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    outcome = await run(client, uri, "two")
    assert (outcome["status"], outcome["ok"]) == ("finished", True)
    assert (await inlay_labels(client, uri))[line_of(text, "def two(")].endswith(" = 2")


async def test_a_file_with_a_syntax_error_is_not_run(client, workspace):
    uri, text = opened(client, workspace)
    replace_all(client, uri, text + "\ndef broken(:\n", version=2)
    await wait_until(
        client,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        lambda: any(d.code == "syntax-error" for d in client.diagnostics.get(uri, [])),
    )
    outcome = await run(client, uri, "b")
    assert outcome["status"] == "error"
    assert "fix the syntax error" in outcome["message"]


async def test_code_lenses_warm_a_worker_that_the_first_run_uses(client, workspace):
    uri, _ = opened(client, workspace)
    await client.text_document_code_lens_async(types.CodeLensParams(types.TextDocumentIdentifier(uri)))
    await logged(client, "run worker")  # started a moment after the lenses, before any run
    assert (await run(client, uri, "b"))["ok"] is True
    assert len([m for m in client.log_messages if "livedag: run worker" in m.message]) == 1


async def test_a_client_without_lenses_runs_the_node_at_a_position(client, workspace):
    uri, text = opened(client, workspace)
    inside_b = {"line": line_of(text, "return a * 2"), "character": 8}
    outcome = as_dict(await execute(client, "livedag.run", {"uri": uri, "position": inside_b}))
    assert (outcome["status"], outcome["ok"]) == ("finished", True)
    assert (await inlay_labels(client, uri))[line_of(text, "def b(")].endswith(" = 84")
    nowhere = {"line": line_of(text, "import time"), "character": 0}
    refused = as_dict(await execute(client, "livedag.run", {"uri": uri, "position": nowhere}))
    assert refused["status"] == "error"
    assert f"no node at line {nowhere['line'] + 1}" in refused["message"]


async def test_an_import_error_is_a_diagnostic_on_its_line_until_the_file_changes(client, workspace):
    uri = "untitled:Broken-1"
    text = "def one() -> int:\n    return 1\n\n\nraise RuntimeError('at import')\n"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    outcome = await run(client, uri, "one")
    assert outcome["status"] == "error"
    assert "RuntimeError: at import" in outcome["message"]

    def run_failed():
        return [d for d in client.diagnostics.get(uri, []) if d.code == "run-failed"]

    (found,) = await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, run_failed)
    assert found.range.start.line == 4
    assert "RuntimeError: at import" in found.message
    replace_all(client, uri, text.replace("raise RuntimeError('at import')", "ONE = 1"), version=2)
    await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, lambda: not run_failed())
