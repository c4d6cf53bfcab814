"""The Neovim setup of docs/lsp.md (``init.lua``) in a project: the root comes from the configuration files,
so the project's graph is read, definition crosses files, a rename edits both, and one server serves both."""

from __future__ import annotations

from pathlib import Path

from nvim_session import run_neovim

A = "def raw() -> str:\n    return 'text'\n"
B = "def n_chars(raw: str) -> int:\n    return len(raw)\n"


def test_neovim_definition_and_rename_across_the_files_of_a_project(tmp_path: Path):
    project = tmp_path / "project"
    flow = project / "flow"
    flow.mkdir(parents=True)
    (project / "livedag.toml").write_text('[graphs]\nflow = ["flow/*.py"]\n')
    (flow / "a.py").write_text(A)
    (flow / "b.py").write_text(B)
    seen = run_neovim(flow / "b.py", "drive_project.lua", tmp_path)
    assert seen["attached"] is True
    assert seen["definition"] == {"uri": (flow / "a.py").as_uri(), "line": 0, "character": 4}
    assert seen["servers"] == 1
    assert seen["renamed"] is True
    assert (flow / "a.py").read_text() == A.replace("raw", "source")
    assert (flow / "b.py").read_text() == B.replace("raw", "source")
