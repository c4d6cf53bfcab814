"""Inlay hints of run results are computed for the lines the editor shows, not for every node of the file (a
5,000-node file after a whole-graph run took 13 s per request: every node's signature looked for in a fresh
split of the whole text)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

import livedag.lsp.run.shown as shown
from livedag.lsp.state import GraphState


class EveryNodeHasAResult:
    def result(self, name: str, current: Any) -> tuple[object, bool]:
        return object(), False


def test_result_hints_read_only_the_nodes_near_the_lines_shown(monkeypatch):
    text = "\n".join(f"def n{i}(x: int) -> int:\n    return x\n" for i in range(300))
    view = GraphState("/w/f.py", False).update({"/w/f.py": text})
    looked: list[int] = []
    original = shown.signature_end_in
    monkeypatch.setattr(shown, "signature_end_in", lambda lines, line: looked.append(line) or original(lines, line))
    monkeypatch.setattr(shown, "inlay_text", lambda result, stale: "= 1")
    visible = types.Range(types.Position(300, 0), types.Position(320, 0))  # 0-based lines 300-320
    hints = shown.result_hints("/w/f.py", view, EveryNodeHasAResult(), {}, visible)  # type: ignore[arg-type]
    assert [hint.position.line for hint in hints] == list(range(300, 321, 3))  # each `def` line shown
    assert all(300 - shown._SIGNATURE_LINES < line <= 321 for line in looked)
    assert len(looked) < 20
