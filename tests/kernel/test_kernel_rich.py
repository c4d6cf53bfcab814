"""Rich values in a real kernel: figures, ``_repr_*_`` methods and DataFrames in the table and in
``%dag show NODE``."""

from __future__ import annotations

import re

from kernel_notebook import errors, html, plain

RICH = """%%dag --run
import pandas as pd
from matplotlib.figure import Figure

class Badge:
    def _repr_html_(self):
        return "<b class='badge'>ok</b>"

class Dot:
    def _repr_svg_(self):
        return "<svg class='dot' width='10' height='10'><circle cx='5' cy='5' r='4'/></svg>"

class Bundle:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": "<i class='bundled'>from a bundle</i>", "text/plain": "Bundle"}

def figure() -> Figure:
    fig = Figure(figsize=(4, 2.5))
    fig.add_subplot().plot([1, 3, 2])
    return fig

def badge() -> Badge:
    return Badge()

def dot() -> Dot:
    return Dot()

def bundle() -> Bundle:
    return Bundle()

def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": range(10), "b": list("abcdefghij")})

def number() -> int:
    return 3
"""


def _value_cell(markup: str, node: str) -> str:
    match = re.search(rf'data-node="{node}".*?</tr>', markup, re.S)
    assert match, markup
    return match.group(0)


def test_rich_values_render_in_the_table_and_dataframes_keep_their_head(notebook):
    cell = notebook.run(RICH, "cell-a")
    assert not errors(cell), plain(cell)
    markup = html(cell)
    figure = _value_cell(markup, "figure")
    assert 'class="livedag-rich"' in figure
    assert "data:image/png;base64," in figure  # the figure itself, not '<Figure size 400x250 with 1 Axes>'
    assert "class='badge'" in _value_cell(markup, "badge")
    assert "class='dot'" in _value_cell(markup, "dot")
    assert "class='bundled'" in _value_cell(markup, "bundle")
    frame = _value_cell(markup, "frame")
    assert "DataFrame 10 x 2" in frame  # the head view, as before
    assert "livedag-rich" not in frame
    assert "livedag-rich" not in _value_cell(markup, "number")


def test_dag_show_node_displays_the_value_richly(notebook):
    notebook.run(RICH, "cell-a")
    cell = notebook.run("%dag show figure", "cell-b")
    assert any("image/png" in out.get("data", {}) for out in cell.outputs), plain(cell)
    cell = notebook.run("%dag show frame", "cell-c")
    assert any("<table" in out.get("data", {}).get("text/html", "") for out in cell.outputs)
