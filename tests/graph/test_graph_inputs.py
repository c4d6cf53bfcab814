"""``Graph.missing_inputs`` and ``Graph.running_nodes``: the one rule for which inputs a run still needs,
shared by the CLI, the editor's runs and the notebook."""

from __future__ import annotations

import textwrap

import pytest

from livedag.graph import Graph

GRAPH = Graph.from_sources(
    {
        "g.py": textwrap.dedent(
            """
            def a(x: int, y: int) -> int:
                return x + y

            def b(a: int, z: int, w: int = 1) -> int:
                return a * z

            def c(w: int, z: int = 0) -> int:
                return w + z

            def d(b: int, c: int) -> int:
                return b + c
            """
        )
    }
)


@pytest.mark.parametrize(
    ("given", "outputs", "overrides", "expected"),
    [
        # the whole graph: w is optional for b but required by c, so it is missing (needed by c only)
        ((), None, (), {"x": ("a",), "y": ("a",), "z": ("b",), "w": ("c",)}),
        (("x", "y"), ["a"], (), {}),
        (("x",), ["a"], (), {"y": ("a",)}),
        # b alone: w has a default there, and c does not run
        (("x", "y"), ["b"], (), {"z": ("b",)}),
        # an overridden node does not run: nothing upstream of it is needed
        (("z", "w"), ["d"], ("a",), {}),
        ((), ["b"], ("a",), {"z": ("b",)}),
        # an output that is an input is needed by itself; an override of its name gives it
        ((), ["x"], (), {"x": ("x",)}),
        ((), ["x"], ("x",), {}),
    ],
)
def test_missing_inputs(given, outputs, overrides, expected):
    assert GRAPH.missing_inputs(frozenset(given), outputs, frozenset(overrides)) == expected


def test_running_nodes_are_in_graph_order_and_stop_at_overrides():
    assert GRAPH.running_nodes() == ["a", "b", "c", "d"]
    assert GRAPH.running_nodes(["d"]) == ["a", "b", "c", "d"]
    assert GRAPH.running_nodes(["d"], {"b"}) == ["c", "d"]
    assert GRAPH.running_nodes(["b"]) == ["a", "b"]
    assert GRAPH.running_nodes(["x"]) == []
