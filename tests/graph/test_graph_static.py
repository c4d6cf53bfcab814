"""Static resolution: nodes, kinds, defaults and exact source ranges from text, nothing imported."""

from __future__ import annotations

import warnings

import pytest
from graph_testing import both, shape, static_graph

from livedag import Graph, NodeKind, Span
from livedag.graph import ParamKind

SOURCE = '''\
"""A module."""
from __future__ import annotations

import os
from os.path import join
from typing import AsyncIterator, Iterator


def loaded(path: str, limit: int = 10) -> list[str]:
    """Loads."""
    return []


@staticmethod
def decorated(loaded: list[str]) -> int:
    return len(loaded)


async def fetched(loaded: list[str], *, retries: int = 2) -> dict[str, str]:
    return {}


def streamed(loaded: list[str]) -> Iterator[str]:
    def inner() -> Iterator[str]:
        yield "nested yields do not count for `inner`'s parent"
    yield from inner()


async def async_streamed(fetched: dict[str, str]) -> AsyncIterator[str]:
    yield ""


def plain(fetched: dict[str, str]) -> int:
    def helper():
        yield 1
    return 0


def _private(loaded: list[str]) -> int:
    return 0


class NotANode:
    def method(self) -> int:
        return 0
'''


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph.from_sources({"pkg/sample.py": SOURCE})


def test_nodes_are_the_public_functions_defined_in_the_file(graph: Graph) -> None:
    assert list(graph.nodes) == ["loaded", "decorated", "fetched", "streamed", "async_streamed", "plain"]


def test_kinds(graph: Graph) -> None:
    kinds = {name: spec.kind for name, spec in graph.nodes.items()}
    assert kinds == {
        "loaded": NodeKind.SYNC,
        "decorated": NodeKind.SYNC,
        "fetched": NodeKind.ASYNC,
        "streamed": NodeKind.GENERATOR,
        "async_streamed": NodeKind.ASYNC_GENERATOR,
        "plain": NodeKind.SYNC,
    }
    assert NodeKind.ASYNC_GENERATOR.is_async
    assert NodeKind.ASYNC_GENERATOR.is_streaming
    assert not NodeKind.SYNC.is_async
    assert not NodeKind.ASYNC.is_streaming


def test_parameters_defaults_and_inputs(graph: Graph) -> None:
    fetched = graph.nodes["fetched"]
    assert [(p.name, p.optional, p.kind) for p in fetched.params] == [
        ("loaded", False, ParamKind.POSITIONAL_OR_KEYWORD),
        ("retries", True, ParamKind.KEYWORD_ONLY),
    ]
    assert {name: (i.consumers, i.required) for name, i in graph.inputs.items()} == {
        "path": (("loaded",), True),
        "limit": (("loaded",), False),
        "retries": (("fetched",), False),
    }


def test_module_name_and_doc(graph: Graph) -> None:
    assert graph.nodes["loaded"].module == "sample"
    assert graph.nodes["loaded"].doc == "Loads."
    assert Graph.from_sources({"pkg/__init__.py": "def a() -> int: ..."}).nodes["a"].module == "pkg"


def test_spans_are_one_based_lines_and_zero_based_columns(graph: Graph) -> None:
    loaded = graph.nodes["loaded"]
    assert loaded.span == Span("pkg/sample.py", 9, 4, 9, 10)
    path, limit = loaded.params
    assert path.span == Span("pkg/sample.py", 9, 11, 9, 15)
    assert path.annotation_span == Span("pkg/sample.py", 9, 17, 9, 20)
    assert limit.annotation_span == Span("pkg/sample.py", 9, 29, 9, 32)
    assert loaded.returns_span == Span("pkg/sample.py", 9, 42, 9, 51)
    assert loaded.definition_span == Span("pkg/sample.py", 9, 0, 11, 13)


def test_definition_span_starts_at_the_first_decorator(graph: Graph) -> None:
    decorated = graph.nodes["decorated"]
    assert decorated.definition_span is not None
    assert decorated.definition_span.line == 14
    assert decorated.span == Span("pkg/sample.py", 15, 4, 15, 13)
    assert [d.name for d in decorated.decorators] == ["staticmethod"]
    assert decorated.decorators[0].span == Span("pkg/sample.py", 14, 1, 14, 13)


def test_async_def_name_span(graph: Graph) -> None:
    assert graph.nodes["fetched"].span == Span("pkg/sample.py", 19, 10, 19, 17)
    spaced = static_graph("async  def   a(x: int) -> int: ...\n").nodes["a"]
    assert spaced.span == Span("mod.py", 1, 13, 1, 14)  # the name, not the `a` of `async`


def test_columns_count_characters_not_bytes() -> None:
    graph = static_graph("def größe(maß: int, été: str) -> int:\n    return 0\n")
    spec = graph.nodes["größe"]
    assert spec.span is not None
    assert (spec.span.column, spec.span.end_column) == (4, 9)
    assert [(p.span.column, p.span.end_column) for p in spec.params if p.span] == [(10, 13), (20, 23)]
    assert spec.params[1].annotation_span is not None
    assert spec.params[1].annotation_span.column == 25


def test_span_contains() -> None:
    span = Span("f.py", 2, 4, 3, 2)
    assert span.contains(2, 4)
    assert span.contains(3, 2)
    assert span.contains(2, 99)
    assert not span.contains(2, 3)
    assert not span.contains(3, 3)
    assert not span.contains(1, 5)


