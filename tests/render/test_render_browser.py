"""Mermaid output drawn by the real mermaid library (tests/render/mermaid-runtime, pinned in package-lock.json)
in headless Debian Chromium: the drawn node and edge counts, labels and classes are what the graph says."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from livedag import Graph, to_mermaid

ROOT = Path(__file__).resolve().parents[2]
MERMAID_JS = ROOT / "tests/render/mermaid-runtime/node_modules/mermaid/dist/mermaid.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_render_ids = itertools.count()

RENDER = """async ([id, text]) => {
  const { svg } = await mermaid.render(id, text);
  const out = document.getElementById("out");
  out.innerHTML = svg;
  const nodes = [...out.querySelectorAll("svg g.node")];
  return {
    nodes: nodes.map((node) => ({ classes: node.getAttribute("class").split(/\\s+/), text: node.textContent })),
    edges: out.querySelectorAll("svg path.flowchart-link").length,
    dashed: out.querySelectorAll("svg path.flowchart-link.edge-pattern-dotted").length,
  };
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    assert MERMAID_JS.is_file(), "run `make npm-deps` (npm ci in tests/render/mermaid-runtime)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_content('<!doctype html><html><body><div id="out"></div></body></html>')
        page.add_script_tag(path=str(MERMAID_JS))
        page.evaluate("mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 2000 })")
        yield page
        browser.close()


def draw(page: Page, text: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(RENDER, [f"graph{next(_render_ids)}", text])
    return result


def graph_of(source: str) -> Graph:
    return Graph.from_sources({"m.py": textwrap.dedent(source)})


def edge_count(graph: Graph, names: set[str] | None = None) -> tuple[int, int]:
    """(all edges, optional edges) among ``names`` (everything when None)."""
    edges = optional = 0
    for name, spec in graph.nodes.items():
        for param in spec.params:
            if not param.kind.supported or (names is not None and (name not in names or param.name not in names)):
                continue
            edges += 1
            optional += param.optional
    return edges, optional


def drawn(result: dict[str, Any], text: str) -> dict[str, Any]:
    """The drawn node whose label starts with ``text``."""
    matches = [node for node in result["nodes"] if node["text"].split("list[")[0].startswith(text)]
    assert len(matches) == 1, (text, result["nodes"])
    return matches[0]


KEYWORDS = """
from typing import AsyncIterator, Iterator
def end(graph: int) -> int: ...
async def style(end: int) -> dict[str, int]: ...
def subgraph(style: dict[str, int], end: int = 0) -> Iterator[str]:
    yield ""
async def classDef(subgraph: list[str]) -> AsyncIterator[str]:
    yield ""
def flowchart(classDef: list[str], click: str, direction: str = "LR") -> str: ...
"""


def test_keyword_names_and_statuses(page: Page) -> None:
    graph = graph_of(KEYWORDS)
    statuses = {"end": "done", "style": "running", "subgraph": "failed", "classDef": "cached", "flowchart": "skipped"}
    result = draw(page, to_mermaid(graph, statuses=statuses))
    assert len(result["nodes"]) == len(graph.nodes) + len(graph.inputs) == 8
    assert (result["edges"], result["dashed"]) == edge_count(graph) == (8, 2)
    assert "done" in drawn(result, "endint")["classes"]
    assert {"async", "running"} <= set(drawn(result, "async style")["classes"])
    assert {"stream", "failed"} <= set(drawn(result, "stream subgraph")["classes"])
    assert {"asyncstream", "cached"} <= set(drawn(result, "async stream classDef")["classes"])
    assert {"fn", "skipped"} <= set(drawn(result, "flowchartstr")["classes"])
    for name in ("graph", "click", "direction"):
        assert "input" in drawn(result, name)["classes"]


def test_every_status(page: Page) -> None:
    statuses = ["pending", "running", "done", "failed", "skipped", "cached", "stale"]
    source = "".join(f"def node_{s}(seed: int) -> int: ...\n" for s in statuses)
    graph = graph_of(source)
    result = draw(page, to_mermaid(graph, statuses={f"node_{s}": s for s in statuses}))
    assert len(result["nodes"]) == 8
    assert result["edges"] == 7
    for status in statuses:
        assert status in drawn(result, f"node_{status}")["classes"]


def test_the_example_pipeline(page: Page) -> None:
    graph = Graph.from_paths(*sorted((ROOT / "examples/text_pipeline").glob("*.py")))
    result = draw(page, to_mermaid(graph))
    assert len(result["nodes"]) == len(graph.nodes) + len(graph.inputs)
    assert (result["edges"], result["dashed"]) == edge_count(graph)


def test_without_inputs_and_types(page: Page) -> None:
    graph = Graph.from_paths(*sorted((ROOT / "examples/text_pipeline").glob("*.py")))
    result = draw(page, to_mermaid(graph, show_inputs=False, show_types=False, direction="TB"))
    assert len(result["nodes"]) == len(graph.nodes)
    assert result["edges"] == edge_count(graph, set(graph.nodes))[0]
    labels = [node["text"].split("stream ")[-1].split("async ")[-1] for node in result["nodes"]]
    assert sorted(labels) == sorted(graph.nodes)


def test_focus(page: Page) -> None:
    graph = graph_of(KEYWORDS)
    result = draw(page, to_mermaid(graph, focus="subgraph", depth=1))
    assert len(result["nodes"]) == 4  # subgraph, its producers style and end, its consumer classDef
    assert result["edges"] == 4  # style -> subgraph, end -> subgraph, end -> style, subgraph -> classDef


def test_problem_nodes(page: Page) -> None:
    graph = graph_of("def a() -> str: ...\ndef b(a: int) -> int: ...\ndef c(b: int, d: int) -> int: ...\n")
    result = draw(page, to_mermaid(graph))
    assert (len(result["nodes"]), result["edges"]) == (4, 3)
    assert "problem" in drawn(result, "astr")["classes"]
    assert "problem" not in drawn(result, "cint")["classes"]


def test_a_larger_generated_graph(page: Page) -> None:
    lines = ["def n0(seed: int) -> int: ...\n"]
    for i in range(1, 60):
        needs = sorted({i - 1, i // 2, i // 3})
        lines.append(f"def n{i}({', '.join(f'n{j}: int' for j in needs)}, k{i}: int = 0) -> int: ...\n")
    graph = graph_of("".join(lines))
    result = draw(page, to_mermaid(graph))
    assert len(result["nodes"]) == 60 + 60
    assert (result["edges"], result["dashed"]) == edge_count(graph)


def test_nodes_made_by_one_decorated_function_are_a_subgraph(page: Page, tmp_path: Path) -> None:
    corpus = ROOT / "tests/graph/hamilton_corpus"
    graph = Graph.from_paths(corpus / "stacked.py", corpus / "extract_fields_dict.py")
    result = page.evaluate(
        RENDER.replace(
            "edges: out",
            'clusters: [...out.querySelectorAll("svg g.cluster")].map((c) => c.textContent),\n    edges: out',
        ),
        [f"graph{next(_render_ids)}", to_mermaid(graph)],
    )
    assert len(result["nodes"]) == len(graph.nodes) + len(graph.inputs)
    assert sorted(result["clusters"]) == sorted(
        ["halves__even | halves__first", "times", "combined", "stats", "bounds"]
    )
    assert (result["edges"], result["dashed"]) == edge_count(graph)
    page.screenshot(path=str(tmp_path / "subgraphs.png"), full_page=True)
