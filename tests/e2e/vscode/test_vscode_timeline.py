"""The Timeline view in a real VS Code (code-server): run the graph, open its last run, read the bars.

A code-server of its own opens a fresh copy of ``examples/text_pipeline`` (no run history): the view first says
there is no run; a run of the graph from its lens then refreshes it by itself, with one row per node that ran,
each with a bar and its status. Screenshots go to ``tests/e2e/vscode/artifacts/timeline-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_server import CodeServer, Workbench, copy_example, vscode_page

from livedag import Graph
from livedag.history import HistoryStore, store_path

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("ws"))


@pytest.fixture(scope="module")
def vscode(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Iterator[Workbench]:
    server = CodeServer(tmp_path_factory.mktemp("code-server"))
    server.start(folder)
    try:
        with vscode_page(server, folder, "timeline") as workbench:
            workbench.open_file("summaries.py")
            workbench.wait("the livedag code lenses", lambda: any("Run graph" in lens for lens in workbench.lenses()))
            yield workbench
    finally:
        server.stop()


def test_the_timeline_shows_the_last_run_after_a_run(vscode: Workbench, folder: Path) -> None:
    vscode.command("livedag: Show Run Timeline")
    view = vscode.preview()  # the only webview of this window
    notice = vscode.wait(
        "the empty timeline", lambda: "No recorded run" in (text := view.locator("#notice").inner_text()) and text
    )
    assert "run it" in notice
    vscode.screenshot("01-empty")

    vscode.page.locator(".codelens-decoration a", has_text="▶ Run graph").first.click()
    rows = view.locator(".rows .row")
    vscode.wait("the timeline of the run", lambda: rows.count() > 0)

    with HistoryStore(store_path(folder)) as store:  # the test session's own database (tests/conftest.py)
        recorded = store.latest()
    assert recorded is not None
    ran = {node.name: node.status for node in recorded.nodes if node.started is not None}
    assert ran, recorded
    drawn = {row.get_attribute("data-node"): row.get_attribute("data-status") for row in rows.all()}
    assert drawn == {node.name: node.status for node in recorded.nodes}
    assert set(ran.values()) == {"done"}, ran
    assert view.locator(".rows .row .bar").count() == len(ran)  # a bar per node that ran
    for name in ran:
        bar = view.locator(f".rows .row[data-node='{name}'] .bar").bounding_box()
        track = view.locator(f".rows .row[data-node='{name}'] .track").bounding_box()
        assert bar is not None
        assert track is not None
        assert bar["width"] >= 2, (name, bar)
        assert track["x"] <= bar["x"] <= track["x"] + track["width"], (name, bar, track)
    assert set(ran) <= set(Graph.from_paths(*sorted(folder.glob("*.py"))).nodes)
    summary = view.locator("#summary").inner_text()
    assert re.search(rf"Run {recorded.id}: ok in [\d.]+ (µs|ms|s) \({len(ran)} done\)", summary), summary
    assert view.locator(".rows .row.critical").count() >= 1  # the critical path is marked
    # themed: the page takes the workbench's colours (a dark theme would change them too)
    background = view.locator("body").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("", "rgba(0, 0, 0, 0)"), background
    vscode.screenshot("02-after-run")
