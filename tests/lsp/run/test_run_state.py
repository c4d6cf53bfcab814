"""Run state: results recorded from worker messages, staleness by fingerprint, what is shown."""

from __future__ import annotations

import textwrap

import pytest

from livedag.graph import Graph
from livedag.lsp.run.present import duration_text, failure, hover_text, inlay_text, result_lens_text
from livedag.lsp.run.state import GraphResults, NodeResult, fingerprints

SOURCE = textwrap.dedent(
    """
    def a(x: int) -> int:
        return x + 1

    def b(a: int) -> int:
        return a * 2

    def c(x: int) -> int:
        return x
    """
)


def graph_of(text):
    return Graph.from_sources({"g.py": text}), {"g.py": text}


def test_fingerprints_change_with_the_node_and_everything_upstream():
    graph, texts = graph_of(SOURCE)
    before = fingerprints(graph, texts, {"x": 1})
    edited_graph, edited = graph_of(SOURCE.replace("x + 1", "x + 2"))
    after = fingerprints(edited_graph, edited, {"x": 1})
    assert after["a"] != before["a"]
    assert after["b"] != before["b"]
    assert after["c"] == before["c"]
    assert fingerprints(graph, texts, {"x": 2})["c"] != before["c"]
    assert fingerprints(graph, texts, {"x": 1}) == before


def test_fingerprints_ignore_lines_outside_nodes():
    graph, texts = graph_of(SOURCE)
    moved_graph, moved = graph_of("import os\n\n" + SOURCE)
    assert fingerprints(moved_graph, moved) == fingerprints(graph, texts)


def test_nodes_on_a_cycle_have_no_fingerprint():
    graph, texts = graph_of("def p(q: int) -> int:\n    return q\n\ndef q(p: int) -> int:\n    return p\n")
    assert fingerprints(graph, texts) == {}


def node(run, name, status, **extra):
    return {"type": "node", "run": run, "node": name, "status": status, "time": 100.0, **extra}


def test_results_follow_the_current_run_and_go_stale_on_edit():
    graph, texts = graph_of(SOURCE)
    current = fingerprints(graph, texts)
    state = GraphResults()
    state.begin("r1", current)
    assert state.apply(node("r1", "a", "running")) == "a"
    assert state.statuses(current) == {"a": "running"}
    state.apply(node("r1", "a", "done", durationMs=3.2, preview="2"))
    state.apply(node("r1", "b", "failed", durationMs=1, error={"type": "ValueError", "message": "m", "frames": []}))
    assert state.apply(node("other", "c", "done")) is None
    assert state.statuses(current) == {"a": "done", "b": "failed"}
    edited_graph, edited = graph_of(SOURCE.replace("a * 2", "a * 3"))
    assert state.statuses(fingerprints(edited_graph, edited)) == {"a": "done", "b": "stale"}


def test_a_streaming_node_reports_items_and_keeps_its_start_time():
    state = GraphResults()
    state.begin("r1", {"s": "f"})
    state.apply(node("r1", "s", "running") | {"time": 1.0})
    state.apply(node("r1", "s", "running") | {"time": 2.0, "chunks": 4, "preview": "'d'"})
    assert (state.results["s"].time, state.results["s"].chunks, state.results["s"].preview) == (1.0, 4, "'d'")


def test_finishing_a_killed_run_fails_or_skips_what_was_running():
    state = GraphResults()
    state.begin("r1", {"a": "f"})
    state.apply(node("r1", "a", "running"))
    error = {"type": "RunTimeout", "message": "too long", "frames": []}
    assert state.finish("r1", error, now=5.0) == ["a"]
    assert state.results["a"].status == "failed"
    assert state.results["a"].error == error
    state.begin("r2", {"a": "f"})
    state.apply(node("r2", "a", "running"))
    state.finish("r2")
    assert state.results["a"].status == "skipped"
    assert state.current_run is None


def result(status, **extra):
    return NodeResult("a", status, "f", "r1", 0.0, **extra)


