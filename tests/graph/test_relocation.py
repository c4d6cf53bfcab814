"""Problems moved with their nodes (``graph.relocation``) are exactly the problems a full validation finds at
the new lines, after any line edit that only moved nodes (hypothesis); anything else is refused."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livedag.graph import DecoratorSpec, Graph, NodeSpec, ParamSpec, Span
from livedag.graph.modifiers.configuration import merge_families
from livedag.graph.relocation import moved_spec, node_shifts, relocate
from livedag.graph.static import parse_module, specs_from_parsed

CORPUS = Path(__file__).parent / "corpus"
GRAPHS = [  # files resolved together, every one with problems that name other nodes and lines
    ("type_mismatch.py",),
    ("cycle.py",),
    ("possible_typo.py", "type_mismatch.py"),
    ("duplicate_first.py", "duplicate_second.py"),
    ("input_type_conflict.py", "missing_parameter_annotation.py"),
    ("split_producer.py", "split_consumer.py", "unknown_decorator.py"),
    ("self_cycle.py", "positional_only.py", "missing_return_annotation.py"),
]
TEXTS = {name: (CORPUS / name).read_text() for graph in GRAPHS for name in graph}
PIPELINE = (Path(__file__).parents[1] / "lsp/fixtures/pipeline.py").read_text()
LINES = ["", "    x = 1", "# a note", "def extra(name: int) -> str:\n    return ''", "    return 3"]


def specs_of(sources: dict[str, str]) -> list[NodeSpec]:
    return specs_from_parsed([parse_module(path, text) for path, text in sources.items()])


def test_the_movers_know_every_field():
    """``moved_spec`` builds specs field by field: a new field must be added there too."""
    assert [f.name for f in fields(NodeSpec)] == [
        *("name", "params", "returns", "kind", "module", "span", "definition_span", "returns_span", "doc"),
        *("decorators", "options", "function", "tags", "origin", "variants"),
    ]
    assert [f.name for f in fields(ParamSpec)] == [
        "name",
        "annotation",
        "has_default",
        "kind",
        "span",
        "annotation_span",
    ]
    assert [f.name for f in fields(DecoratorSpec)] == ["name", "string_args", "span", "reason"]
    assert [f.name for f in fields(Span)] == ["path", "line", "column", "end_line", "end_column"]
    spec = specs_of({"/w/p.py": PIPELINE})[1]
    moved = moved_spec(spec, 3)
    assert moved.span == Span(
        spec.span.path, spec.span.line + 3, spec.span.column, spec.span.end_line + 3, spec.span.end_column
    )
    assert moved.params[0].annotation_span.line == spec.params[0].annotation_span.line + 3
    assert (moved.name, moved.params[0].name, moved.returns, moved.doc) == (
        spec.name,
        "raw_text",
        spec.returns,
        spec.doc,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    graph=st.sampled_from(GRAPHS),
    target=st.integers(0, 2),
    where=st.floats(0, 1),
    line=st.sampled_from(LINES),
    delete=st.booleans(),
)
def test_relocated_problems_are_those_found_at_the_new_lines(graph, target, where, line, delete):
    sources = {f"/w/{name}": TEXTS[name] for name in graph}
    path = f"/w/{graph[target % len(graph)]}"
    old_specs = specs_of(sources)
    old = Graph.from_specs(merge_families(old_specs))
    lines = sources[path].split("\n")
    at = int(where * len(lines))
    if delete and at < len(lines):
        del lines[at]
    else:
        lines.insert(at, line)
    sources[path] = "\n".join(lines)
    new_specs = specs_of(sources)
    shifts = node_shifts(old_specs, new_specs, [None] * len(new_specs))
    found = relocate(old.problems, shifts) if shifts is not None else None
    if found is not None:
        assert found == list(Graph.from_specs(merge_families(new_specs)).problems)


def test_a_blank_line_above_problems_moves_them_and_their_messages():
    sources = {"/w/a.py": TEXTS["possible_typo.py"], "/w/b.py": TEXTS["type_mismatch.py"]}
    old_specs = specs_of(sources)
    old = Graph.from_specs(old_specs)
    sources["/w/b.py"] = "\n\n" + sources["/w/b.py"]
    new_specs = specs_of(sources)
    shifts = node_shifts(old_specs, new_specs, [None] * len(new_specs))
    assert shifts is not None
    found = relocate(old.problems, shifts)
    expected = list(Graph.from_specs(new_specs).problems)
    assert found == expected
    assert any("/w/b.py:" in problem.message for problem in expected)  # a line named in a message moved too
    assert found != list(old.problems)


def test_changed_facts_are_refused():
    sources = {"/w/p.py": PIPELINE}
    old_specs = specs_of(sources)
    renamed = specs_of({"/w/p.py": PIPELINE.replace("def words(raw_text: str)", "def words(raw: str)")})
    retyped = specs_of({"/w/p.py": PIPELINE.replace("-> list[str]:", "-> list[int]:", 1)})
    wrapped = specs_of({"/w/p.py": PIPELINE.replace("def words(raw_text: str)", "def words(\n    raw_text: str\n)")})
    for new in (renamed, retyped, wrapped):
        assert node_shifts(old_specs, new, [None] * len(new)) is None
    assert node_shifts(old_specs, old_specs[:-1], [None] * (len(old_specs) - 1)) is None


def test_a_blank_line_anywhere_is_relocated_exactly():
    relocated = total = 0
    for graph in GRAPHS:
        for name in graph:
            for at in range(len(TEXTS[name].split("\n"))):
                sources = {f"/w/{other}": TEXTS[other] for other in graph}
                old_specs = specs_of(sources)
                old = Graph.from_specs(merge_families(old_specs))
                lines = sources[f"/w/{name}"].split("\n")
                lines.insert(at, "")
                sources[f"/w/{name}"] = "\n".join(lines)
                new_specs = specs_of(sources)
                shifts = node_shifts(old_specs, new_specs, [None] * len(new_specs))
                found = relocate(old.problems, shifts) if shifts is not None else None
                total += 1
                if found is not None:
                    relocated += 1
                    assert found == list(Graph.from_specs(merge_families(new_specs)).problems), (name, at)
    assert relocated >= total * 9 // 10


def _oracle(spec: NodeSpec, lines: int) -> NodeSpec:
    """``moved_spec`` the slow, obvious way."""

    def span(found: Span | None) -> Span | None:
        return None if found is None else replace(found, line=found.line + lines, end_line=found.end_line + lines)

    return replace(
        spec,
        span=span(spec.span),
        definition_span=span(spec.definition_span),
        returns_span=span(spec.returns_span),
        params=tuple(replace(p, span=span(p.span), annotation_span=span(p.annotation_span)) for p in spec.params),
        decorators=tuple(replace(d, span=span(d.span)) for d in spec.decorators),
        variants=tuple(_oracle(v, lines) for v in spec.variants),
    )


def test_moved_specs_are_the_specs_moved_field_by_field():
    hamilton = Path(__file__).parent / "hamilton_corpus"
    sources = {
        "/w/p.py": PIPELINE,
        "/w/u.py": TEXTS["unknown_decorator.py"],
        "/w/c.py": (hamilton / "config_family.py").read_text(),
        "/w/s.py": (hamilton / "stacked.py").read_text(),
    }
    specs = merge_families(specs_of(sources))
    assert any(spec.variants for spec in specs)
    assert any(spec.decorators for spec in specs)
    for spec in specs:
        for lines in (1, -1, 40):
            moved = moved_spec(spec, lines)
            expected = _oracle(spec, lines)
            assert moved == expected
            assert moved.variants == expected.variants  # not compared by ==
            assert (moved.options, moved.tags, moved.function) == (spec.options, spec.tags, spec.function)


def test_a_lazily_moved_spec_stands_for_the_spec_moved_at_once():
    import copy
    import pickle

    from livedag.graph.relocation import MovedSpec, shifted

    for spec in specs_of({"/w/pipeline.py": PIPELINE}):
        lazy = shifted(spec, 4)
        assert isinstance(lazy, MovedSpec)
        assert lazy._moved is None
        assert (lazy.name, lazy.kind, lazy.returns) == (spec.name, spec.kind, spec.returns)
        assert lazy._moved is None
        eager = moved_spec(spec, 4)
        assert lazy == eager
        assert eager == lazy
        assert hash(lazy) == hash(eager)
        assert lazy != spec
        assert lazy.span == eager.span
        assert lazy.params == eager.params
        assert lazy.location == eager.location
        for copied in (pickle.loads(pickle.dumps(lazy)), copy.deepcopy(lazy), replace(lazy, doc="changed")):
            assert type(copied) is NodeSpec
        assert replace(lazy, doc="changed") == replace(eager, doc="changed")
        twice = shifted(lazy, -1)
        assert isinstance(twice, MovedSpec)
        assert twice._base is spec
        assert twice == moved_spec(spec, 3)
        assert shifted(twice, -3) is spec
