"""``livedag mermaid`` as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from livedag import Graph, to_mermaid

ROOT = Path(__file__).resolve().parents[2]


def livedag(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "livedag", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_prints_the_graph_of_a_directory() -> None:
    result = livedag("mermaid", "examples/text_pipeline")
    assert result.returncode == 0
    paths = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples/text_pipeline").glob("*.py"))
    assert result.stdout == to_mermaid(Graph.from_sources({p: (ROOT / p).read_text() for p in paths}))
    assert result.stdout.startswith("flowchart LR\n")


def test_focus_depth_and_direction() -> None:
    result = livedag("mermaid", "examples/text_pipeline", "--focus", "summaries", "--depth", "1", "--direction", "TB")
    assert result.returncode == 0
    assert result.stdout.startswith("flowchart TB\n")
    labels = [line for line in result.stdout.splitlines() if line.startswith("  n")]
    drawn = {line.split('"')[1].split("<br/>")[0].split("</i> ")[-1] for line in labels if '"' in line}
    assert drawn == {"summaries", "clean_documents", "llm_client", "report", "headline_tokens"}


def test_an_unknown_focus_is_a_usage_error() -> None:
    result = livedag("mermaid", "examples/text_pipeline", "--focus", "sumaries")
    assert result.returncode == 2
    assert result.stderr == "livedag mermaid: --focus: not in the graph: `sumaries` (did you mean `summaries`?)\n"


def test_a_missing_path_is_an_io_error(tmp_path: Path) -> None:
    result = livedag("mermaid", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "livedag mermaid: nowhere: no such file or directory\n"


def test_a_file_with_a_syntax_error_draws_the_rest(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def broken(:\n")
    (tmp_path / "good.py").write_text("def fine(x: int) -> int: ...\n")
    result = livedag("mermaid", "bad.py", "good.py", cwd=tmp_path)
    assert result.returncode == 0
    assert '  n0["fine<br/><small>int</small>"]' in result.stdout
