"""Notebook caching keys: source and upstream values decide what is recomputed."""

from __future__ import annotations

from livedag.graph import Graph
from livedag.kernel.cache import ResultCache


def make(total_body: str = "return a + b + x"):
    namespace: dict = {}
    source = (
        "def a() -> int:\n    return 1\n"
        "def b(a: int) -> int:\n    return a * 2\n"
        f"def total(a: int, b: int, x: int) -> int:\n    {total_body}\n"
    )
    exec(compile(source, f"<cache-{abs(hash(total_body))}>", "exec"), namespace)
    import linecache

    linecache.cache[f"<cache-{abs(hash(total_body))}>"] = (len(source), None, source.splitlines(True), "x")
    return Graph.from_functions(namespace["a"], namespace["b"], namespace["total"])


def test_unchanged_nodes_are_overridden_with_their_last_value():
    cache = ResultCache()
    graph = make()
    keys = cache.keys(graph, {"x": 1})
    assert cache.overrides(keys) == {}
    cache.store(keys, {"a": 1, "b": 2, "total": 4})
    again = cache.keys(graph, {"x": 1})
    assert cache.overrides(again) == {"a": 1, "b": 2, "total": 4}


def test_an_input_change_recomputes_only_its_consumers():
    cache = ResultCache()
    graph = make()
    cache.store(cache.keys(graph, {"x": 1}), {"a": 1, "b": 2, "total": 4})
    assert set(cache.overrides(cache.keys(graph, {"x": 2}))) == {"a", "b"}
    assert set(cache.overrides(cache.keys(graph, {"x": 1}))) == {"a", "b"}  # back to 1 is a new version


def test_an_edited_node_recomputes_itself_and_its_dependents():
    cache = ResultCache()
    cache.store(cache.keys(make(), {"x": 1}), {"a": 1, "b": 2, "total": 4})
    edited = make("return a + b + x + 1")
    assert set(cache.overrides(cache.keys(edited, {"x": 1}))) == {"a", "b"}


def test_failed_nodes_are_forgotten_and_wanted_limits_overrides():
    cache = ResultCache()
    graph = make()
    keys = cache.keys(graph, {"x": 1})
    cache.store(keys, {"a": 1, "b": 2, "total": 4})
    cache.store(keys, {}, failed=["total"])
    assert set(cache.overrides(keys)) == {"a", "b"}
    assert set(cache.overrides(keys, wanted={"a"})) == {"a"}


def test_values_that_cannot_be_compared_count_as_changed():
    class Weird:
        def __eq__(self, other):
            raise TypeError("no")

    cache = ResultCache()
    graph = make()
    cache.store(cache.keys(graph, {"x": Weird()}), {"a": 1, "b": 2, "total": 4})
    assert set(cache.overrides(cache.keys(graph, {"x": Weird()}))) == {"a", "b"}


def test_a_list_changed_in_place_counts_as_changed():
    cache = ResultCache()
    graph = make()
    x = [1, 2]
    cache.store(cache.keys(graph, {"x": x}), {"a": 1, "b": 2, "total": 4})
    assert set(cache.overrides(cache.keys(graph, {"x": x}))) == {"a", "b", "total"}
    x.append(3)
    assert set(cache.overrides(cache.keys(graph, {"x": x}))) == {"a", "b"}
