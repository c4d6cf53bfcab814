"""A graph whose nodes only moved (a new line, a deleted blank line) is not validated again: its problems are
moved with its nodes, and they are exactly what a validation finds (hypothesis over line edits)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livedag.graph import Graph
from livedag.graph.modifiers.configuration import merge_families
from livedag.lsp.state import GraphState

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parents[1] / "graph" / "corpus"
TEXTS = {
    "pipeline.py": (FIXTURES / "pipeline.py").read_text(),
    "cycle.py": (CORPUS / "cycle.py").read_text(),
    "type_mismatch.py": (CORPUS / "type_mismatch.py").read_text(),
    "possible_typo.py": (CORPUS / "possible_typo.py").read_text(),
}
LINES = ["", "    x = 1", "# a note", "def extra(words: list[str]) -> int:\n    return 1", "    return 3", "import os"]


def validated_again(state: GraphState) -> list:
    view = state.view
    assert view is not None
    specs = [spec for path in view.sources for spec in view.nodes_in(path)]
    errors = [p for p in view.graph.problems if p.code.value == "syntax-error"]
    return list(Graph.from_specs(merge_families(specs), errors).problems)


def test_a_new_line_moves_the_problems_without_validating(monkeypatch):
    import livedag.graph.validation as validation

    path = "/w/p.py"
    state = GraphState(path, False)
    text = TEXTS["pipeline.py"]
    state.update({path: text})
    assert state.view is not None
    assert state.view.graph.problems
    before = state.view.graph
    calls: list[int] = []
    original = validation.validate
    monkeypatch.setattr(validation, "validate", lambda graph: calls.append(1) or original(graph))
    edited = text.replace("def raw_text(path: str) -> str:\n", "def raw_text(path: str) -> str:\n\n", 1)
    view = state.update({path: edited})
    assert calls == []  # not validated: moved
    assert state.moved_from is before
    monkeypatch.undo()
    assert list(view.graph.problems) == validated_again(state)
    assert [p.span.line for p in view.graph.problems] != [p.span.line for p in before.problems]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.sampled_from(sorted(TEXTS)), min_size=1, max_size=3, unique=True),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.booleans(), st.sampled_from(LINES), st.integers(0, 2)), min_size=1, max_size=8
    ),
)
def test_problems_after_line_edits_are_those_a_validation_finds(names: list[str], edits):
    sources = {f"/w/{name}": TEXTS[name] for name in names}
    state = GraphState("g", True)
    state.update(sources)
    for where, delete, line, target in edits:
        path = f"/w/{names[target % len(names)]}"
        lines = sources[path].split("\n")
        at = int(where * len(lines))
        if delete and at < len(lines):
            del lines[at]
        else:
            lines.insert(at, line)
        sources[path] = "\n".join(lines)
        state.update(sources)
        assert list(state.view.graph.problems) == validated_again(state)
