"""Quick fixes as plain data, over views built from strings: what each fix edits, applied to the text."""

from __future__ import annotations

import textwrap

from livedag.lsp.features.code_actions import Edit, quick_fixes
from livedag.lsp.state import GraphState, GraphView

PATH = "/w/flow.py"


def view_of(text: str) -> GraphView:
    return GraphState(PATH, True).update({PATH: text})


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    """Applies edits (last first, as an editor does) to ``text``."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        head = "\n".join([*lines[: edit.line - 1], lines[edit.line - 1][: edit.column]])
        tail = "\n".join([lines[edit.end_line - 1][edit.end_column :], *lines[edit.end_line :]])
        lines = (head + edit.text + tail).split("\n")
    return "\n".join(lines)


def fixes_on(text: str, line_text: str, at: str | None = None):
    """The fixes offered on the line holding ``line_text``, with the cursor on ``at`` when given."""
    view = view_of(text)
    line, found = next((n, found) for n, found in enumerate(text.split("\n"), 1) if line_text in found)
    column = found.index(at) + 1 if at is not None else None
    return {fix.title: fix for fix in quick_fixes(view, PATH, line, line, column)}


TYPO = textwrap.dedent(
    """\
    def clean_documents(raw: dict[str, str]) -> dict[str, str]:
        return raw


    def count(clean_document: dict[str, str], scale: int = 1) -> int:
        total = len(clean_document) * scale
        label = dict(clean_document=1)  # a keyword argument, not a use
        return total + obj.clean_document if False else total
    """
)


def test_a_possible_typo_is_changed_in_the_signature_and_the_body_only():
    fixes = fixes_on(TYPO, "def count(")
    fix = fixes["Change to 'clean_documents'"]
    assert fix.preferred
    assert fix.problem is not None
    assert fix.problem.code.value == "possible-typo"
    fixed = apply(TYPO, fix.edits)
    assert "def count(clean_documents: dict[str, str], scale: int = 1) -> int:" in fixed
    assert "total = len(clean_documents) * scale" in fixed
    assert "dict(clean_document=1)" in fixed  # keyword argument untouched
    assert "obj.clean_document" in fixed  # attribute untouched
    assert not view_of(fixed).graph.problems


def test_an_external_input_can_become_a_node_stub_of_the_type_asked_for():
    assert "Create node 'clean_document'" not in fixes_on(TYPO, "def count(")  # only with the cursor on it
    fixes = fixes_on(TYPO, "def count(", at="clean_document")
    fixed = apply(TYPO, fixes["Create node 'clean_document'"].edits)
    assert fixed.endswith(
        "\n\n\ndef clean_document() -> dict[str, str]:\n"
        '    """The node `clean_document` (needed by `count`)."""\n'
        '    raise NotImplementedError("compute clean_document here")\n'
    )
    graph = view_of(fixed).graph
    assert "clean_document" in graph.nodes
    assert "clean_document" not in graph.inputs


MISSING = textwrap.dedent(
    """\
    def words(text: str) -> list[str]:
        return text.split()


    def count(words, text) -> int:
        return len(words)
    """
)


def test_a_missing_annotation_gets_the_type_its_producer_returns():
    fixes = fixes_on(MISSING, "def count(")
    (title,) = [title for title in fixes if title.startswith("Add annotation")]
    assert title == "Add annotation 'words: list[str]' (what 'words' returns)"
    fixed = apply(MISSING, fixes[title].edits)
    assert "def count(words: list[str], text) -> int:" in fixed
    # `text` is an external input with no producer: no annotation is guessed for it
    assert not [t for t in fixes if "'text:" in t]


def test_nothing_is_offered_on_lines_without_problems_or_inputs():
    assert fixes_on(MISSING, "return text.split()") == {}
