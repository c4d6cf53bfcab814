"""A real third-party client: headless Neovim (Debian's 0.7.2) starts `livedag lsp` from a small Lua
configuration, opens a dataflow file with known problems, and writes the diagnostics and a hover it
received to a JSON file, which this test checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
PIPELINE = HERE.parents[1] / "lsp" / "fixtures" / "pipeline.py"


def test_neovim_shows_livedag_diagnostics_and_hover(tmp_path: Path):
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is a system dependency of the tests (make system-deps)"
    source = tmp_path / "pipeline.py"
    shutil.copy(PIPELINE, source)
    out = tmp_path / "seen.json"
    env = {
        **os.environ,
        "LIVEDAG_LSP": str(Path(sys.executable).parent / "livedag"),
        "LIVEDAG_NVIM_OUT": str(out),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    subprocess.run(
        [nvim, "--headless", "-n", "-u", str(HERE / "init.lua"), str(source), "-c", f"luafile {HERE / 'drive.lua'}"],
        env=env, cwd=tmp_path, timeout=120, check=True, capture_output=True,
    )
    seen = json.loads(out.read_text())
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
