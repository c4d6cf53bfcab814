"""Any client with code lens and executeCommand can run nodes: headless Neovim (Debian's 0.7.2, which
knows nothing of inlay hints) takes the `▶ Run` lens, executes its command, and asks for the inlay hints
and the hover by name; what it saw is checked here."""

from __future__ import annotations

from pathlib import Path

from nvim_session import run_neovim

SOURCE = """\
def a(x: int) -> int:
    return x + 40


def b(a: int) -> int:
    return a * 2
"""


def test_neovim_runs_a_node_from_its_code_lens(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.livedag.inputs]\nx = 2\n")
    source = tmp_path / "pipe.py"
    source.write_text(SOURCE)
    seen = run_neovim(source, "drive_run.lua", tmp_path, timeout=180)
    assert seen["attached"] is True
    assert seen["found_lens"] is True
    assert (seen["outcome"]["status"], seen["outcome"]["ok"]) == ("finished", True)
    assert seen["hints"]["0"].endswith(" = 42")
    assert seen["hints"]["4"].endswith(" = 84")
    assert "84" in seen["hover"]
    assert "Last run" in seen["hover"]
