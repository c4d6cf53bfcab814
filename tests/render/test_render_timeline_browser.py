"""The timeline of real runs drawn in headless Debian Chromium: geometry, colours, nothing loaded, screenshots.

Screenshots go to ``$LIVEDAG_SCREENSHOTS`` when set (to look at them), else to the test's temporary folder.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from livedag import Driver
from livedag.history.capture import Capture
from livedag.history.model import NodeEntry, RunEntry
from livedag.render.timeline import critical_path, timeline_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

BOXES = """() => [...document.querySelectorAll('.livedag-timeline-row')].filter((row) => row.checkVisibility())
  .map((row) => ({
    node: row.dataset.timelineNode, status: row.dataset.timelineStatus, critical: row.dataset.critical === 'true',
    bars: [...row.querySelectorAll('[data-attempt]')].map((bar) => {
      const box = bar.getBoundingClientRect();
      return { x: box.x, right: box.right, y: box.y, colour: getComputedStyle(bar).backgroundColor,
               image: getComputedStyle(bar).backgroundImage };
    }),
    items: row.querySelectorAll('[data-item]').length,
  }))"""


@pytest.fixture(scope="module")
def browser_page() -> Iterator[tuple[Page, list[str]]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        yield page, requests
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LIVEDAG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _real_run() -> RunEntry:
    """A run with parallel I/O, a retried node, a streaming node and a failure (graceful)."""
    calls = {"flaky": 0}

    async def load(x: int) -> int:
        await asyncio.sleep(0.05)
        return x

    async def fetch_a(load: int) -> int:
        await asyncio.sleep(0.12)
        return load + 1

    async def fetch_b(load: int) -> int:
        await asyncio.sleep(0.04)
        return load + 2

    async def flaky(load: int) -> int:
        calls["flaky"] += 1
        await asyncio.sleep(0.02)
        if calls["flaky"] < 3:
            raise ConnectionError(f"try {calls['flaky']}")
        return load

    async def tokens(fetch_b: int):  # type: ignore[no-untyped-def]
        for i in range(6):
            await asyncio.sleep(0.01)
            yield i + fetch_b

    def joined(fetch_a: int, tokens: list[int], flaky: int) -> int:
        return fetch_a + sum(tokens) + flaky

    def broken(fetch_b: int) -> int:
        raise ValueError("no luck")

    def after_broken(broken: int) -> int:
        return broken

    driver = Driver(
        [load, fetch_a, fetch_b, flaky, tokens, joined, broken, after_broken],
        graceful=True,
        node_options={"flaky": {"retries": 3}},
    )
    capture = Capture()

    async def watch() -> None:
        async for _ in capture.wrap(driver.astream(inputs={"x": 1})):
            pass

    with ThreadPoolExecutor(1) as pool:  # the sync playwright API keeps an event loop on this thread
        pool.submit(asyncio.run, watch()).result()
    return capture.entry(driver.graph, outputs=None, inputs={"x": 1}, source="test", label="timeline test")


def _show(page: Page, markup: str) -> list[dict[str, Any]]:
    page.set_content(markup)
    boxes: list[dict[str, Any]] = page.evaluate(BOXES)
    return boxes


def test_a_real_run_is_drawn_to_scale(browser_page: tuple[Page, list[str]], shots: Path) -> None:
    page, requests = browser_page
    run = _real_run()
    boxes = {
        row["node"]: row
        for row in _show(page, timeline_html(run.nodes, started=run.started, title="a real run", standalone=True))
    }
    page.screenshot(path=str(shots / "timeline-run.png"), full_page=True)
    assert requests == []  # nothing fetched, not even a font
    load, fetch_a, fetch_b, joined = (boxes[name]["bars"][0] for name in ("load", "fetch_a", "fetch_b", "joined"))
    assert fetch_a["x"] >= load["right"] - 2  # starts after what it needs ended
    assert abs(fetch_a["x"] - fetch_b["x"]) < 3  # the two fetches overlap
    width_a, width_b = fetch_a["right"] - fetch_a["x"], fetch_b["right"] - fetch_b["x"]
    durations = {node.name: node.duration for node in run.nodes}
    assert width_a / width_b == pytest.approx(durations["fetch_a"] / durations["fetch_b"], rel=0.05)  # to scale
    assert joined["x"] >= fetch_a["right"] - 2
    assert [bar["image"] != "none" for bar in boxes["flaky"]["bars"]] == [True, True, False]  # two failed tries
    assert boxes["tokens"]["items"] == 6
    assert boxes["broken"]["status"] == "failed"
    assert boxes["broken"]["bars"][0]["colour"] == "rgb(229, 57, 53)"
    assert boxes["after_broken"]["bars"] == []  # skipped: a row, no bar
    path = [name for name, row in boxes.items() if row["critical"]]
    assert path == list(critical_path(run.nodes))
    assert path[0] == "load"
    assert path[-1] == "joined"
    last_input = max((run.node(name) for name in ("fetch_a", "tokens", "flaky")), key=lambda node: node.ended)
    assert last_input.name in path  # the input `joined` waited for longest


def test_a_thousand_nodes_stay_readable(browser_page: tuple[Page, list[str]], shots: Path) -> None:
    page, requests = browser_page
    nodes = []
    for i in range(1000):
        layer, position = divmod(i, 50)
        start = layer * 0.01 + position * 0.0001
        upstream = (f"n{(layer - 1) * 50 + position}",) if layer else ()
        status = "failed" if i == 777 else "done"
        nodes.append(NodeEntry(f"n{i}", status, start, start + 0.008, 0.008, 1, upstream=upstream))
    boxes = _show(page, timeline_html(nodes, started=0.0, title="1,000 nodes", standalone=True))
    page.screenshot(path=str(shots / "timeline-1000.png"), full_page=True)
    assert requests == []
    assert len(boxes) == 20 + 50  # open: the critical path (one node per layer) and the layer with the failure
    shown = {row["node"] for row in boxes}
    assert len(shown) == 69  # n799 is in both
    assert "n777" in shown
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 900  # scrolls inside its box instead of a page 18,000 px tall
    page.click("details[data-group='3'] > summary")
    assert len(page.evaluate(BOXES)) == 70 + 50
    page.screenshot(path=str(shots / "timeline-1000-open.png"))
