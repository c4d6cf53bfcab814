"""Every problem code with an example, resolved statically and at runtime (which must agree), and
the cases that must not be reported."""

from __future__ import annotations

import textwrap

import pytest
from graph_testing import both, codes, load_source, static_graph

from livedag import Graph, Problem, ProblemCode, Severity, Span
from livedag.graph import DecoratorSpec, NodeKind, NodeSpec

# (code, source, nodes named by the first problem, words its message must contain)
EXAMPLES = [
    (
        "missing-annotation",
        "def a(x) -> int: ...\n",
        ("a",),
        ["parameter `x`", "add one", "`x: int`"],
    ),
    (
        "missing-annotation",
        "def x() -> dict[str, int]: ...\ndef a(x) -> int: ...\n",
        ("a",),
        ["parameter `x`", "e.g. `x: dict[str, int]`"],
    ),
    (
        "missing-annotation",
        "def a(x: int):\n    return x\n",
        ("a",),
        ["no return annotation", "def a(...) -> int:"],
    ),
    (
        "unsupported-parameter",
        "def a(*values: int) -> int: ...\n",
        ("a",),
        ["`*values`", "name each dependency"],
    ),
    (
        "unsupported-parameter",
        "def a(**options: int) -> int: ...\n",
        ("a",),
        ["`**options`"],
    ),
    (
        "unsupported-parameter",
        "def a(x: int, /) -> int: ...\n",
        ("a",),
        ["positional-only", "remove the `/`"],
    ),
    (
        "cycle",
        "def a(c: int) -> int: ...\ndef b(a: int) -> int: ...\ndef c(b: int) -> int: ...\n",
        ("a", "c", "b"),
        ["`a` -> `c` -> `b` -> `a`", "Break it"],
    ),
    (
        "type-mismatch",
        "def a() -> str: ...\ndef b(a: int) -> int: ...\n",
        ("b", "a"),
        ["`a: int`", "node `b`", "`str`", "node `a`"],
    ),
    (
        "input-type-conflict",
        "def a(limit: int) -> int: ...\ndef b(limit: str) -> int: ...\n",
        ("a", "b"),
        ["external input `limit`", "`b` wants `str`"],
    ),
    (
        "possible-typo",
        "def documents() -> list[str]: ...\ndef count(documnets: list[str]) -> int: ...\n",
        ("count", "documents"),
        ["`documnets`", "did you mean `documents`?"],
    ),
    (
        "unknown-decorator",
        "import functools\ndef _traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
        "        return fn(*args, **kwargs)\n    return wrapper\n\n@_traced\ndef a() -> int: ...\n",
        ("a",),
        ["`_traced`", "does not model"],
    ),
]


