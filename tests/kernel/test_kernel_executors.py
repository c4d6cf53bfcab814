"""``%%dag --run --executor ...`` / ``%dag run --executor ...`` in a real kernel: node bodies run in worker
processes (and on a local Dask cluster), the live table is fed by the same events, values come back."""

from __future__ import annotations

import pytest
from kernel_notebook import errors, html, plain, row_statuses

CELL = """%%dag --run --executor processes
import os

def where() -> int:
    return os.getpid()

def doubled(where: int) -> int:
    return where * 2
"""


def test_cell_runs_its_nodes_in_worker_processes(notebook):
    cell = notebook.run(CELL, "cell-a")
    assert not errors(cell), plain(cell)
    assert row_statuses(html(cell)) == {"where": "done", "doubled": "done"}
    pid, kernel = notebook.value("(livedag.kernel.last_run().values['where'], __import__('os').getpid())")
    assert pid != kernel


@pytest.mark.dask
def test_line_magic_runs_on_dask(notebook):
    notebook.run(
        "%%dag\ndef base() -> int:\n    return 20\n\ndef answer(base: int) -> int:\n    return base + 22\n", "cell-a"
    )
    cell = notebook.run("%dag run answer --executor dask", "cell-b")
    assert not errors(cell), plain(cell)
    assert row_statuses(html(cell)) == {"base": "done", "answer": "done"}
    assert notebook.value("livedag.kernel.last_run().outputs") == {"answer": 42}


@pytest.mark.dask
def test_cell_magic_runs_on_dask(notebook):
    cell = notebook.run("%%dag --run --executor dask\ndef seven() -> int:\n    return 7\n", "cell-a")
    assert not errors(cell), plain(cell)
    assert notebook.value("livedag.kernel.last_run().outputs") == {"seven": 7}


@pytest.mark.ray
def test_line_magic_runs_on_ray(notebook):
    notebook.run("import os\nos.environ['RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER'] = '0'", "cell-0")  # Ray on 127.0.0.1
    notebook.run(
        "%%dag\ndef base() -> int:\n    return 1\n\ndef plus(base: int) -> int:\n    return base + 1\n", "cell-a"
    )
    cell = notebook.run("%dag run plus --executor ray", "cell-b")
    assert not errors(cell), plain(cell)
    assert row_statuses(html(cell)) == {"base": "done", "plus": "done"}
    assert notebook.value("livedag.kernel.last_run().outputs") == {"plus": 2}