def test_a_later_definition_replaces_an_earlier_one() -> None:
    graph = static_graph("def a() -> int: ...\ndef b(a: int) -> int: ...\ndef a() -> str: ...\n")
    assert list(graph.nodes) == ["b", "a"]
    assert str(graph.nodes["a"].returns) == "str"


def test_imports_classes_lambdas_and_nested_functions_are_not_nodes() -> None:
    graph = static_graph(
        """
        from os.path import join
        import json
        square = lambda x: x * x
        class Thing:
            def method(self) -> int: ...
        def outer() -> int:
            def inner() -> int: ...
            return inner()
        """
    )
    assert list(graph.nodes) == ["outer"]


def test_a_syntax_error_keeps_the_other_files() -> None:
    graph = Graph.from_sources({"good.py": "def a() -> int: ...\n", "bad.py": "def broken(:\n"})
    assert list(graph.nodes) == ["a"]
    (problem,) = graph.problems
    assert problem.code.value == "syntax-error"
    assert problem.span is not None
    assert (problem.span.path, problem.span.line) == ("bad.py", 1)


def test_from_paths_reads_files(tmp_path) -> None:
    (tmp_path / "one.py").write_text("def a() -> int: ...\n")
    (tmp_path / "two.py").write_text("def b(a: int) -> int: ...\n")
    graph = Graph.from_paths(tmp_path / "one.py", tmp_path / "two.py")
    assert graph.dependencies("b") == ("a",)
    assert graph.nodes["b"].span is not None
    assert graph.nodes["b"].span.path == str(tmp_path / "two.py")


@pytest.mark.parametrize(
    ("returns", "output"),
    [
        ("Iterator[int]", "list[int]"),
        ("Iterable[int]", "list[int]"),
        ("Generator[int, None, None]", "list[int]"),
        ("collections.abc.Generator[str, None, None]", "list[str]"),
        ("AsyncIterator[bytes]", "list[bytes]"),
        ("AsyncGenerator[dict[str, int], None]", "list[dict[str, int]]"),
    ],
)
def test_generator_output_types(returns: str, output: str) -> None:
    keyword = "async " if returns.startswith("Async") else ""
    source = f"""
    import collections.abc
    from typing import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator
    {keyword}def items() -> {returns}:
        yield 1
    def count(items: {output}) -> int:
        return len(items)
    """
    static, runtime = both(source)
    for graph in (static, runtime):
        assert graph.nodes["items"].kind.is_streaming
        assert graph.nodes["items"].output_type == static.nodes["count"].params[0].annotation
        assert graph.problems == ()


def test_a_generator_with_an_unknown_annotation_hands_on_an_opaque_list() -> None:
    graph = static_graph("def items() -> Stream:\n    yield 1\ndef count(items: list[str]) -> int: ...\n")
    output = graph.nodes["items"].output_type
    assert output is not None
    assert output.name == "list"
    assert output.args[0].is_opaque
    assert graph.errors == ()


def test_a_generator_item_type_mismatch_is_reported() -> None:
    source = "from typing import Iterator\ndef items() -> Iterator[int]:\n    yield 1\n"
    source += "def n(items: list[str]) -> int: ..."
    static, runtime = both(source)
    assert [p.code.value for p in static.problems] == [p.code.value for p in runtime.problems] == ["type-mismatch"]


def test_static_and_runtime_agree_on_the_sample() -> None:
    source = SOURCE.replace("@staticmethod\n", "")
    static, runtime = both(source, "sample")
    assert shape(static) == shape(runtime)


def test_warnings_about_the_users_code_are_neither_printed_nor_errors() -> None:
    source = 'import re\nPATTERN = re.compile("\\d+")\nSAME = 1 is 1\ndef a() -> int: ...\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as under `python -W error`: a warning raised would be a false syntax error
        graph = static_graph(source)
    assert graph.problems == ()
    assert list(graph.nodes) == ["a"]


def test_imports_are_resolved_through_aliases_and_blocks() -> None:
    source = """
    from __future__ import annotations
    import typing as t
    import collections.abc
    from typing import TYPE_CHECKING
    from .models import Record
    if TYPE_CHECKING:
        from collections.abc import Mapping as Map
    try:
        from typing import Dict
    except ImportError:
        Dict = dict
    def a() -> t.Dict[str, int]: ...
    def b(a: Map[str, int]) -> collections.abc.Sequence[str]: ...
    def c(b: t.Sequence[str], record: Record) -> Dict[str, Record]: ...
    def d(b: t.Mapping[str, int]) -> int: ...
    """
    graph = static_graph(source)
    assert [p.code.value for p in graph.problems] == ["type-mismatch"]  # d: a Sequence is no Mapping
    mapping = graph.nodes["b"].params[0].annotation
    assert mapping is not None
    assert (mapping.name, str(mapping)) == ("collections.abc.Mapping", "Map[str, int]")
    assert graph.nodes["c"].returns is not None
    assert graph.nodes["c"].returns.name == "dict"  # `Dict` imported inside a try block
    record = graph.nodes["c"].param("record")
    assert record is not None
    assert record.annotation is not None
    assert record.annotation.is_opaque  # a relative import names the project's own module: not resolved


def test_functions_in_if_and_try_blocks_are_nodes() -> None:
    source = """
    import sys
    if sys.version_info >= (3, 11):
        def a() -> int: ...
    else:
        def a() -> str: ...
    try:
        def b(a: int) -> int: ...
    except Exception:
        pass
    """
    graph = static_graph(source)
    assert list(graph.nodes) == ["a", "b"]
    assert str(graph.nodes["a"].returns) == "str"  # statically the later definition wins
