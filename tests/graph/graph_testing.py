"""Helpers for the graph tests: one source text resolved statically and at runtime.

Kept in a uniquely named module (not ``conftest``) so hypothesis tests can call them directly.
"""

from __future__ import annotations

import linecache
import sys
import textwrap
import types
from pathlib import Path

from livedag import Graph

CORPUS = Path(__file__).parent / "corpus"


def static_graph(source: str, path: str = "mod.py") -> Graph:
    return Graph.from_sources({path: textwrap.dedent(source)})


def load_source(source: str, name: str = "mod", path: str | None = None) -> types.ModuleType:
    """Execute ``source`` as module ``name`` (registered in ``sys.modules`` while it runs, as an import would)."""
    module = types.ModuleType(name)
    module.__file__ = path or f"{name}.py"
    text = textwrap.dedent(source)
    # What IPython does for notebook cells: the source of code that has no file is in linecache.
    linecache.cache[module.__file__] = (len(text), None, text.splitlines(keepends=True), module.__file__)
    sys.modules[name] = module
    try:
        exec(compile(textwrap.dedent(source), module.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def runtime_graph(source: str, name: str = "mod") -> Graph:
    return Graph.from_modules(load_source(source, name))


def both(source: str, name: str = "mod") -> tuple[Graph, Graph]:
    """The graph of ``source`` resolved statically (path ``<name>.py``) and at runtime (module ``name``)."""
    return static_graph(source, f"{name}.py"), runtime_graph(source, name)


def shape(graph: Graph) -> dict[str, object]:
    """What static and runtime resolution must agree on, for comparisons."""
    return {
        "nodes": list(graph.nodes),
        "dependencies": {name: graph.dependencies(name) for name in graph.nodes},
        "optional": {name: tuple(p.optional for p in spec.params) for name, spec in graph.nodes.items()},
        "kinds": {name: spec.kind for name, spec in graph.nodes.items()},
        "returns": {name: spec.returns for name, spec in graph.nodes.items()},
        "params": {
            name: tuple((p.name, p.annotation, p.kind) for p in spec.params) for name, spec in graph.nodes.items()
        },
        "inputs": {name: (i.consumers, i.required) for name, i in graph.inputs.items()},
        "spans": {name: spec.span for name, spec in graph.nodes.items()},
    }


def codes(graph: Graph) -> list[str]:
    return sorted(problem.code.value for problem in graph.problems)
