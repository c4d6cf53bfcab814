"""Rows -> HTML / text tables, and value previews (duck-typed DataFrame heads, no pandas)."""

from __future__ import annotations

import re

from livedag.execution.events import NodeFailed, NodeFinished, NodeSkipped, NodeStarted, RunFinished, RunStarted
from livedag.kernel.preview import short_repr, table_head
from livedag.kernel.rows import fold
from livedag.kernel.table import to_html, to_text

R = "r"


class FakeFrame:
    """Looks like a pandas DataFrame to duck typing: columns, head(), itertuples(), shape."""

    columns = ("city", "people")
    shape = (3, 2)

    def __init__(self, rows=(("Oslo", 700_000), ("Bergen", 290_000), ("Tromsø", 77_000))):
        self._rows = list(rows)

    def head(self, n):
        return FakeFrame(self._rows[:n])

    def itertuples(self, index=True):
        return iter(self._rows)


class FakePolars:
    columns = ("a",)

    def head(self, n):
        return self

    def rows(self):
        return [(1,), (2,)]


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("nope")


def test_short_repr_truncates_and_survives_broken_repr():
    assert len(short_repr("x" * 500)) <= 80
    assert short_repr(list(range(100))).endswith("...]")
    assert short_repr(BrokenRepr()) == "<unrepresentable BrokenRepr>"


def test_table_head_by_duck_typing():
    head = table_head(FakeFrame(), rows=2)
    assert head.columns == ("city", "people")
    assert head.rows == (("Oslo", "700000"), ("Bergen", "290000"))
    assert head.shape == (3, 2)
    assert table_head(FakePolars()).rows == (("1",), ("2",))
    assert table_head([1, 2]) is None
    assert table_head(FakeFrame) is None  # the class itself is not a table


def test_html_has_one_row_per_node_with_status():
    state = fold(
        [
            RunStarted(R, ("a", "b", "c"), 1.0),
            NodeFinished(R, "a", FakeFrame(), 0.5),
            NodeStarted(R, "b", 1, 1.0),
        ]
    )
    markup = to_html(state, now=3.0)
    assert dict(re.findall(r'data-node="(\w+)" data-status="(\w+)"', markup)) == {
        "a": "done",
        "b": "running",
        "c": "pending",
    }
    assert "<th" in markup
    assert "Oslo" in markup
    assert "2.0 s" in markup  # b has been running for 2 s


def test_failed_node_traceback_is_one_click_away_and_escaped():
    state = fold([RunStarted(R, ("a",), 1.0), NodeFailed(R, "a", ValueError("<bad>"), 0.1, "Traceback <here>")])
    markup = to_html(state)
    assert "<details><summary>" in markup
    assert "ValueError: &lt;bad&gt;" in markup
    assert "Traceback &lt;here&gt;" in markup


def test_text_table_for_frontends_without_html():
    state = fold(
        [
            RunStarted(R, ("a", "b"), 1.0),
            NodeFailed(R, "a", KeyError("k"), 0.1, "tb"),
            NodeSkipped(R, "b", "upstream failed", ("a",)),
            RunFinished(R, False, 0.2),
        ]
    )
    text = to_text(state)
    assert text.splitlines()[0] == "livedag run failed in 0.20 s: 1 failed, 1 skipped"
    assert re.search(r"^a\s+failed\s+0.10 s\s+KeyError: 'k'$", text, re.M)
    assert re.search(r"^b\s+skipped\s+needs a$", text, re.M)


def test_real_pandas_frame_head():
    import pandas as pd  # installed with apache-hamilton (dev extra); livedag itself never imports it

    frame = pd.DataFrame({"city": ["Oslo", "Bergen", "Tromsø"], "people": [700_000, 290_000, 77_000]})
    head = table_head(frame, rows=2)
    assert head.columns == ("city", "people")
    assert head.rows == (("Oslo", "700000"), ("Bergen", "290000"))
    assert (head.shape, head.type_name) == ((3, 2), "DataFrame")
    assert table_head(frame["city"]) is None  # a Series has no columns: its repr is the preview
