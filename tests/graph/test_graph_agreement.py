"""Static and runtime resolution give the same graph and the same problems on random modules: random types
from a pool of builtin, typing and collections.abc annotations, all four node kinds (streams hand on lists),
shared inputs, missing annotations, cycles."""

from __future__ import annotations

from graph_testing import both, shape
from hypothesis import given, settings
from hypothesis import strategies as st

from livedag import Graph

HEADER = """\
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import Any, Dict, Generator, List, Optional
"""
STREAMS = {
    "generator": ["Iterator[{}]", "Generator[{}, None, None]", "Iterable[{}]"],
    "async_generator": ["AsyncIterator[{}]"],
}
TYPES = [
    "int",
    "bool",
    "str",
    "float",
    "bytes",
    "object",
    "Any",
    "list[int]",
    "List[int]",
    "list",
    "dict[str, int]",
    "Dict[str, int]",
    "Mapping[str, int]",
    "Optional[int]",
    "int | None",
    "Sequence[int]",
    "tuple[int, ...]",
    "set[str]",
    "frozenset[str]",
    "Iterable[str]",
    "Counter[str]",
    "list[str]",
]


@st.composite
def modules(draw: st.DrawFn) -> str:
    size = draw(st.integers(min_value=1, max_value=12))
    names = [f"node_{i}" for i in range(size)]
    inputs = ["alpha", "beta", "node_x"]
    lines = [HEADER]
    for name in names:
        params = draw(st.lists(st.sampled_from(names + inputs), max_size=3, unique=True))
        rendered = []
        for param in params:
            annotation = draw(st.one_of(st.none(), st.sampled_from(TYPES)))
            default = " = None" if draw(st.booleans()) and annotation is not None else ""
            rendered.append(f"{param}: {annotation}{default}" if annotation else param)
        rendered.sort(key=lambda p: "=" in p)  # defaults last
        returns = draw(st.one_of(st.none(), st.sampled_from(TYPES)))
        kind = draw(st.sampled_from(["sync", "async", "generator", "async_generator"]))
        if kind in STREAMS and returns:
            returns = draw(st.sampled_from(STREAMS[kind])).format(returns)
        arrow = f" -> {returns}" if returns else ""
        prefix = "async " if kind.startswith("async") else ""
        body = "yield None" if kind in STREAMS else "return None"
        lines.append(f"{prefix}def {name}({', '.join(rendered)}){arrow}:\n    {body}\n")
    return "\n".join(lines)


@settings(max_examples=80, deadline=None)
@given(modules())
def test_static_and_runtime_agree_on_random_modules(source: str) -> None:
    static, runtime = both(source, "random_module")
    assert shape(static) == shape(runtime)
    assert keys(static) == keys(runtime)


def keys(graph: Graph) -> list[tuple[str, tuple[str, ...], str]]:
    """Code, nodes and message; messages quoting annotations may differ in spelling (source text statically,
    the live object's repr at runtime), so only the others are compared word for word."""
    quoting = {"type-mismatch", "input-type-conflict"}
    return sorted((p.code.value, p.nodes, "" if p.code.value in quoting else p.message) for p in graph.problems)
