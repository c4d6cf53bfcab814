"""Runs from real notebook cells: sync and async, failures, graceful, cache, inputs, results back in Python."""

from __future__ import annotations

from kernel_notebook import errors, html, plain, row_statuses, stream

ASYNC_CELL = """%%dag --run
import asyncio

async def first() -> int:
    await asyncio.sleep(0.3)
    return 1

async def second() -> int:
    await asyncio.sleep(0.3)
    return 2

async def third() -> int:
    await asyncio.sleep(0.3)
    return 3

def total(first: int, second: int, third: int) -> int:
    print("adding up")
    return first + second + third
"""


def test_three_async_nodes_run_concurrently_on_the_kernel_loop(notebook):
    cell = notebook.run(ASYNC_CELL, "cell-a")
    assert not errors(cell), plain(cell)
    assert row_statuses(html(cell)) == dict.fromkeys(["first", "second", "third", "total"], "done")
    assert "adding up" in stream(cell)  # print inside a node goes to the cell that ran it
    result = notebook.value(
        "(lambda r: (r.duration, [(r.records[n].started, r.records[n].ended) for n in ('first', 'second', 'third')]))"
        "(livedag.kernel.last_run())"
    )
    _, spans = result
    first_start, last_end = min(start for start, _ in spans), max(end for _, end in spans)
    assert last_end - first_start < 0.6  # the three 0.3 s nodes, measured in the kernel; in turn: 0.9 s
    assert max(start for start, _ in spans) < min(end for _, end in spans)  # all three overlapped


def test_the_cell_value_is_the_run_and_push_assigns_outputs(notebook):
    cell = notebook.run(ASYNC_CELL.replace("%%dag --run", "%%dag --run total --push"), "cell-a")
    assert cell.outputs[-1].output_type == "execute_result"
    assert cell.outputs[-1].data["text/plain"].startswith("<Run ")
    assert notebook.value("_.values['total'], _.ok, sorted(_.durations)") == (
        6,
        True,
        ["first", "second", "third", "total"],
    )
    assert notebook.value("total") == 6  # --push: the output is now a notebook variable
    notebook.run("result = %dag run first --force", "cell-b")
    assert notebook.value("result.values['first'], result.status['first'].value") == (1, "done")


def test_sync_nodes_and_inputs_from_notebook_variables(notebook):
    notebook.run("words = ['b', 'a', 'c']\nsettings = {'words': ['z']}")
    cell = notebook.run(
        "%%dag --run\ndef ordered(words: list[str]) -> list[str]:\n    return sorted(words)\n"
        "def joined(ordered: list[str], sep: str = '-') -> str:\n    return sep.join(ordered)\n",
        "cell-a",
    )
    assert not errors(cell), plain(cell)
    assert notebook.value("livedag.kernel.last_run().values['joined']") == "a-b-c"
    notebook.run("%dag run --inputs settings")
    assert notebook.value("livedag.kernel.last_run().values['joined']") == "z"
    missing = notebook.run("del words\n%dag run joined")
    [error] = errors(missing)
    assert error.ename == "MissingInputsError"
    assert "`words` (needed by ordered)" in error.evalue


FAILING = """%%dag --run {flags}
def good() -> int:
    return 1

def bad(good: int) -> int:
    raise ValueError(f"cannot use {{good}}")

def after(bad: int) -> int:
    return bad

def aside(good: int) -> int:
    return good + 1
"""


def test_a_failure_marks_the_cell_failed_and_shows_the_traceback_one_click_away(notebook):
    cell = notebook.run(FAILING.format(flags=""), "cell-a")
    [error] = errors(cell)
    assert error.ename == "RunFailedError"
    assert "node `bad`" in error.evalue
    assert "ValueError: cannot use 1" in error.evalue
    statuses = row_statuses(html(cell))
    assert statuses["good"] == "done"
    assert statuses["bad"] == "failed"
    assert statuses["after"] in ("skipped", "pending")
    assert "<details><summary>" in html(cell)
    assert "raise ValueError" in html(cell)  # the traceback shows the cell's source line
    assert notebook.value("livedag.kernel.last_run().failed") == ("bad",)


