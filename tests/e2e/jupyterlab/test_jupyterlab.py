"""A real JupyterLab in headless Chromium: a ``%%dag --run`` cell shows live rows, then the final table;
interrupts; a notebook saved in the middle of a run reopens with its table.

JupyterLab runs on 127.0.0.1 with a token and a private config dir; Debian's chromium is driven by
Python playwright (``executable_path``). The slow node waits for a file the test creates only after
it has read the live rows from the page, so nothing here depends on timing. A screenshot is saved
under ``tests/e2e/jupyterlab/artifacts/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 120_000

CELL = """%%dag --run --graph
import asyncio, os

async def quick() -> int:
    return 20

async def slow(quick: int) -> int:
    while not os.path.exists(RELEASE):  # the test creates it once it has seen this node running
        await asyncio.sleep(0.05)
    return quick + 1

async def other(quick: int) -> int:
    return quick * 2

def total(slow: int, other: int) -> int:
    return slow + other
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_config(config: Path) -> None:
    settings = config / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "root"
    root.mkdir()
    config = tmp_path / "config"
    _write_config(config)
    token = uuid.uuid4().hex
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = threading.Event()
    log: list[str] = []

    def read_log() -> None:
        for line in server.stderr:
            log.append(line)
            if f"127.0.0.1:{port}/" in line and "token" in line:
                ready.set()
        ready.set()  # the server exited: let the test fail with its log

    threading.Thread(target=read_log, daemon=True).start()
    assert ready.wait(120), "JupyterLab did not start:\n" + "".join(log)
    assert server.poll() is None, "JupyterLab exited:\n" + "".join(log)
    base = f"http://127.0.0.1:{port}"
    try:
        yield base, token, root
    finally:
        try:
            request = urllib.request.Request(f"{base}/api/kernels?token={token}")
            with urllib.request.urlopen(request, timeout=10) as response:
                kernels = json.load(response)
            for kernel in kernels:
                delete = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
                urllib.request.urlopen(delete, timeout=30).close()
        finally:
            server.terminate()
            server.wait(30)


@contextlib.contextmanager
def _notebook_page(base: str, token: str, root: Path, cells: list[str], existing: str | None = None):
    """Chromium with the notebook (new with ``cells``, or the ``existing`` file) open and its kernel idle."""
    name = existing or f"livedag-{uuid.uuid4().hex[:8]}.ipynb"
    if existing is None:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, root / name)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            page.wait_for_function(
                "() => { const w = window.jupyterapp.shell.currentWidget;"
                " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
                " && w.sessionContext.session.kernel.connectionStatus === 'connected'"
                " && w.sessionContext.session.kernel.status === 'idle'; }"
            )
            yield page
        finally:
            browser.close()


def _rows(page, selector: str) -> dict[str, str]:
    return dict(page.eval_on_selector_all(selector, "rows => rows.map(r => [r.dataset.node, r.dataset.status])"))


def test_dag_cell_shows_live_rows_and_final_table_in_jupyterlab(lab, tmp_path):
    base, token, root = lab
    release = tmp_path / "release"
    cells = [f"%load_ext livedag\nRELEASE = {str(release)!r}", CELL]
    with _notebook_page(base, token, root, cells) as page:
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        live_rows = '.livedag-run[data-finished="false"] tr.livedag-row'
        page.wait_for_selector(f'{live_rows}[data-node="slow"][data-status="running"]')
        live = _rows(page, live_rows)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-live.png"), full_page=True)
        release.write_text("go")

        page.wait_for_selector('.livedag-run[data-finished="true"]')
        final = _rows(page, '.livedag-run[data-finished="true"] tr.livedag-row')
        page.wait_for_selector(".jp-RenderedMermaid")
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-final.png"), full_page=True)
        text = page.inner_text('.livedag-run[data-finished="true"]')

    assert live["slow"] == "running"
    assert live["quick"] == "done"  # rows update as nodes finish, before the run ends
    assert set(live) == {"quick", "slow", "other", "total"}
    assert final == {"quick": "done", "slow": "done", "other": "done", "total": "done"}
    assert re.search(r"total\s+done\s+[\d.]+ s\s+61", text)
    assert (ARTIFACTS / "jupyterlab-final.png").stat().st_size > 0


