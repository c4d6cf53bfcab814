"""No stale results in a real kernel: edited helpers and constants recompute their nodes; removed nodes
are gone from the graph and the namespace, and never become an input's value."""

from __future__ import annotations

import re

from kernel_notebook import errors, html, plain, row_statuses, stream

PRICE = """%%dag --run
def price() -> float:
    return 100.0

def total(price: float) -> float:
    return _price_with_tax(price)
"""


def test_editing_a_helper_or_a_constant_recomputes_the_node(notebook):
    notebook.run("TAX = 0.1\ndef _price_with_tax(price):\n    return round(price * (1 + TAX), 2)\n", "helpers")
    first = notebook.run(PRICE, "cell-a")
    assert not errors(first), plain(first)
    assert notebook.value("livedag.kernel.last_run().values['total']") == 110.0
    notebook.run("TAX = 0.25", "constant")
    again = notebook.run("%dag run", "cell-b")
    assert row_statuses(html(again)) == {"price": "cached", "total": "done"}
    assert notebook.value("livedag.kernel.last_run().values['total']") == 125.0
    notebook.run("def _price_with_tax(price):\n    return price * 2\n", "helpers")  # the helper's body edited
    notebook.run("%dag run", "cell-b")
    assert notebook.value("livedag.kernel.last_run().values['total']") == 200.0
    unchanged = notebook.run("%dag run", "cell-b")
    assert row_statuses(html(unchanged)) == {"price": "cached", "total": "cached"}


def test_a_function_removed_from_its_cell_is_gone_and_not_an_input(notebook):
    notebook.run(
        "%%dag\nfrom typing import Any\ndef rate() -> float:\n    return 2.0\n"
        "def scaled(rate: Any) -> float:\n    return rate * 3\n",
        "cell-a",
    )
    notebook.run("%%dag\ndef other() -> int:\n    return 1\n", "cell-b")
    notebook.run("%%dag\nfrom typing import Any\ndef scaled(rate: Any) -> float:\n    return rate * 3\n", "cell-a")
    assert notebook.value("'rate' in globals()") is False  # the old function left the namespace too
    cell = notebook.run("%dag run", "cell-c")
    [error] = errors(cell)
    assert error.ename == "MissingInputsError"  # not "ok" with '<function rate at 0x...>' as the value
    assert "`rate` (needed by scaled)" in error.evalue
    unrelated = notebook.run("%dag run other", "cell-d")
    assert not errors(unrelated), plain(unrelated)  # unrelated nodes still run
    notebook.run("rate = 5", "cell-e")
    notebook.run("%dag run scaled", "cell-f")
    assert notebook.value("livedag.kernel.last_run().values['scaled']") == 15  # a real variable is an input


def test_a_stale_node_function_kept_by_the_user_is_never_an_input(notebook):
    notebook.run("%%dag\ndef rate() -> float:\n    return 2.0\n", "cell-a")
    notebook.run("saved = rate", "keep")
    notebook.run("%%dag\ndef scaled(rate: float) -> float:\n    return rate * 3\n", "cell-b")
    notebook.client.extra_metadata = {"deletedCells": ["cell-a"]}  # JupyterLab deleted cell-a
    notebook.run("rate = saved", "rebind")  # the same function object, bound again under its name
    cell = notebook.run("%dag run", "cell-c")
    [error] = errors(cell)
    assert error.ename == "MissingInputsError", plain(cell)


def test_a_cell_deleted_in_the_frontend_takes_its_functions_out_of_the_namespace(notebook):
    notebook.run("%%dag\ndef rate() -> float:\n    return 2.0\n", "cell-a")
    notebook.client.extra_metadata = {"deletedCells": ["cell-a"]}
    cell = notebook.run("print('rate' in globals())", "cell-b")
    assert stream(cell).strip() == "False"


def test_rows_keep_the_graph_order_when_some_nodes_are_cached(notebook):
    first = "%%dag\ndef first() -> int:\n    return {}\n\ndef second(first: int) -> int:\n    return first + 1\n"
    notebook.run(first.format(1), "cell-a")
    notebook.run("%%dag\ndef third() -> int:\n    return 3\n", "cell-b")
    before = re.findall(r'data-node="([^"]+)"', html(notebook.run("%dag run", "run-1")))
    assert before.index("first") < before.index("second")  # topological
    notebook.run(first.format(2), "cell-a")
    cell = notebook.run("%dag run", "run-2")
    assert row_statuses(html(cell)) == {"first": "done", "second": "done", "third": "cached"}
    assert re.findall(r'data-node="([^"]+)"', html(cell)) == before  # the cached node keeps its place
