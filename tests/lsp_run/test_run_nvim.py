"""Any client with code lens and executeCommand can run nodes: headless Neovim (Debian's 0.7.2, which
knows nothing of inlay hints) takes the `▶ Run` lens, executes its command, and asks for the inlay hints
and the hover by name; what it saw is checked here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent / "nvim"
SOURCE = """\
def a(x: int) -> int:
    return x + 40


def b(a: int) -> int:
    return a * 2
"""


def test_neovim_runs_a_node_from_its_code_lens(tmp_path: Path):
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is a system dependency of the tests (make system-deps)"
    (tmp_path / "pyproject.toml").write_text("[tool.livedag.inputs]\nx = 2\n")
    source = tmp_path / "pipe.py"
    source.write_text(SOURCE)
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
        env=env, cwd=tmp_path, timeout=180, check=True, capture_output=True,
    )
    seen = json.loads(out.read_text())
    assert seen["attached"] is True
    assert seen["found_lens"] is True
    assert (seen["outcome"]["status"], seen["outcome"]["ok"]) == ("finished", True)
    assert seen["hints"]["0"].startswith("= 42 · ")
    assert seen["hints"]["4"].startswith("= 84 · ")
    assert "84" in seen["hover"]
    assert "Last run" in seen["hover"]
