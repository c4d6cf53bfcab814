"""Topology: upstream, downstream, order and subgraphs; random DAGs with hypothesis."""

from __future__ import annotations

import pytest
from graph_testing import both, shape, static_graph
from hypothesis import given, settings
from hypothesis import strategies as st

from livedag import CycleError, Graph, UnknownNodeError
from livedag.graph.topology import closure, find_cycles, reverse, topological_order

DIAMOND = """
def a(seed: int) -> int: ...
def b(a: int) -> int: ...
def c(a: int, scale: float = 1.0) -> int: ...
def d(b: int, c: int) -> int: ...
def e(seed: int) -> int: ...
"""


@pytest.fixture(scope="module")
def diamond() -> Graph:
    return static_graph(DIAMOND)


def test_dependencies_and_dependents(diamond: Graph) -> None:
    assert diamond.dependencies("d") == ("b", "c")
    assert diamond.dependencies("c") == ("a", "scale")
    assert diamond.node_dependencies("c") == ("a",)
    assert diamond.dependents("a") == ("b", "c")
    assert diamond.dependents("seed") == ("a", "e")


def test_upstream_and_downstream(diamond: Graph) -> None:
    assert diamond.upstream("d") == {"a", "b", "c", "seed", "scale"}
    assert diamond.upstream("b", "e") == {"a", "seed"}
    assert diamond.downstream("a") == {"b", "c", "d"}
    assert diamond.downstream("seed") == {"a", "b", "c", "d", "e"}
    assert diamond.downstream("d") == set()


def test_topological_order_is_deterministic(diamond: Graph) -> None:
    assert diamond.topological_order() == ["a", "e", "b", "c", "d"]


def test_subgraph_keeps_what_the_outputs_need(diamond: Graph) -> None:
    sub = diamond.subgraph(["c"])
    assert list(sub.nodes) == ["a", "c"]
    assert set(sub.inputs) == {"seed", "scale"}
    assert list(diamond.subgraph(["d", "e"]).nodes) == ["a", "b", "c", "d", "e"]


def test_unknown_names_raise_with_a_suggestion(diamond: Graph) -> None:
    with pytest.raises(UnknownNodeError, match="did you mean `seed`"):
        diamond.upstream("sead")
    with pytest.raises(KeyError):
        diamond.subgraph(["nope"])


def test_a_cycle_raises_with_the_cycle() -> None:
    graph = static_graph("def a(c: int) -> int: ...\ndef b(a: int) -> int: ...\ndef c(b: int) -> int: ...\n")
    with pytest.raises(CycleError) as raised:
        graph.topological_order()
    assert raised.value.cycle == ["a", "c", "b", "a"]


def test_topology_functions_on_plain_mappings() -> None:
    deps = {"a": [], "b": ["a"], "c": ["a", "b"], "x": ["y"], "y": ["x"], "s": ["s"]}
    assert reverse(deps)["a"] == ["b", "c"]
    assert closure(deps, ["c"]) == {"a", "b", "c"}
    assert sorted(find_cycles(deps)) == [["s", "s"], ["x", "y", "x"]]
    assert topological_order({"a": [], "b": ["a"], "c": ["b", "missing"]}) == ["a", "b", "c"]


def test_a_long_chain_does_not_recurse() -> None:
    deps = {f"n{i}": [f"n{i - 1}"] if i else [] for i in range(20_000)}
    assert topological_order(deps)[-1] == "n19999"
    assert len(closure(deps, ["n19999"])) == 20_000
    deps["n0"] = ["n19999"]
    assert len(find_cycles(deps)[0]) == 20_001


@st.composite
def dags(draw: st.DrawFn) -> tuple[int, dict[int, list[int]], dict[int, bool]]:
    """``n`` nodes, each depending on some earlier ones; some with a defaulted external input."""
    size = draw(st.integers(min_value=1, max_value=25))
    edges = {i: sorted(draw(st.sets(st.integers(0, i - 1), max_size=4))) if i else [] for i in range(size)}
    optional = {i: draw(st.booleans()) for i in range(size)}
    return size, edges, optional


def dag_source(edges: dict[int, list[int]], optional: dict[int, bool]) -> str:
    lines = []
    for i, needs in reversed(edges.items()):  # definition order unrelated to dependency order
        params = [f"node_{j}: int" for j in needs] + [f"knob_{i}: int = 0" if optional[i] else f"seed_{i}: int"]
        lines.append(f"def node_{i}({', '.join(params)}) -> int:\n    return 0\n")
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(dags())
def test_random_dags(dag: tuple[int, dict[int, list[int]], dict[int, bool]]) -> None:
    size, edges, optional = dag
    static, runtime = both(dag_source(edges, optional), "random_dag")
    assert shape(static) == shape(runtime)
    assert static.problems == runtime.problems == ()
    order = static.topological_order()
    position = {name: index for index, name in enumerate(order)}
    assert sorted(order) == sorted(f"node_{i}" for i in range(size))
    for i, needs in edges.items():
        for j in needs:
            assert position[f"node_{j}"] < position[f"node_{i}"]
    last = f"node_{size - 1}"
    expected = {
        f"node_{j}"
        for j in closure({str(k): [str(v) for v in vs] for k, vs in edges.items()}, [str(size - 1)])
        if j != str(size - 1)
    }
    assert {n for n in static.upstream(last) if n.startswith("node_")} == expected
    assert set(static.subgraph([last]).nodes) == expected | {last}
    assert {name for name, i in static.inputs.items() if not i.required} == {f"knob_{i}" for i in edges if optional[i]}
