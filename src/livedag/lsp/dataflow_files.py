"""The rule that keeps ordinary Python files quiet.

A file that is part of a configured graph is always a dataflow file. Any other Python file is its own
graph, and most Python files are not dataflows: reporting ``missing-annotation`` on every helper
function of an ordinary module would be noise. So an unconfigured file counts as a *dataflow file*
only when

1. it imports livedag or Apache Hamilton (``import livedag``, ``from hamilton.function_modifiers ...``), or
2. it defines at least one public top-level function and at least half of them are fully annotated
   (a return annotation and an annotation on every parameter that can carry a dependency). A file that
   has never parsed has no specs to count: its ``def`` lines are read instead (at least half of them
   with a return annotation), so that its syntax error shows from the moment it is opened.

An ordinary file gets no diagnostics and no code lenses; hover, navigation, symbols and the graph
request still answer when asked, since the user asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from livedag.graph import NodeSpec

__all__ = ["is_dataflow_file", "is_fully_annotated"]

_IMPORTS_LIVEDAG = re.compile(r"^\s*(?:import|from)\s+(?:livedag|hamilton)\b", re.MULTILINE)
_DEF_LINE = re.compile(r"^(?:async\s+)?def\s+[A-Za-z]\w*\s*\((.*)$", re.MULTILINE)


def is_fully_annotated(spec: NodeSpec) -> bool:
    return spec.returns is not None and all(p.annotation is not None for p in spec.params if p.kind.supported)


def is_dataflow_file(text: str, specs: Iterable[NodeSpec] | None) -> bool:
    """Whether an unconfigured file is treated as a dataflow (see the module docstring); ``specs`` is
    ``None`` for a file that has never parsed."""
    # The annotation rule first: it stops as soon as half are annotated, while the import rule reads the
    # whole text (2-3 ms for a 5,000-node file), and this runs on every edit.
    if specs is None:
        defs = ["->" in match.group(1) for match in _DEF_LINE.finditer(text)]
        if defs and 2 * sum(defs) >= len(defs):
            return True
    else:
        nodes = list(specs)
        needed = (len(nodes) + 1) // 2
        annotated = 0
        for spec in nodes:
            annotated += is_fully_annotated(spec)
            if annotated >= needed:
                return True
    return _IMPORTS_LIVEDAG.search(text) is not None
