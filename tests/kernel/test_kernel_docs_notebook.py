"""Every ``python`` block of docs/notebook.md runs, in order, as a cell of one notebook in a real kernel."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from kernel_notebook import Notebook, errors, html, make_client, plain

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "notebook.md"


def test_docs_python_blocks_run_in_order():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) > 8
    client = make_client(resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        book = Notebook(client)
        cells = []
        for index, source in enumerate(blocks):
            cell = nbformat.v4.new_code_cell(source.rstrip("\n"))
            cell["id"] = f"doc-{index}"
            client.nb.cells.append(cell)
            book.execute(cell)
            cells.append(cell)
    failures = {cell.id: plain(cell) for cell in cells if errors(cell)}
    assert failures == {}
    mismatch = next(cell for cell in cells if 'return "three"' in cell.source)
    assert 'data-code="type-mismatch"' in html(mismatch)
    assert "[double, count]" in plain(mismatch)
