"""Runtime resolution: live functions, modules and namespaces -> the same specs static resolution gives."""

from __future__ import annotations

import functools
import linecache
from collections.abc import Callable
from typing import Any

import pytest
from graph_testing import both, codes, load_source, shape

import livedag
from livedag import Graph, NodeKind, Span

MODULE = """
from __future__ import annotations
import json
from os.path import join
from typing import Dict, Optional

def raw(path: str) -> Dict[str, int]:
    return {"a": 1}

def total(raw: dict[str, int], scale: Optional[float] = None) -> float:
    return sum(raw.values()) * (scale or 1)

async def remote(total: float) -> str:
    return str(total)

def _hidden(raw: dict) -> int:
    return 0

square = lambda x: x * x
"""


def test_module_nodes_exclude_imports_private_functions_and_lambdas() -> None:
    module = load_source(MODULE, "runtime_sample")
    graph = Graph.from_modules(module)
    assert list(graph.nodes) == ["raw", "total", "remote"]
    assert graph.nodes["remote"].kind is NodeKind.ASYNC
    assert graph.nodes["raw"].function is module.raw
    assert graph.inputs["scale"].required is False
    assert graph.inputs["path"].required is True


def test_runtime_matches_static_including_string_annotations() -> None:
    static, runtime = both(MODULE, "runtime_sample")
    assert shape(static) == shape(runtime)
    assert static.problems == runtime.problems == ()


def test_from_functions_and_from_namespace() -> None:
    def a() -> int:
        return 1

    def b(a: int, c: str) -> str:
        return c * a

    graph = Graph.from_functions(a, b)
    assert graph.dependencies("b") == ("a", "c")
    namespace = {"a": a, "b": b, "_c": print, "value": 3, "json": __import__("json")}
    assert list(Graph.from_namespace(namespace).nodes) == ["a", "b"]
    assert list(Graph.from_namespace(namespace, module_name="elsewhere").nodes) == []
    assert list(Graph.from_namespace(namespace, module_name=__name__).nodes) == ["a", "b"]


def test_a_forward_reference_to_a_missing_name_is_opaque_not_an_error() -> None:
    def later(x: Undefined) -> int:  # type: ignore[name-defined] # noqa: F821
        return 0

    later.__annotations__["x"] = "Undefined"
    graph = Graph.from_functions(later)
    annotation = graph.nodes["later"].params[0].annotation
    assert annotation is not None
    assert annotation.is_opaque
    assert graph.errors == ()


def test_livedag_node_options_are_transparent() -> None:
    @livedag.node(timeout=2.0, retries=3)
    async def fetched(url: str) -> str:
        return url

    spec = Graph.from_functions(fetched).nodes["fetched"]
    assert spec.options == {"timeout": 2.0, "retries": 3}
    assert spec.decorators == ()
    assert not spec.opaque
    assert spec.kind is NodeKind.ASYNC


@pytest.mark.parametrize("kwargs", [{"timeout": 0}, {"retries": -1}])
def test_livedag_node_validates_its_options(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        livedag.node(**kwargs)


def test_a_wrapping_decorator_is_an_unknown_decorator() -> None:
    def logged(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        return wrapper

    @logged
    def value(x: int) -> int:
        return x

    graph = Graph.from_functions(value)
    spec = graph.nodes["value"]
    assert spec.opaque
    assert [p.name for p in spec.params] == ["x"]  # the wrapped signature
    assert codes(graph) == ["unknown-decorator"]


def test_runtime_spans_are_the_name_in_the_def_line_as_statically() -> None:
    source = "import livedag\n\n@livedag.node(retries=1)\n# a comment\nasync  def  a() -> int:\n    return 1\n"
    module = load_source(source, "spans", path="spans.py")
    assert module.a.__code__.co_firstlineno == 3  # the decorator's line
    assert Graph.from_modules(module).nodes["a"].span == Span("spans.py", 5, 12, 5, 13)


def test_runtime_spans_without_source_are_the_first_line(tmp_path) -> None:
    path = tmp_path / "gone.py"
    path.write_text("\n\n@staticmethod\ndef a() -> int:\n    return 1\n")
    namespace: dict[str, object] = {"__name__": "gone"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    path.unlink()
    linecache.checkcache(str(path))
    span = Graph.from_functions(namespace["a"].__func__).nodes["a"].span  # type: ignore[attr-defined]
    assert span == Span(str(path), 3, 0, 3, 0)


def test_several_modules_form_one_graph() -> None:
    first = load_source("def a() -> int:\n    return 1\n", "first")
    second = load_source("def b(a: int) -> int:\n    return a\n", "second")
    graph = Graph.from_modules(first, second)
    assert graph.dependencies("b") == ("a",)
    assert graph.inputs == {}
    assert graph.nodes["b"].module == "second"