def test_inlay_text():
    assert inlay_text(result("done", preview="42", duration_ms=3.0), False) == "✓ 3 ms = 42"
    assert inlay_text(result("done", preview="42", duration_ms=3.0), True) == "stale · ✓ 3 ms = 42"
    assert inlay_text(result("failed", error={"type": "ValueError", "message": "", "frames": []}), False) == (
        "✗ ValueError"
    )
    assert inlay_text(result("running"), False) == "… running"
    assert inlay_text(result("running", chunks=3), False) == "… running · 3 items"
    assert inlay_text(result("skipped"), False) == "⊘ skipped"
    assert inlay_text(result("cached", preview="1"), False) == "✓ cached = 1"


@pytest.mark.parametrize("stale", [False, True])
@pytest.mark.parametrize("status", ["done", "cached", "failed", "running", "skipped"])
def test_inlay_text_fits_vscode_limit_with_status_and_staleness_first(status: str, stale: bool):
    """VS Code cuts hints at 43 characters: what matters (status, staleness) comes first and always fits."""
    long = result(
        status,
        preview="[('bees', 3), ('bread', 2), ('butter', 1), ('honey', 9)]",
        duration_ms=1234.0,
        error={"type": "ZeroDivisionError", "message": "", "frames": []},
        chunks=12,
    )
    text = inlay_text(long, stale)
    assert len(text) <= 42
    assert text.startswith("stale · ") is stale
    if status == "done":
        assert "1.2 s" in text
        assert text.endswith("…")
    assert len(result_lens_text(long, stale)) <= 72


def test_duration_text():
    assert [duration_text(ms) for ms in (None, 0.25, 3.4, 1500)] == ["", "0.25 ms", "3 ms", "1.5 s"]


def test_hover_text_has_value_duration_and_when():
    text = hover_text(result("done", preview="[1, 2]", duration_ms=12.0), False, now=30.0)
    assert "[1, 2]" in text
    assert "took 12 ms" in text
    assert "30 s ago" in text
    assert "stale" in hover_text(result("done", preview="1"), True, now=0.0)
    assert "the previous result:" in hover_text(result("running", preview="1"), False, now=0.0)
    assert "3 items so far, the last:" in hover_text(result("running", preview="'c'", chunks=3), False, now=0.0)
    failed = result("failed", error={"type": "KeyError", "message": "'k'", "frames": []})
    assert "`KeyError`: 'k'" in hover_text(failed, False, now=0.0)


def test_failure_points_at_the_definition_and_the_raising_frame():
    graph, _ = graph_of(SOURCE)
    frames = [
        {"file": "/w/g.py", "line": 6, "function": "b"},
        {"file": "/w/helpers.py", "line": 2, "function": "check"},
    ]
    error = {"type": "ValueError", "message": "bad", "frames": frames}
    found = failure(graph.nodes["b"], result("failed", error=error))
    assert found is not None
    assert (found.path, found.line, found.column) == ("g.py", 5, 4)
    assert found.message == "`b` failed: ValueError: bad"
    assert [(r.path, r.line) for r in found.related] == [("/w/g.py", 6), ("/w/helpers.py", 2)]
    assert "raised here" in found.related[-1].message
    assert failure(graph.nodes["b"], result("done")) is None


def test_a_run_that_could_not_start_points_at_the_graph_line_until_the_file_changes():
    state = GraphResults()
    texts = {"/w/g.py": "x = 1\nraise ValueError\n"}
    frames = [{"file": "/w/g.py", "line": 2, "function": "<module>"}, {"file": "/lib/x.py", "line": 9, "function": "f"}]
    error = {"type": "ValueError", "message": "", "frames": frames}
    found = state.could_not_start("importing failed", error, texts)
    assert found is not None
    assert (found.path, found.line) == ("/w/g.py", 2)
    assert state.start_error_in("/w/g.py", texts) == found
    assert state.start_error_in("/w/other.py", texts) is None
    assert state.start_error_in("/w/g.py", {"/w/g.py": "x = 2\n"}) is None
    assert state.could_not_start("elsewhere", {"type": "E", "message": "", "frames": frames[1:]}, texts) is None
    state.begin("r2", {})
    assert state.start_error is None
