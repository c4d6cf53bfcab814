"""The example notebook runs top to bottom in a real kernel (as nbconvert would run it)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from kernel_notebook import errors, html, plain, row_statuses
from nbclient import NotebookClient

EXAMPLE = Path(__file__).parents[2] / "examples" / "notebook" / "text_pipeline.ipynb"


def _cell(nb, first_line):
    return next(cell for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith(first_line))


def test_example_notebook_runs_cleanly():
    nb = nbformat.read(EXAMPLE, as_version=4)
    resources = {"metadata": {"path": str(EXAMPLE.parent)}}
    NotebookClient(nb, kernel_name="python3", timeout=120, resources=resources).execute()
    assert [plain(cell) for cell in nb.cells if cell.cell_type == "code" and errors(cell)] == []
    concurrent = _cell(nb, "%%dag --run --graph")
    assert set(row_statuses(html(concurrent)).values()) == {"done"}
    shown = [output.get("data", {}) for output in concurrent.outputs]
    assert any("text/vnd.mermaid" in data for data in shown)
    assert any("livedag-timeline" in data.get("text/html", "") for data in shown)  # the run's timeline
    rerun = next(cell for cell in nb.cells if cell.cell_type == "code" and cell.source == "%dag run")
    assert set(row_statuses(html(rerun)).values()) == {"cached"}
    changed = row_statuses(html(_cell(nb, "min_word_length = 6")))
    assert changed["documents"] == "cached"
    assert changed["words"] == "done"
    graceful = row_statuses(html(_cell(nb, "%%dag --run --graceful")))
    assert (graceful["fragile"], graceful["published"]) == ("failed", "skipped")
