"""Real notebooks in a real ipykernel (nbclient): %%dag cells define, re-define, remove; problems inline."""

from __future__ import annotations

import re

from kernel_notebook import errors, html, plain, row_statuses

SOURCE = """%%dag
def raw() -> list[int]:
    return [3, 1, 2]

def ordered(raw: list[int]) -> list[int]:
    return sorted(raw)
"""


def test_cell_functions_join_the_graph_and_stay_callable(notebook):
    cell = notebook.run(SOURCE, "cell-a")
    assert not errors(cell)
    assert cell.outputs == []  # a clean definition shows nothing
    assert notebook.value("ordered([2, 1])") == [1, 2]
    nodes = plain(notebook.run("%dag nodes"))
    assert "raw" in nodes
    assert re.search(r"^ordered\s+In \[\d+\]\s+sync\s+raw\s+list\[int\]$", nodes, re.M)


def test_rerunning_an_edited_cell_replaces_its_nodes_and_a_deleted_function_leaves(notebook):
    cell = notebook.run(SOURCE, "cell-a")
    notebook.run("%%dag\ndef report(ordered: list[int]) -> str:\n    return str(ordered)\n", "cell-b")
    notebook.edit(cell, "%%dag\ndef ordered(raw: list[int]) -> list[int]:\n    return sorted(raw, reverse=True)\n")
    listing = plain(notebook.run("%dag nodes"))
    assert "ordered" in listing
    assert "report" in listing
    assert "\nraw " not in listing  # deleted from the cell: gone from the graph...
    assert "external inputs: raw" in listing  # ...and now an input of what needed it
    run = notebook.run("raw = [5, 7]\n%dag run report")
    assert row_statuses(html(run)) == {"ordered": "done", "report": "done"}
    assert notebook.value("livedag.kernel.last_run().values['report']") == "[7, 5]"


def test_same_name_in_two_cells_is_an_error_naming_both_and_the_graph_is_unchanged(notebook):
    notebook.run(SOURCE, "cell-a")
    clash = notebook.run("%%dag\ndef raw() -> list[int]:\n    return [0]\n", "cell-b")
    [error] = errors(clash)
    assert error.ename == "DuplicateNodeError"
    assert f"cell In [{clash.execution_count}] defines" in error.evalue  # the numbers the notebook shows
    assert "`raw` is already defined by cell In [2]" in error.evalue
    run = notebook.run("%%dag --run ordered\n")
    assert notebook.value("livedag.kernel.last_run().values['ordered']") == [1, 2, 3]  # the first `raw`
    assert not errors(run)


def test_frontend_without_cell_ids_reruns_the_same_cell_and_explains_duplicates(idless_notebook):
    first = idless_notebook.run(SOURCE)
    idless_notebook.execute(first)  # "Run All" twice: the same source is the same cell
    assert not errors(first)
    named = idless_notebook.run("%%dag --cell extra\ndef extra(raw: list[int]) -> int:\n    return len(raw)\n")
    idless_notebook.edit(named, "%%dag --cell extra\ndef extra(raw: list[int]) -> int:\n    return 2 * len(raw)\n")
    assert not errors(named)
    clash = idless_notebook.run("%%dag\ndef raw() -> list[int]:\n    return [0]\n")
    [error] = errors(clash)
    assert "sends no cell ids" in error.evalue


def test_problems_show_under_the_cell_with_node_names_before_anything_runs(notebook):
    notebook.run("%%dag\ndef count() -> str:\n    return 'three'\n", "cell-a")
    cell = notebook.run(
        "%%dag\nCALLS = []\ndef double(count: int) -> int:\n    CALLS.append(1)\n    return count * 2\n", "cell-b"
    )
    markup = html(cell)
    assert 'data-code="type-mismatch"' in markup
    assert "double" in markup
    assert "count" in markup
    assert "In [3], line" in plain(cell)
    run = notebook.run("%dag run double")
    [error] = errors(run)
    assert error.ename == "GraphProblemsError"
    assert "type-mismatch" in plain(run)
    assert notebook.value("CALLS") == []  # nothing ran


def test_a_cycle_is_reported_and_nothing_runs(notebook):
    cell = notebook.run(
        "%%dag --run\ndef a(b: int) -> int:\n    return b\n\ndef b(a: int) -> int:\n    return a\n", "cell-a"
    )
    assert 'data-code="cycle"' in html(cell)
    assert errors(cell)[0].ename == "GraphProblemsError"
    tables = [out for out in cell.outputs if 'class="livedag-problems"' in out.get("data", {}).get("text/html", "")]
    assert len(tables) == 1  # listed once, not again by the run


def test_reset_and_show(notebook):
    notebook.run(SOURCE, "cell-a")
    shown = notebook.run("%dag show")
    mermaid = shown.outputs[0]["data"]["text/vnd.mermaid"]
    assert mermaid.startswith("flowchart LR")
    assert "ordered" in mermaid
    notebook.run("%dag reset")
    assert "0 nodes" in plain(notebook.run("%dag nodes"))


def test_a_cell_that_fails_half_way_keeps_the_graph_as_it_was(notebook):
    cell = notebook.run(SOURCE, "cell-a")
    notebook.edit(cell, "%%dag\ndef raw() -> list[int]:\n    return [9]\n\n1 / 0\n")
    assert errors(cell)[0].ename == "ZeroDivisionError"
    listing = plain(notebook.run("%dag nodes"))
    assert "ordered" in listing


def test_a_cell_deleted_in_the_frontend_takes_its_nodes_along(notebook):
    notebook.run(SOURCE, "cell-a")
    notebook.run("%%dag\ndef size(ordered: list[int]) -> int:\n    return len(ordered)\n", "cell-b")
    notebook.client.extra_metadata = {"deletedCells": ["cell-a"]}  # what JupyterLab sends after a delete
    listing = plain(notebook.run("%dag nodes", "cell-c"))
    assert "size" in listing
    assert not re.search(r"^(ordered|raw)\s", listing, re.M)
    assert "external inputs: ordered" in listing
