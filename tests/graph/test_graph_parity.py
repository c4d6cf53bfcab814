"""The parity suite: the corpus in ``corpus/`` resolved by livedag at runtime, by livedag statically and by
Apache Hamilton, which must agree on nodes, dependencies, optional flags and external inputs; the modules
Hamilton refuses are exactly those livedag reports errors for, except for the documented deviations below
(also in docs/concepts.md)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from graph_testing import CORPUS, shape
from hamilton import driver
from hamilton import graph as hamilton_graph
from hamilton import node as hamilton_node

from livedag import Graph, Severity


@dataclass(frozen=True)
class Case:
    modules: tuple[str, ...]
    codes: frozenset[str] = frozenset()
    """Every problem code livedag reports for the case (errors, warnings and infos)."""
    hamilton: str = "builds"
    """``builds``, ``refuses`` (at graph build time) or ``fails-on-run`` (builds, then the run fails)."""
    deviation: str = ""
    """Why livedag deliberately differs from Hamilton here; empty where they agree."""
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "+".join(self.modules)


def case(*modules: str, codes: tuple[str, ...] = (), **kwargs: Any) -> Case:
    return Case(modules, frozenset(codes), **kwargs)


CASES = [
    # Compatible code: nothing to report, Hamilton builds it.
    case("clean_pipeline"),
    case("typing_generics"),
    case("bare_generics"),
    case("abstract_consumers"),
    case("optional_and_union"),
    case("any_types"),
    case("future_annotations"),
    case("subclasses"),
    case("async_nodes"),
    case("keyword_only"),
    case("input_shared"),
    case("split_producer", "split_consumer"),
    case("classes_base", "classes_use"),
    case("possible_typo", codes=("possible-typo",)),  # a warning: Hamilton takes `documnets` as an input
    # Errors Hamilton refuses too.
    case("missing_parameter_annotation", codes=("missing-annotation",), hamilton="refuses"),
    case("missing_return_annotation", codes=("missing-annotation",), hamilton="refuses"),
    case("type_mismatch", codes=("type-mismatch",), hamilton="refuses"),
    case("generic_argument_mismatch", codes=("type-mismatch",), hamilton="refuses"),
    case("abstract_producer", codes=("type-mismatch",), hamilton="refuses"),
    case("input_type_conflict", codes=("input-type-conflict",), hamilton="refuses"),
    case("duplicate_first", "duplicate_second", codes=("duplicate-node",), hamilton="refuses"),
    case("classes_base", "classes_narrow", codes=("type-mismatch",), hamilton="refuses"),
    # Deliberate deviations.
    case(
        "cycle",
        codes=("cycle",),
        hamilton="fails-on-run",
        deviation="Hamilton builds a cyclic graph and recurses until RecursionError when run; livedag reports it",
    ),
    case("self_cycle", codes=("cycle",), hamilton="fails-on-run", deviation="as `cycle`"),
    case(
        "var_positional",
        codes=("unsupported-parameter",),
        hamilton="fails-on-run",
        deviation="Hamilton makes `values` of `*values` a dependency, then the keyword call fails",
    ),
    case(
        "positional_only",
        codes=("unsupported-parameter",),
        hamilton="fails-on-run",
        deviation="Hamilton makes `value` a dependency, then the keyword call fails",
    ),
    case(
        "var_keyword",
        codes=("unsupported-parameter",),
        deviation="Hamilton makes `parts` of `**parts` a dependency and passes it as {'parts': value}; "
        "livedag reports it, since that is almost never what `**` meant",
    ),
    case(
        "generators",
        hamilton="refuses",
        deviation="livedag streams generators: dependents receive list[T] for Iterator[T]/Generator[T, ...]/"
        "AsyncIterator[T]; Hamilton compares Iterator[str] with list[str] and refuses",
    ),
    case(
        "nested_aliases",
        hamilton="refuses",
        deviation="livedag normalises typing aliases inside generic arguments and lets Any match any argument; "
        "Hamilton compares arguments with == (List[Dict[str, int]] != list[dict[str, int]])",
    ),
    case(
        "alias_assignment",
        hamilton="refuses",
        deviation="Hamilton finds a function bound to two names twice and refuses; livedag makes one node of it",
    ),
    case(
        "lambda_assignment",
        hamilton="refuses",
        deviation="Hamilton makes a node of a lambda bound to a public name (named `<lambda>`, with no return "
        "type); livedag ignores lambdas",
    ),
    # Hamilton's modifiers: expanded as Hamilton does (tests/graph/test_hamilton_modifiers.py has the rest).
    case("hamilton_decorators", config={"mode": "fast"}),
    case("unknown_decorator", codes=("unknown-decorator",)),
]
IDS = [c.id for c in CASES]
# Where Hamilton's nodes are not livedag's nodes by design.
DIFFERENT_NODES: set[str] = set()


def test_the_corpus_is_covered() -> None:
    files = {path.stem for path in CORPUS.glob("*.py")}
    assert files == {name for c in CASES for name in c.modules}
    # syntax-error: test below; invalid-modifier: tests/graph/test_hamilton_modifiers.py
    reported = {code for c in CASES for code in c.codes} | {"syntax-error", "invalid-modifier"}
    from livedag import ProblemCode

    assert reported == {code.value for code in ProblemCode}


@contextmanager
def loaded(names: tuple[str, ...]) -> Iterator[list[ModuleType]]:
    """Import the corpus modules under their file names (as static resolution names them)."""
    modules = []
    try:
        for name in names:
            spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            modules.append(module)
        yield modules
    finally:
        for name in names:
            sys.modules.pop(name, None)


def resolve(c: Case) -> tuple[Graph, Graph, hamilton_graph.FunctionGraph | Exception]:
    static = Graph.from_paths(*(str(CORPUS / f"{name}.py") for name in c.modules), config=c.config)
    with loaded(c.modules) as modules:
        runtime = Graph.from_modules(*modules, config=c.config)
        try:
            hamilton: hamilton_graph.FunctionGraph | Exception = hamilton_graph.FunctionGraph.from_modules(
                *modules, config=c.config
            )
        except ValueError as error:
            hamilton = error
    return static, runtime, hamilton


@pytest.fixture(scope="module")
def resolved() -> dict[str, tuple[Graph, Graph, hamilton_graph.FunctionGraph | Exception]]:
    return {c.id: resolve(c) for c in CASES}


def problem_keys(graph: Graph) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((p.code.value, p.nodes) for p in graph.problems)


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_static_and_runtime_agree(c: Case, resolved: dict) -> None:
    static, runtime, _ = resolved[c.id]
    assert shape(static) == shape(runtime)
    assert problem_keys(static) == problem_keys(runtime)


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_livedag_problem_codes(c: Case, resolved: dict) -> None:
    static, _, _ = resolved[c.id]
    assert {p.code.value for p in static.problems} == c.codes


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_hamilton_refuses_what_livedag_reports_as_errors(c: Case, resolved: dict) -> None:
    static, _, hamilton = resolved[c.id]
    livedag_refuses = any(p.severity is Severity.ERROR for p in static.problems)
    assert isinstance(hamilton, Exception) is (c.hamilton == "refuses")
    if not c.deviation:
        assert livedag_refuses is (c.hamilton == "refuses")
    else:
        assert livedag_refuses is not (c.hamilton == "refuses") or c.id in DIFFERENT_NODES


@pytest.mark.parametrize("c", [c for c in CASES if c.hamilton == "fails-on-run"], ids=lambda c: c.id)
def test_what_hamilton_builds_but_livedag_refuses_fails_when_hamilton_runs_it(c: Case, resolved: dict) -> None:
    static, _, _ = resolved[c.id]
    inputs = dict.fromkeys(hamilton_inputs(resolved[c.id][2]), 1)
    with loaded(c.modules) as modules:
        dr = driver.Builder().with_modules(*modules).build()
        with pytest.raises((RecursionError, TypeError)):
            dr.execute(list(static.nodes), inputs=inputs)


def hamilton_inputs(fg: hamilton_graph.FunctionGraph) -> dict[str, bool]:
    """External inputs of a Hamilton graph -> required (some consumer has no default)."""
    required: dict[str, bool] = {}
    for name, node in fg.nodes.items():
        if not node.user_defined:
            continue
        required[name] = any(
            consumer.input_types[name][1] == hamilton_node.DependencyType.REQUIRED for consumer in node.depended_on_by
        )
    return required


@pytest.mark.parametrize(
    "c", [c for c in CASES if c.hamilton != "refuses" and c.id not in DIFFERENT_NODES], ids=lambda c: c.id
)
def test_same_graph_as_hamilton(c: Case, resolved: dict) -> None:
    _, runtime, hamilton = resolved[c.id]
    functions = {name: node for name, node in hamilton.nodes.items() if not node.user_defined}
    assert set(runtime.nodes) == set(functions)
    unsupported = {p.name for spec in runtime.nodes.values() for p in spec.params if not p.kind.supported}
    for name, spec in runtime.nodes.items():
        node = functions[name]
        # Hamilton makes *args/**kwargs/positional-only parameters dependencies; livedag reports them instead.
        hamilton_params = {p: kind for p, (_, kind) in node.input_types.items() if p not in unsupported}
        assert set(runtime.dependencies(name)) == set(hamilton_params)
        assert {p.name: p.optional for p in spec.params if p.kind.supported} == {
            p: kind == hamilton_node.DependencyType.OPTIONAL for p, kind in hamilton_params.items()
        }
    expected_inputs = {k: v for k, v in hamilton_inputs(hamilton).items() if k not in unsupported | set(c.config)}
    assert {name: external.required for name, external in runtime.inputs.items()} == expected_inputs


def test_hamilton_decorators_expand_as_in_hamilton(resolved: dict) -> None:
    static, runtime, hamilton = resolved["hamilton_decorators"]
    expected = {"model", "stats", "mean", "spread", "doubled", "tripled", "features", "summary"}
    assert set(static.nodes) == set(runtime.nodes) == expected
    assert expected == {name for name, node in hamilton.nodes.items() if not node.user_defined}
    assert static.errors == runtime.errors == ()


def test_syntax_error(tmp_path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def value(seed: int) -> int\n    return seed\n")
    graph = Graph.from_paths(broken)
    assert [p.code.value for p in graph.problems] == ["syntax-error"]
    spec = importlib.util.spec_from_file_location("broken", broken)
    assert spec is not None
    assert spec.loader is not None
    with pytest.raises(SyntaxError):  # neither livedag's runtime resolution nor Hamilton gets a module
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
