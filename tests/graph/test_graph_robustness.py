"""Static resolution never raises, whatever the text: random sequences of Python-ish fragments (most of them
not Python at all) resolve to a graph whose problems format and whose Mermaid text renders."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livedag import Graph, to_mermaid

FRAGMENTS = [
    "def ",
    "async def ",
    "f",
    "g",
    "(",
    ")",
    "x",
    ": ",
    "int",
    "list[",
    "]",
    " -> ",
    ":\n",
    "    ",
    "yield 1\n",
    "return 1\n",
    "@",
    "deco",
    '("a")',
    "\n",
    ", ",
    "*",
    "**",
    "/",
    "=",
    "None",
    "'str'",
    '"List[int]"',
    "é",
    "日本",
    "from typing import List\n",
    "import typing as t\n",
    "t.",
    "Optional[",
    "class C(",
    "):\n",
    "\t",
    "\\\n",
    "#",
    '"""',
    "lambda: 0",
    "|",
    "...",
    "1",
    "\r\n",
    "\x00",
    "\ufeff",
    "{",
    "}",
    "if TYPE_CHECKING:\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_static_resolution_never_raises(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        graph = Graph.from_sources({"fuzz.py": source, "other.py": "def f(x: int) -> int: ...\n"})
        for problem in graph.problems:
            assert problem.format()
            assert problem.span is None or problem.span.line >= 1
        assert to_mermaid(graph).startswith("flowchart")
