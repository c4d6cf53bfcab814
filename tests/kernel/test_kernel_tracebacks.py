"""Tracebacks in a real kernel start at the user's line: syntax errors, failing nodes, ``%tb``."""

from __future__ import annotations

import re

from kernel_notebook import errors, html, plain

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _traceback(cell) -> str:
    return ANSI.sub("", "\n".join(line for error in errors(cell) for line in error.traceback))


def test_a_syntax_error_in_a_dag_cell_points_at_the_users_line(notebook):
    source = "%%dag --run\ndef fine() -> int:\n    return 1\n\ndef broken( -> int:\n    return 2\n"
    cell = notebook.run(source, "cell-a")
    [error] = errors(cell)
    assert error.ename == "SyntaxError"
    text = _traceback(cell)
    assert "line 5" in text
    assert "def broken( -> int:" in text
    assert "__import__" not in text
    assert "livedag" not in text
    assert notebook.value("'fine' in globals()") is False  # nothing in the cell ran


FAILING = """%%dag --run
def _helper(x):
    return x / 0

def good() -> int:
    return 1

def bad(good: int) -> float:
    return _helper(good)
"""


def test_a_failing_node_shows_only_the_users_frames_at_the_cells_lines(notebook):
    cell = notebook.run(FAILING, "cell-a")
    [error] = errors(cell)
    assert error.ename == "RunFailedError"
    text = _traceback(cell)
    assert "ZeroDivisionError: division by zero" in text
    assert re.search(r"Cell In \[\d+\], line 9, in bad", text), text
    assert re.search(r"Cell In \[\d+\], line 3, in _helper", text), text
    for internal in ("scheduler.py", "attempts.py", "threads.py", "runner.py"):
        assert internal not in text
    table = html(cell)
    assert "line 9, in bad" in table
    assert "scheduler.py" not in table
    again = notebook.run("%tb", "cell-b")  # %tb shows the same frames, not only the summary
    assert "line 3, in _helper" in ANSI.sub(
        "", plain(again) + "\n".join(line for out in again.outputs for line in out.get("traceback", []))
    )


def test_an_error_in_a_dag_cells_body_shows_the_users_line_only(notebook):
    cell = notebook.run("%%dag --run\ndef fine() -> int:\n    return 1\n\nvalue = 1 / 0\n", "cell-a")
    [error] = errors(cell)
    assert error.ename == "ZeroDivisionError"
    text = _traceback(cell)
    assert "----> 5 value = 1 / 0" in text
    assert "__import__" not in text
    assert "livedag" not in text
    listing = notebook.run("%dag nodes", "cell-b")
    assert "0 nodes" in plain(listing)  # a cell that raises half-way does not change the graph
