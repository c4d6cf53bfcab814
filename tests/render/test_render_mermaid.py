"""Mermaid text: deterministic, keyword-safe ids, escaped labels, kind and status classes."""

from __future__ import annotations

import re
import textwrap

import pytest

from livedag import Graph, NodeStatus, to_mermaid
from livedag.render import escape_label, neighbourhood

KEYWORDS = textwrap.dedent(
    """
    from typing import AsyncIterator, Iterator
    def end(graph: int) -> int: ...
    async def style(end: int) -> dict[str, int]: ...
    def subgraph(style: dict[str, int], end: int = 0) -> Iterator[str]:
        yield ""
    async def classDef(subgraph: list[str]) -> AsyncIterator[str]:
        yield ""
    def flowchart(classDef: list[str], click: str, direction: str = "LR") -> str: ...
    """
)


def graph_of(source: str) -> Graph:
    return Graph.from_sources({"m.py": textwrap.dedent(source)})


@pytest.fixture(scope="module")
def keywords() -> Graph:
    return graph_of(KEYWORDS)


def test_whole_output_for_a_small_graph() -> None:
    graph = graph_of("def a(x: int) -> int: ...\nasync def b(a: int, y: str = '') -> str: ...\n")
    lines = to_mermaid(graph).splitlines()
    assert lines[:8] == [
        "flowchart LR",
        '  i0(["x"])',
        '  i1(["y"])',
        '  n0["a<br/><small>int</small>"]',
        '  n1[/"<i>async</i> b<br/><small>str</small>"/]',
        "  i0 --> n0",
        "  n0 --> n1",
        "  i1 -.-> n1",
    ]
    assert "  class i0,i1 input" in lines
    assert "  class n0 fn" in lines
    assert "  class n1 async" in lines


def test_deterministic(keywords: Graph) -> None:
    assert to_mermaid(keywords) == to_mermaid(graph_of(KEYWORDS))


def test_names_never_become_ids(keywords: Graph) -> None:
    text = to_mermaid(keywords)
    ids = re.findall(r"^  ([a-z]\d+)[\[(]", text, flags=re.MULTILINE)
    assert ids == ["i0", "i1", "i2", "n0", "n1", "n2", "n3", "n4"]
    for name in ("end", "graph", "style", "subgraph", "classDef", "flowchart", "click", "direction"):
        assert re.search(rf'"(<i>[a-z ]+</i> )?{name}(<br/>|")', text), name
    # Outside quoted labels, node and edge lines hold only generated ids, arrows and shape brackets.
    for line in text.splitlines()[1:]:
        if not line.startswith(("  classDef ", "  class ")):
            assert re.fullmatch(r"[ a-z0-9\-.>\[\]()/]*", re.sub(r'"[^"]*"', "", line)), line


def test_kinds_have_their_own_shapes_and_classes(keywords: Graph) -> None:
    text = to_mermaid(keywords)
    assert '  n0["end<br/>' in text
    assert '  n1[/"<i>async</i> style' in text
    assert '  n2[["<i>stream</i> subgraph<br/><small>list#91;str#93;</small>"]]' in text
    assert '  n3[["<i>async stream</i> classDef' in text
    assert "  class n0,n4 fn" in text
    assert "  class n1 async" in text
    assert "  class n2 stream" in text
    assert "  class n3 asyncstream" in text


def test_statuses_become_classes(keywords: Graph) -> None:
    text = to_mermaid(
        keywords,
        statuses={
            "end": NodeStatus.DONE,
            "style": "running",
            "subgraph": "failed",
            "classDef": NodeStatus.SKIPPED,
            "flowchart": "cached",
        },
    )
    for line in ("class n0 done", "class n1 running", "class n2 failed", "class n3 skipped", "class n4 cached"):
        assert f"  {line}\n" in text
    assert "classDef stale " in text
    assert "class n0 stale" not in text
    with pytest.raises(ValueError, match="bogus"):
        to_mermaid(keywords, statuses={"end": "bogus"})


def test_nodes_in_errors_are_flagged() -> None:
    graph = graph_of("def a() -> str: ...\ndef b(a: int) -> int: ...\ndef c(b: int) -> int: ...\n")
    assert "  class n0,n1 problem\n" in to_mermaid(graph)


def test_options(keywords: Graph) -> None:
    text = to_mermaid(keywords, direction="TB", show_types=False, show_inputs=False)
    assert text.startswith("flowchart TB\n")
    assert "<small>" not in text
    assert "([" not in text
    assert " input" not in text.replace("classDef input", "")


def test_focus_draws_the_neighbourhood(keywords: Graph) -> None:
    assert neighbourhood(keywords, "subgraph", 1) == {"subgraph", "style", "end", "classDef"}
    text = to_mermaid(keywords, focus="subgraph", depth=1)
    assert "graph" not in re.findall(r'"([^"<]+)', text)
    assert len(re.findall(r"^  n\d+[\[(]", text, flags=re.MULTILINE)) == 4


def test_optional_dependencies_are_dotted() -> None:
    graph = graph_of("def a() -> int: ...\ndef b(a: int = 0) -> int: ...\n")
    assert "  n0 -.-> n1\n" in to_mermaid(graph)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("dict[str, int]", "dict#91;str, int#93;"),
        ('say "hi"', "say #quot;hi#quot;"),
        ("a<b>", "a#lt;b#gt;"),
        ("#1", "#35;1"),
        ("{x} | `y`", "#123;x#125; #124; #96;y#96;"),
        ("plain_name", "plain_name"),
    ],
)
def test_escape_label(text: str, escaped: str) -> None:
    assert escape_label(text) == escaped


def test_labels_of_unusual_types_are_escaped() -> None:
    graph = graph_of('from typing import Literal\ndef a() -> Literal["x|y", "]"]: ...\n')
    label = re.search(r'n0\["(.*)"\]', to_mermaid(graph))
    assert label is not None
    assert '"' not in label.group(1)
    assert "]" not in label.group(1)
    assert "|" not in label.group(1)


def test_every_run_status_can_be_drawn():
    """The driver's statuses (execution) and the drawable ones (render) are two enums, because render may not
    import execution; the preview and the notebook pass one as the other, so every run status must be drawable."""
    from livedag.execution.events import RunStatus
    from livedag.render import NodeStatus

    assert {status.value for status in RunStatus} <= {status.value for status in NodeStatus}
    assert {status.value for status in NodeStatus} - {status.value for status in RunStatus} == {"stale"}
