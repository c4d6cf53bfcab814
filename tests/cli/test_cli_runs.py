"""``livedag runs``: the history written by ``livedag run``, read from the current folder up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LIVEDAG = str(Path(sys.executable).with_name("livedag"))


def _livedag(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LIVEDAG_HISTORY")}
    return subprocess.run([LIVEDAG, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60, check=check)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[tool.livedag]\n")
    (root / "graph.py").write_text(
        textwrap.dedent("""
        def base(x: int) -> int:
            return x + 1

        def doubled(base: int) -> int:
            if base > 5:
                raise ValueError(f"too big: {base}")
            return base * 2

        def items(base: int):
            for i in range(base):
                yield i
    """)
    )
    for x in (1, 2, 9):
        _livedag(root, "run", "graph.py", "--inputs", json.dumps({"x": x}), "--graceful", check=x != 9)
    _livedag(root, "run", "graph.py", "--inputs", '{"x": 3}', "--no-history")
    return root


def test_list_is_a_json_list_newest_first(project: Path) -> None:
    below = project / "src" / "deeper"  # found from the current folder up, as `run` wrote it
    below.mkdir(parents=True, exist_ok=True)
    runs = json.loads(_livedag(below, "runs", "list", "--format", "json").stdout)
    assert [run["id"] for run in runs] == [3, 2, 1]
    assert [run["ok"] for run in runs] == [False, True, True]
    assert runs[0]["counts"] == {"done": 2, "failed": 1}
    assert runs[0]["source"] == "cli"
    assert runs[0]["label"] == "graph.py"
    text = _livedag(project, "runs", "list").stdout
    assert re.search(r"^\s+3\s.*failed", text, re.MULTILINE)


def test_show_has_every_node_with_its_error(project: Path) -> None:
    shown = json.loads(_livedag(project, "runs", "show", "3", "--format", "json").stdout)
    nodes = {node["name"]: node for node in shown["nodes"]}
    assert nodes["doubled"]["status"] == "failed"
    assert nodes["doubled"]["error"] == "ValueError: too big: 10"
    assert "too big" in nodes["doubled"]["traceback"]
    assert nodes["items"]["items"] == 10
    assert len(nodes["items"]["item_times"]) == 10
    assert nodes["doubled"]["upstream"] == ["base"]
    text = _livedag(project, "runs", "show", "latest").stdout
    assert "ValueError: too big: 10" in text


def test_compare_two_runs(project: Path) -> None:
    result = json.loads(_livedag(project, "runs", "compare", "1", "2", "--format", "json").stdout)
    assert result["same_graph"] is True
    assert result["same_inputs"] is False
    changes = {node["name"]: node for node in result["nodes"]}
    assert changes["base"]["value_changed"] is True
    assert "base: done" in _livedag(project, "runs", "compare", "1", "3").stdout


def test_show_html_is_one_file_that_loads_nothing(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "run.html"
    _livedag(project, "runs", "show", "3", "--html", "-o", str(target))
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert 'data-timeline-node="doubled" data-timeline-status="failed"' in page
    assert not re.search(r"(src|href)\s*=|@import|url\(|<script", page)


def test_errors_say_what_to_do(project: Path, tmp_path: Path) -> None:
    missing = _livedag(project, "runs", "show", "99", check=False)
    assert missing.returncode == 1
    assert "livedag runs list" in missing.stderr
    empty = _livedag(tmp_path, "runs", "list", check=False)
    assert empty.returncode == 2
    assert "livedag run" in empty.stderr
    (tmp_path / "junk.db").write_text("not a database " * 100)
    junk = _livedag(tmp_path, "runs", "--db", str(tmp_path / "junk.db"), "list", check=False)
    assert junk.returncode == 2
    assert "move it away" in junk.stderr


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    (tmp_path / "livedag.toml").write_text("")
    (tmp_path / "g.py").write_text("def a(x: int) -> int:\n    return x\n")
    for x in range(4):
        _livedag(tmp_path, "run", "g.py", "--inputs", json.dumps({"x": x}))
    assert json.loads(_livedag(tmp_path, "runs", "prune", "--keep", "1", "--format", "json").stdout) == {
        "deleted": 3,
        "kept": 1,
    }
    assert [run["id"] for run in json.loads(_livedag(tmp_path, "runs", "list", "--format", "json").stdout)] == [4]
