"""The rule that keeps ordinary Python files quiet.

A file that is part of a configured graph is always a dataflow file. Any other Python file is its own
graph, and most Python files are not dataflows: reporting ``missing-annotation`` on every helper
function of an ordinary module would be noise. So an unconfigured file counts as a *dataflow file*
only when

1. it imports livedag (``import livedag`` / ``from livedag ...``), or
2. it defines at least one public top-level function and at least half of them are fully annotated
   (a return annotation and an annotation on every parameter that can carry a dependency).

An ordinary file gets no diagnostics and no code lenses; hover, navigation, symbols and the graph
request still answer when asked, since the user asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from livedag.graph import NodeSpec

__all__ = ["is_dataflow_file", "is_fully_annotated"]

_IMPORTS_LIVEDAG = re.compile(r"^\s*(?:import\s+livedag\b|from\s+livedag\b)", re.MULTILINE)


def is_fully_annotated(spec: NodeSpec) -> bool:
    return spec.returns is not None and all(p.annotation is not None for p in spec.params if p.kind.supported)


def is_dataflow_file(text: str, specs: Iterable[NodeSpec]) -> bool:
    """Whether an unconfigured file is treated as a dataflow (see the module docstring)."""
    if _IMPORTS_LIVEDAG.search(text):
        return True
    nodes = list(specs)
    needed = (len(nodes) + 1) // 2
    annotated = 0
    for spec in nodes:  # stops as soon as half are annotated: this runs on every edit
        annotated += is_fully_annotated(spec)
        if annotated >= needed:
            return bool(nodes)
    return False
