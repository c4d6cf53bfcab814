"""``node_fingerprints``: the one rule behind the notebook's cache and the editor's stale results."""

from __future__ import annotations

import textwrap

from livedag.graph import Graph
from livedag.graph.fingerprints import node_fingerprints

SOURCE = textwrap.dedent(
    """
    def a(x: int) -> int:
        return x

    def b(a: int) -> int:
        return a + 1

    def c(y: int) -> int:
        return y

    def d(b: int, c: int) -> int:
        return b + c
    """
)


def prints(source: str, inputs: dict[str, str] | None = None) -> dict[str, str]:
    graph = Graph.from_sources({"g.py": source})
    lines = source.splitlines()
    keys = inputs or {}

    def own(spec):
        span = spec.definition_span
        return "\n".join(lines[span.line - 1 : span.end_line])

    return node_fingerprints(graph, own, lambda name: keys.get(name, "?"))


def test_an_edit_changes_the_node_and_everything_downstream_only():
    before = prints(SOURCE)
    after = prints(SOURCE.replace("return a + 1", "return a + 2"))
    assert {name for name in before if before[name] != after[name]} == {"b", "d"}
    assert all(len(value) == 16 for value in before.values())


def test_an_input_key_changes_its_consumers_and_their_downstream():
    before = prints(SOURCE, {"x": "1", "y": "1"})
    after = prints(SOURCE, {"x": "1", "y": "2"})
    assert {name for name in before if before[name] != after[name]} == {"c", "d"}


def test_nodes_on_or_after_a_cycle_get_none():
    cyclic = SOURCE + "".join(
        f"\ndef {name}({dep}: int) -> int:\n    return {dep}\n" for name, dep in (("e", "f"), ("f", "e"), ("g", "e"))
    )
    found = prints(cyclic)
    assert set(found) == {"a", "b", "c", "d"}
