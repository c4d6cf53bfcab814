"""Which loop a notebook run uses (real kernel): the kernel's on every path that can await, and a
clear message when a loop-bound object meets the private loop of a cell that cannot await."""

from __future__ import annotations

from kernel_notebook import errors, html, plain, row_statuses

LOOP_BOUND = """%%dag
import asyncio

async def waited() -> int:
    await asyncio.wait_for(asyncio.shield(READY), 5)
    return READY.result()
"""

SETUP = "import asyncio\nREADY = asyncio.get_running_loop().create_future()\nREADY.set_result(7)"


def test_dag_run_inside_an_if_block_runs_on_the_kernels_loop(notebook):
    notebook.run(SETUP, "setup")
    notebook.run(LOOP_BOUND, "cell-a")
    cell = notebook.run("if True:\n    result = %dag run waited\nprint(result.values['waited'])", "cell-b")
    assert not errors(cell), plain(cell)
    assert "7" in plain(cell)
    assert row_statuses(html(cell)) == {"waited": "done"}


def test_dag_run_inside_a_function_still_runs(notebook):
    notebook.run("%%dag\ndef one() -> int:\n    return 1\n", "cell-a")
    cell = notebook.run("def go():\n    run = %dag run one\n    return run\nprint(go().values['one'])", "cell-b")
    assert not errors(cell), plain(cell)
    assert "1" in plain(cell)


def test_with_autoawait_off_a_loop_bound_object_fails_with_a_clear_message(notebook):
    notebook.run(SETUP, "setup")
    notebook.run(LOOP_BOUND, "cell-a")
    notebook.run("%autoawait off", "off")
    cell = notebook.run("%dag run waited", "cell-b")
    [error] = errors(cell)
    assert error.ename == "RunFailedError"
    assert "could not use the kernel's event loop" in error.evalue
    assert "%autoawait on" in error.evalue