_RUN_CELL = """async ([index, source]) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const notebook = panel.content;
    notebook.activeCellIndex = index;
    if (source !== null) { notebook.activeCell.model.sharedModel.setSource(source); }
    await window.jupyterapp.commands.execute('notebook:run-cell');
    await panel.sessionContext.session.kernel.requestExecute({code: ''}).done;
    return notebook.widgets[index].outputArea.node.innerText;
}"""

_DELETE_CELL = """async (index) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = index;
    await window.jupyterapp.commands.execute('notebook:delete-cell');
    return notebook.widgets.length;
}"""


def test_jupyterlab_cell_ids_make_edits_replace_and_deletions_remove_nodes(lab):
    base, token, root = lab
    cells = [
        "%load_ext livedag",
        "%%dag\ndef base() -> int:\n    return 1\n",
        "%%dag\ndef shout(base: int) -> str:\n    return str(base)\n",
        "%dag nodes",
    ]
    with _notebook_page(base, token, root, cells) as page:
        for index in range(4):
            listing = page.evaluate(_RUN_CELL, [index, None])
        assert re.search(r"^base\s", listing, re.M)
        assert re.search(r"^shout\s", listing, re.M)

        # Edit cell 1 in place (same cell id): `base` becomes `start`; `base` must leave the graph.
        page.evaluate(_RUN_CELL, [1, "%%dag\ndef start() -> int:\n    return 1\n"])
        listing = page.evaluate(_RUN_CELL, [3, None])
        prompt = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-InputPrompt").inner_text()
        number = re.search(r"\[(\d+)\]", prompt).group(1)
        assert re.search(rf"^start\s+In \[{number}\]\s", listing, re.M)  # the cell as the notebook numbers it
        assert not re.search(r"^base\s", listing, re.M)
        assert "external inputs: base" in listing

        # Delete cell 2 (`shout`): JupyterLab sends its id with the next execution.
        assert page.evaluate(_DELETE_CELL, 2) == 3
        listing = page.evaluate(_RUN_CELL, [2, None])
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-cells.png"), full_page=True)
    assert not re.search(r"^shout\s", listing, re.M)
    assert "1 nodes; external inputs: none" in listing


BLOCKING = """%%dag --run
import asyncio, time

def blocker() -> int:
    time.sleep(20)
    return 1

async def fetched() -> int:
    return 2

def early(fetched: int) -> int:
    return fetched * 10

def after(blocker: int, early: int) -> int:
    return blocker + early
"""

_KERNEL_STATUS = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"


def test_two_interrupts_stop_a_20_s_blocking_node_and_the_kernel_lives(lab):
    base, token, root = lab
    cells = ["%load_ext livedag\nimport livedag.kernel", BLOCKING, "%dag run"]
    with _notebook_page(base, token, root, cells) as page:
        page.evaluate(_RUN_CELL, [0, None])
        page.evaluate(
            "() => { const n = window.jupyterapp.shell.currentWidget.content; n.activeCellIndex = 1;"
            " window.jupyterapp.commands.execute('notebook:run-cell'); }"
        )
        page.wait_for_selector('tr.livedag-row[data-node="blocker"][data-status="running"]')
        started = page.evaluate("() => performance.now()")
        page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:interrupt')")
        page.wait_for_timeout(1000)  # the user's pace between the two interrupts (not a wait for anything)
        page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:interrupt')")
        page.wait_for_selector('.livedag-run[data-finished="true"]')
        page.wait_for_function(f"() => ({_KERNEL_STATUS})() === 'idle'")
        took = (page.evaluate("() => performance.now()") - started) / 1000
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-interrupted.png"), full_page=True)
        interrupted = _rows(page, ".jp-Cell:nth-child(2) tr.livedag-row")
        error = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output").last.inner_text()
        assert "The kernel appears to have died" not in page.inner_text("body")
        again = page.evaluate(_RUN_CELL, [2, None])
        rerun = _rows(page, ".jp-Cell:nth-child(3) tr.livedag-row")
    assert took < 10  # not the 20 s of the sleep
    assert interrupted == {"blocker": "cancelled", "fetched": "done", "early": "done", "after": "not started"}
    assert "RunInterruptedError" in error
    assert rerun["fetched"] == "cached"  # finished before the interrupt: kept
    assert rerun["early"] == "cached"
    assert "livedag run" in again


WAITING = """%%dag --run
import asyncio, os

async def quick() -> int:
    return 1

async def slow(quick: int) -> int:
    while not os.path.exists(RELEASE):  # the test creates it after the notebook was saved mid-run
        await asyncio.sleep(0.05)
    return quick + 1
"""