@pytest.mark.parametrize(("code", "source", "nodes", "words"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_problem_examples(code: str, source: str, nodes: tuple[str, ...], words: list[str]) -> None:
    static, runtime = both(source, "problems_example")
    assert {p.code.value for p in static.problems} == {code}
    assert codes(static) == codes(runtime)
    first = static.problems[0]
    assert first.nodes == nodes
    for word in words:
        assert word in first.message
    assert first.span is not None
    assert first.span.path == "problems_example.py"
    assert first.severity is ProblemCode(code).severity


@pytest.mark.parametrize(
    ("node", "parameter"),
    [
        ("documents", "documnets"),
        ("max_tokens", "max_tokes"),
        ("user_ids", "user_id"),
        ("text_length", "txt_length"),
        ("customer_", "customer"),  # a trailing `_` is no word
        ("max_tokens", "max_tokens_"),
    ],
)
def test_possible_typos(node: str, parameter: str) -> None:
    graph = static_graph(f"def {node}() -> int: ...\ndef b({parameter}: int) -> int: ...\n")
    assert [(p.code.value, p.nodes) for p in graph.problems] == [("possible-typo", ("b", node))]


def test_severities() -> None:
    severities = {code.value: code.severity for code in ProblemCode}
    assert severities.pop("possible-typo") is Severity.WARNING
    assert severities.pop("unknown-decorator") is Severity.INFO
    assert set(severities.values()) == {Severity.ERROR}


def test_syntax_error() -> None:
    graph = Graph.from_sources({"bad.py": "def a() -> int:\n    return (\n"})
    (problem,) = graph.problems
    assert problem.code is ProblemCode.SYNTAX_ERROR
    assert problem.is_error
    assert problem.span is not None
    assert problem.span.line == 2
    assert "not updated until it parses again" in problem.message


def test_duplicate_node_across_files() -> None:
    graph = Graph.from_sources({"one.py": "def a() -> int: ...\n", "two.py": "\n\ndef a() -> int: ...\n"})
    (problem,) = graph.problems
    assert problem.code is ProblemCode.DUPLICATE_NODE
    assert problem.span == Span("two.py", 3, 4, 3, 5)
    assert problem.related[0].span == Span("one.py", 1, 4, 1, 5)
    assert "defined twice" in problem.message
    assert "one" in problem.message
    assert "two" in problem.message


def test_type_mismatch_points_at_the_annotation_and_the_producer() -> None:
    graph = static_graph("def a() -> str: ...\ndef b(a: int) -> int: ...\n")
    (problem,) = graph.problems
    assert problem.span == Span("mod.py", 2, 9, 2, 12)
    assert problem.related[0].span == Span("mod.py", 1, 11, 1, 14)


def test_cycle_has_one_problem_per_member_at_the_closing_parameter() -> None:
    graph = static_graph("def a(b: int) -> int: ...\ndef b(a: int) -> int: ...\ndef c(a: int) -> int: ...\n")
    cycle = [p for p in graph.problems if p.code is ProblemCode.CYCLE]
    assert [(p.span.line, p.span.column) for p in cycle if p.span] == [(1, 6), (2, 6)]
    assert all("`a` -> `b` -> `a`" in p.message or "`b` -> `a` -> `b`" in p.message for p in cycle)


def test_format_is_compiler_style_with_one_based_column() -> None:
    problem = static_graph("def a() -> str: ...\ndef b(a: int) -> int: ...\n").problems[0]
    assert problem.format().startswith("mod.py:2:10: error type-mismatch: parameter `a: int`")
    assert Problem(ProblemCode.CYCLE, "m", None).format() == "error cycle: m"


def test_problems_are_sorted_by_place() -> None:
    graph = static_graph("def b(x) -> int: ...\ndef a(y) -> int: ...\n")
    assert [p.span.line for p in graph.problems if p.span] == [1, 2]


# Compatible code that must not be reported.
CLEAN = {
    "typing aliases": "from typing import Dict, List\ndef a() -> Dict[str, List[int]]: ...\n"
    "def b(a: dict[str, list[int]]) -> int: ...\n",
    "mapping accepts dict": "from collections.abc import Mapping\ndef a() -> dict[str, int]: ...\n"
    "def b(a: Mapping[str, int]) -> int: ...\n",
    "optional consumer": "from typing import Optional\ndef a() -> int: ...\ndef b(a: Optional[int]) -> int: ...\n",
    "any": "from typing import Any\ndef a() -> Any: ...\ndef b(a: int) -> int: ...\n",
    "future annotations": "from __future__ import annotations\nfrom typing import Dict\n"
    "def a() -> Dict[str, int]: ...\ndef b(a: 'dict[str, int]') -> int: ...\n",
    "same input same type": "def a(n: int) -> int: ...\ndef b(n: int) -> int: ...\n",
    "input bool and int": "def a(n: int) -> int: ...\ndef b(n: bool) -> int: ...\n",
    "short names are never typos": "def ab() -> int: ...\ndef b(ac: int) -> int: ...\n",
    "another word is not a typo": "def raw_documents() -> int: ...\ndef item_a() -> int: ...\n"
    "def b(max_documents: int, item_b: int) -> int: ...\n",
    "a name made of another with one more word is not a typo": "def seasons_1() -> int: ...\n"
    "def cabin_t() -> int: ...\ndef splits() -> int: ...\n"
    "def b(seasons: int, cabin: int, n_splits: int) -> int: ...\n",
    "input and optional": "from typing import Optional\ndef a(n: int) -> int: ...\n"
    "def b(n: Optional[int] = None) -> int: ...\n",
}


@pytest.mark.parametrize("source", CLEAN.values(), ids=CLEAN.keys())
def test_compatible_code_is_not_reported(source: str) -> None:
    static, runtime = both(source, "clean_example")
    assert static.problems == ()
    assert runtime.problems == ()


def test_classes_of_other_libraries_are_opaque_statically() -> None:
    # numpy is not even installed: nothing is imported, and an unknown class is never an error.
    graph = static_graph("import numpy as np\ndef a() -> np.ndarray: ...\ndef b(a: list[int]) -> int: ...\n")
    assert graph.problems == ()
    returns = graph.nodes["a"].returns
    assert returns is not None
    assert returns.is_opaque
    assert str(returns) == "np.ndarray"


DECORATED = """
from hamilton.function_modifiers import config, extract_fields, parameterize, source, value

@config.when(mode="fast")
def model__fast(features: list[float]) -> float:
    return 0.0

@config.when(mode="slow")
def model__slow(features: list[float], iterations: int) -> float:
    return 1.0

@extract_fields({"mean": float, "spread": float})
def stats(features: list[float]) -> dict:
    return {"mean": 0.0, "spread": 0.0}

@parameterize(doubled={"base": source("mean")}, tripled={"base": value(3.0)})
def scaled(base: float) -> float:
    return base

def features() -> list[float]:
    return [1.0]

def summary(model: float, mean: float, doubled: float, tripled: float) -> str:
    return ""
"""


def test_hamilton_modifiers_are_expanded_not_noted() -> None:
    static = Graph.from_sources({"decorated_example.py": textwrap.dedent(DECORATED)}, config={"mode": "slow"})
    runtime = Graph.from_modules(load_source(DECORATED, "decorated_example"), config={"mode": "slow"})
    for graph in (static, runtime):
        assert graph.problems == ()
        assert {"model", "mean", "spread", "doubled", "tripled"} <= set(graph.nodes)
        assert set(graph.inputs) == {"iterations"}
    # With no config at all (the editor's default) the `model` family is one node with both variants.
    family = Graph.from_sources({"decorated_example.py": textwrap.dedent(DECORATED)}).nodes["model"]
    assert [v.origin for v in family.variants] == ["model__fast", "model__slow"]
    assert {p.name: p.optional for p in family.params} == {"features": False, "iterations": True}


def test_a_decorated_node_is_not_checked_and_not_part_of_cycles() -> None:
    source = (
        "import functools\ndef _traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
        "        return fn(*args, **kwargs)\n    return wrapper\n\n"
        "@_traced\ndef a(b: int) -> str: ...\ndef b(a: int) -> int: ...\n"
    )
    static, runtime = both(source, "opaque_example")
    assert codes(static) == codes(runtime) == ["unknown-decorator"]


def test_validation_of_hand_made_specs_without_spans() -> None:
    a = NodeSpec("a", (), None, NodeKind.SYNC, "m")
    b = NodeSpec("b", (), None, NodeKind.SYNC, "m", decorators=(DecoratorSpec("x"),))
    graph = Graph.from_specs([a, b, a])
    assert sorted(p.code.value for p in graph.problems) == ["duplicate-node", "missing-annotation", "unknown-decorator"]
    assert all(p.format() for p in graph.problems)
