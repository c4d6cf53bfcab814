"""Runs from a real notebook kernel are recorded, their timeline shown under the table, ``%dag runs`` lists them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kernel_notebook import errors, html, plain

from livedag.history import HistoryStore

CELL = """%%dag --run --graceful{options}
import asyncio
from collections.abc import Iterator

async def fetch(x: int) -> int:
    await asyncio.sleep(0.05)
    return x + 1

def broken(fetch: int) -> int:
    raise ValueError("no luck")

def stream(fetch: int) -> Iterator[int]:
    for i in range(3):
        yield i
"""


def _timeline_rows(markup: str) -> dict[str, str]:
    return dict(re.findall(r'data-timeline-node="([^"]+)" data-timeline-status="([^"]+)"', markup))


def test_a_run_is_recorded_with_its_timeline_under_the_table(notebook, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    notebook.run(f"import os\nos.environ['LIVEDAG_HISTORY_DB'] = {str(db)!r}\nx = 1")
    cell = notebook.run(CELL.format(options=""), "cell-h")
    assert not errors(cell), plain(cell)
    shown = [output for output in cell.outputs if "text/html" in output.get("data", {})]
    table_at = next(i for i, output in enumerate(shown) if "data-node=" in output["data"]["text/html"])
    timeline_at = next(i for i, output in enumerate(shown) if "livedag-timeline" in output["data"]["text/html"])
    assert timeline_at > table_at  # under the table
    timeline = shown[timeline_at]["data"]
    assert _timeline_rows(timeline["text/html"]) == {"fetch": "done", "broken": "failed", "stream": "done"}
    assert "timeline · run 1" in timeline["text/html"]
    assert timeline["text/plain"].startswith("timeline · run 1: 3 of 3 nodes ran")
    with HistoryStore(db) as store:
        entry = store.get(1)
    assert entry.source == "notebook"
    assert {node.name: node.status for node in entry.nodes} == {"fetch": "done", "broken": "failed", "stream": "done"}
    assert entry.node("broken").error == "ValueError: no luck"  # type: ignore[union-attr]
    assert entry.node("stream").items == 3  # type: ignore[union-attr]

    static = notebook.run(CELL.format(options=" --no-widget"), "cell-h")  # the static fallback has it too
    assert "timeline · run 2" in html(static)

    listed = notebook.run("%dag runs")
    assert re.findall(r'data-run="(\d+)"', html(listed)) == ["2", "1"]
    one = notebook.run("%dag runs 1")
    assert _timeline_rows(html(one))["broken"] == "failed"
    assert "no run 7" in plain(notebook.run("%dag runs 7"))


def test_history_off_still_shows_the_timeline(notebook, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    notebook.run(
        f"import os\nos.environ['LIVEDAG_HISTORY_DB'] = {str(db)!r}\nos.environ['LIVEDAG_HISTORY'] = '0'\nx = 1"
    )
    cell = notebook.run(CELL.format(options=""), "cell-h")
    assert _timeline_rows(html(cell))["fetch"] == "done"
    assert not db.exists()
    assert json.dumps(plain(notebook.run("%dag runs"))).count("no run history") == 1
