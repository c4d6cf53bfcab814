"""The table's layout is the same live and done (pure: rows -> HTML)."""

from __future__ import annotations

import re

from livedag.kernel.rows import ResultsTable, Row
from livedag.kernel.table import to_html


def _cells(markup: str) -> list[str]:
    return re.findall(r'<td style="([^"]*)"', markup)


def test_name_status_and_elapsed_cells_have_the_same_style_live_and_done():
    live = to_html(ResultsTable(rows=(Row("a", status="running", started=10.0),), started=10.0), now=11.5)
    done = to_html(ResultsTable(rows=(Row("a", status="done", duration=1.5, preview="3"),), finished=True, ok=True))
    assert _cells(live) == _cells(done)
    assert all("white-space:nowrap" in style for style in _cells(live)[:3])
    assert "1.5 s…" in live
