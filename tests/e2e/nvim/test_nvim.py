"""A real third-party client: headless Neovim (Debian's 0.7.2) starts `livedag lsp` from a small Lua
configuration, opens a dataflow file with known problems, and writes the diagnostics and a hover it
received to a JSON file, which this test checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from nvim_session import run_neovim

HERE = Path(__file__).parent
PIPELINE = HERE.parents[1] / "lsp" / "fixtures" / "pipeline.py"


def test_neovim_shows_livedag_diagnostics_and_hover(tmp_path: Path):
    source = tmp_path / "pipeline.py"
    shutil.copy(PIPELINE, source)
    seen = run_neovim(source, "drive.lua", tmp_path)
    assert seen["got_diagnostics"] is True
    codes = sorted(d["code"] for d in seen["diagnostics"])
    assert codes == ["missing-annotation", "possible-typo", "type-mismatch"]
    assert {d["source"] for d in seen["diagnostics"]} == {"livedag"}
    mismatch = next(d for d in seen["diagnostics"] if d["code"] == "type-mismatch")
    assert (mismatch["line"], mismatch["col"]) == (19, 23)
    assert "`words`" in seen["hover"]
    assert "list[str]" in seen["hover"]
    assert "Lower-cased words." in seen["hover"]
    assert seen["followed_edit"] is True
    assert sorted(d["code"] for d in seen["after_edit"]) == ["missing-annotation", "possible-typo"]
