"""The cell registry: re-defining replaces, removal leaves the graph, duplicates across cells fail cleanly."""

from __future__ import annotations

import pytest

from livedag.kernel.cells import CellDefinition, CellRegistry, DuplicateNodeError, cell_functions, defined_names


def a() -> int:
    return 1


def b(a: int) -> int:
    return a + 1


def other_a() -> str:
    return "a"


def cell(key, label, **functions):
    return CellDefinition(key, label, functions)


def test_cells_join_the_graph_in_order():
    registry = CellRegistry()
    registry.define(cell("id:1", "In [1]", a=a))
    registry.define(cell("id:2", "In [2]", b=b))
    graph = registry.graph()
    assert list(graph.nodes) == ["a", "b"]
    assert graph.dependencies("b") == ("a",)


def test_redefining_a_cell_replaces_it_and_a_deleted_function_leaves():
    registry = CellRegistry()
    registry.define(cell("id:1", "In [1]", a=a, b=b))
    registry.define(cell("id:1", "In [3]", a=a))
    assert list(registry.graph().nodes) == ["a"]
    assert registry.cell_of("a").label == "In [3]"


def test_duplicate_across_cells_names_both_and_keeps_the_graph():
    registry = CellRegistry()
    registry.define(cell("id:1", "In [1]", a=a))
    registry.define(cell("id:2", "In [2]", b=b))
    with pytest.raises(DuplicateNodeError) as caught:
        registry.define(cell("id:2", "In [4]", b=b, a=other_a))
    message = str(caught.value)
    assert "In [4]" in message
    assert "In [1]" in message
    assert "`a`" in message
    assert caught.value.clashes["a"].key == "id:1"
    graph = registry.graph()
    assert list(graph.nodes) == ["a", "b"]
    assert graph.nodes["a"].function is a


def test_removed_cells_take_their_nodes_along():
    registry = CellRegistry()
    registry.define(cell("id:1", "In [1]", a=a))
    registry.define(cell("id:2", "In [2]", b=b))
    assert registry.remove("id:1", "id:unknown") == ["a"]
    assert list(registry.graph().nodes) == ["b"]
    assert list(registry.graph().inputs) == ["a"]


def test_cell_without_ids_gets_a_hint():
    registry = CellRegistry()
    registry.define(cell("source:x", "In [1]", a=a))
    with pytest.raises(DuplicateNodeError, match="sends no cell ids"):
        registry.define(cell("source:y", "In [2]", a=other_a))


def test_defined_names_and_cell_functions():
    source = "import math\ndef f() -> int:\n    return 1\nasync def g() -> int:\n    return 2\ndef _h(): ...\nf2 = 3\n"
    assert defined_names(source) == ["f", "g"]
    assert defined_names("def broken(:") == []
    namespace: dict = {}
    exec(compile(source, "<cell-7>", "exec"), namespace)
    namespace["g"] = a  # rebound to a function from elsewhere: not this cell's node
    assert list(cell_functions(source, namespace, "<cell-7>")) == ["f"]