def test_a_notebook_saved_mid_run_reopens_with_its_table(lab, tmp_path):
    base, token, root = lab
    release = tmp_path / "release"
    cells = [f"%load_ext livedag\nRELEASE = {str(release)!r}", WAITING]
    with _notebook_page(base, token, root, cells) as page:
        name = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_selector('tr.livedag-row[data-node="slow"][data-status="running"]')
        # Awaiting the save command: the live table keeps changing, so the model is dirty again at once.
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.save(); }")
        saved = nbformat.read(root / name, as_version=4)
        release.write_text("go")
        page.wait_for_selector('.livedag-run[data-finished="true"]')
    # The file as saved in the middle of the run, opened again (as after a kernel death or a restart).
    copy = f"reopened-{name}"
    nbformat.write(saved, root / copy)
    outputs = [out for cell in saved.cells for out in cell.get("outputs", [])]
    assert all("application/vnd.jupyter.widget-view+json" not in out.get("data", {}) for out in outputs)
    with _notebook_page(base, token, root, [], existing=copy) as page:
        page.wait_for_selector(".livedag-run")
        rows = _rows(page, "tr.livedag-row")
        text = page.inner_text(".jp-Notebook")
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-reopened.png"), full_page=True)
    assert rows == {"quick": "done", "slow": "running"}  # the table as it was when saved
    assert "Error displaying widget" not in text
    assert "model not found" not in text


RICH = """%%dag --run
from matplotlib.figure import Figure

def chart() -> Figure:
    fig = Figure(figsize=(4, 2.5))
    fig.add_subplot().plot([1, 3, 2, 4])
    return fig

def scale() -> int:
    return 3
"""


def test_a_figure_node_opens_as_an_image_from_the_table(lab):
    base, token, root = lab
    with _notebook_page(base, token, root, ["%load_ext livedag", RICH]) as page:
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_selector('.livedag-run[data-finished="true"]')
        summary = page.locator('tr.livedag-row[data-node="chart"] details.livedag-rich summary')
        assert "Figure size 400x250" in summary.inner_text()  # the short preview stays the summary
        summary.click()
        image = page.locator('tr.livedag-row[data-node="chart"] details.livedag-rich img')
        image.wait_for(state="visible")
        page.wait_for_function(
            "() => { const i = document.querySelector('tr.livedag-row[data-node=\"chart\"] img');"
            " return i && i.complete && i.naturalWidth > 100; }"
        )
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-rich.png"), full_page=True)
        assert page.locator('tr.livedag-row[data-node="scale"] details').count() == 0


TIMELINE_CELL = """%%dag --run --graceful
import asyncio

async def fetch() -> int:
    await asyncio.sleep(0.1)
    return 1

async def other() -> int:
    await asyncio.sleep(0.05)
    return 2

def broken(fetch: int) -> int:
    raise ValueError("no luck")

def total(fetch: int, other: int) -> int:
    return fetch + other
"""


def test_the_run_timeline_shows_under_the_table_and_dag_runs_lists_it(lab):
    base, token, root = lab
    cells = ["%load_ext livedag", TIMELINE_CELL, "%dag runs"]
    with _notebook_page(base, token, root, cells) as page:
        for index in range(3):
            page.evaluate(_RUN_CELL, [index, None])
        page.wait_for_selector(".livedag-timeline .livedag-timeline-row")
        rows = dict(
            page.eval_on_selector_all(
                ".livedag-timeline .livedag-timeline-row",
                "rows => rows.map(r => [r.dataset.timelineNode, r.dataset.timelineStatus])",
            )
        )
        # the timeline sits below the results table in the same cell's output
        table_y = page.locator('.livedag-run[data-finished="true"]').bounding_box()["y"]
        timeline_box = page.locator(".livedag-timeline").bounding_box()
        title = page.inner_text(".livedag-timeline")
        runs = page.eval_on_selector_all("tr[data-run]", "rows => rows.map(r => r.dataset.run)")
        page.locator(".livedag-timeline").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-timeline.png"), full_page=True)
    assert rows == {"fetch": "done", "other": "done", "broken": "failed", "total": "done"}
    assert timeline_box["y"] > table_y
    assert timeline_box["width"] > 400
    number = re.search(r"timeline · run (\d+)", title).group(1)
    assert runs[0] == number  # %dag runs lists it first
