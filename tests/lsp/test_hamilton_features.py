"""Editor features around Hamilton's modifiers, called as plain functions on a resolved graph: hover lists
the nodes a decorated function makes (and a family's variants), definition lands on the decorator string
that makes a node, references and rename include those strings."""

from __future__ import annotations

import pytest

from livedag.lsp.features.hover import hover_markdown
from livedag.lsp.features.navigation import RenameRefused, definition, references, rename_edits
from livedag.lsp.state import GraphState, GraphView

PATH = "/w/flow.py"
SOURCE = """from hamilton.function_modifiers import check_output, config, extract_fields, parameterize, source, value


@extract_fields({"mean": float, "spread": float})
def stats(values: list[float]) -> dict:
    return {"mean": 0.0, "spread": 1.0}


@config.when(kind="a")
def label__a(mean: float) -> str:
    return str(mean)


@config.when(kind="b")
def label__b(mean: float, spread: float) -> str:
    return str(mean + spread)


@parameterize(shifted={"x": source("mean"), "by": value(1.0)})
def shift(x: float, by: float) -> float:
    return x + by


@check_output(range=(0, 10))
def score(spread: float) -> float:
    return spread
"""


def view_of(text: str = SOURCE) -> GraphView:
    return GraphState(PATH, False).update({PATH: text})


def position(text: str, needle: str, offset: int = 1) -> tuple[int, int]:
    """(1-based line, 0-based column) ``offset`` characters into the first ``needle``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1)


def test_hover_on_a_decorated_function_lists_the_nodes_it_makes() -> None:
    view = view_of()
    found = hover_markdown(view, PATH, *position(SOURCE, "def stats", 5))
    assert found is not None
    text, _ = found
    assert "**`stats` makes** (3 nodes)" in text
    assert "- `mean` → `float`" in text
    assert "- `spread` → `float`" in text


def test_hover_on_a_family_lists_its_variants() -> None:
    view = view_of()
    found = hover_markdown(view, PATH, *position(SOURCE, "def label__a", 5))
    assert found is not None
    text, target = found
    assert target.name == "label"
    assert "- `label__a` when kind == 'a' → `str`" in text
    assert "- `label__b` when kind == 'b' → `str`" in text


def test_definition_of_a_parameter_lands_on_the_decorator_entry() -> None:
    view = view_of()
    span = definition(view, PATH, *position(SOURCE, "(mean: float) -> str", 1))
    assert span is not None
    assert (span.line, span.column, span.end_column) == (4, 18, 22)  # "mean" in @extract_fields({"mean": ...})


def test_references_include_decorator_strings() -> None:
    view = view_of()
    spans = {(s.line, s.column) for s in references(view, "mean", include_declaration=True)}
    assert spans == {(4, 18), (10, 13), (15, 13), (19, 36)}  # the field, both variants, source("mean")


def test_renaming_an_extracted_field_edits_the_string_and_its_users() -> None:
    view = view_of()
    edits = rename_edits(view, PATH, *position(SOURCE, "(mean: float) -> str", 1), "average")[PATH]
    lines = SOURCE.splitlines()
    for span, new in edits:
        row = lines[span.line - 1]
        lines[span.line - 1] = row[: span.column] + new + row[span.end_column :]
    renamed = "\n".join(lines) + "\n"
    assert '{"average": float' in renamed
    assert "def label__a(average: float) -> str:\n    return str(average)" in renamed
    assert 'source("average")' in renamed
    assert "def shift(x: float" in renamed  # the parameter a source() renamed keeps its own name
    after = view_of(renamed)
    assert "average" in after.graph.nodes
    assert after.graph.problems == ()


def test_renaming_a_family_renames_every_variant() -> None:
    view = view_of(SOURCE + "\n\ndef shout(label: str) -> str:\n    return label.upper()\n")
    edits = rename_edits(view, PATH, *position(SOURCE, "def label__b", 5), "title")[PATH]
    assert sorted((s.line, s.column, s.end_column) for s, _ in edits)[:2] == [(10, 4, 9), (15, 4, 9)]


def test_a_name_the_source_does_not_spell_cannot_be_renamed() -> None:
    source = SOURCE + "\n\ndef use(score_raw: float) -> float:\n    return score_raw\n"
    view = view_of(source)
    with pytest.raises(RenameRefused, match="rename `score` instead"):
        rename_edits(view, PATH, *position(source, "(score_raw", 1), "other")


def test_hover_on_a_parallelizable_node_names_its_items() -> None:
    source = (
        "from hamilton.htypes import Collect, Parallelizable\n\n"
        "def url(urls: list[str]) -> Parallelizable[str]:\n    yield from urls\n\n"
        "def size(url: str) -> int:\n    return len(url)\n"
    )
    found = hover_markdown(view_of(source), PATH, *position(source, "def url", 5))
    assert found is not None
    assert "`Parallelizable[str]` (each item a `str`)" in found[0]