def test_graceful_runs_what_does_not_need_the_failure(notebook):
    cell = notebook.run(FAILING.format(flags="--graceful"), "cell-a")
    assert not errors(cell)
    assert row_statuses(html(cell)) == {"good": "done", "bad": "failed", "after": "skipped", "aside": "done"}
    assert notebook.value("_.values['aside'], _.failed, _.skipped") == (2, ("bad",), ("after",))


CACHED = """%%dag
class _Log(list):  # not plain data, so not part of the nodes' keys (a plain list would be, by value)
    pass

CALLS = _Log()

def base() -> int:
    CALLS.append("base")
    return 10

def double(base: int) -> int:
    CALLS.append("double")
    return base * 2
"""


def test_rerun_reuses_unchanged_nodes_and_an_edit_recomputes_exactly_what_depends_on_it(notebook):
    notebook.run(CACHED, "cell-a")
    tail = notebook.run(
        "%%dag\ndef shout(double: int) -> str:\n    CALLS.append('shout')\n    return str(double)\n", "cell-b"
    )
    first = notebook.run("%dag run")
    assert row_statuses(html(first)) == {"base": "done", "double": "done", "shout": "done"}
    again = notebook.run("%dag run")
    assert row_statuses(html(again)) == {"base": "cached", "double": "cached", "shout": "cached"}
    assert notebook.value("CALLS") == ["base", "double", "shout"]
    notebook.edit(tail, "%%dag\ndef shout(double: int) -> str:\n    CALLS.append('shout')\n    return f'{double}!'\n")
    edited = notebook.run("CALLS.clear()\n%dag run")
    assert row_statuses(html(edited))["shout"] == "done"
    assert notebook.value("CALLS") == ["shout"]
    assert notebook.value("livedag.kernel.last_run().values['shout']") == "20!"
    forced = notebook.run("CALLS.clear()\n%dag run --force")
    assert set(row_statuses(html(forced)).values()) == {"done"}


def test_autoawait_off_still_runs_async_nodes_in_the_cell(notebook):
    notebook.run("%autoawait off")
    cell = notebook.run(ASYNC_CELL, "cell-a")
    assert not errors(cell), plain(cell)
    assert "adding up" in stream(cell)
    assert notebook.value("livedag.kernel.last_run().values['total']") == 6


def test_runs_that_cannot_start_say_why_in_one_message(notebook):
    notebook.run("%%dag\ndef ordered(words: list[str]) -> list[str]:\n    return sorted(words)\n", "cell-a")
    unknown = notebook.run("%dag run orderd")
    assert [(e.ename, "did you mean `ordered`" in e.evalue) for e in errors(unknown)] == [("RunRefusedError", True)]
    wrong_type = notebook.run("words = 5\n%dag run ordered")
    [error] = errors(wrong_type)
    assert error.ename == "RunRefusedError"
    assert "`words`" in error.evalue
    assert error.traceback == [f"RunRefusedError: {error.evalue}"]  # no traceback through livedag's frames
    assert not [out for out in wrong_type.outputs if out.output_type == "display_data"]  # no table: nothing ran


def test_threads_timeout_and_retries_reach_the_driver(notebook):
    cell = notebook.run(
        "%%dag --run --threads --graceful --timeout 2\n"
        "import time, asyncio\n"
        "def left() -> int:\n    time.sleep(0.3)\n    print('left ran')\n    return 1\n"
        "def right() -> int:\n    time.sleep(0.3)\n    return 2\n"
        "async def stuck() -> int:\n    await asyncio.sleep(60)\n    return 3\n",
        "cell-a",
    )
    assert not errors(cell), plain(cell)
    assert "left ran" in stream(cell)  # output from a worker thread still goes to this cell
    assert row_statuses(html(cell)) == {"left": "done", "right": "done", "stuck": "failed"}
    assert "Timeout" in html(cell)
    spans = notebook.value("[(r.started, r.ended) for r in (_.records['left'], _.records['right'])]")
    assert max(start for start, _ in spans) < min(end for _, end in spans)  # sync nodes overlapped in threads
