"""Every ``python`` block of docs/distributed.md runs as written, in a fresh interpreter."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "distributed.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def _marks(block: str) -> list[pytest.MarkDecorator]:
    if "import ray" in block:
        return [pytest.mark.ray]
    if "import distributed" in block:
        return [pytest.mark.dask]
    return []


@pytest.mark.parametrize(
    "block", [pytest.param(block, marks=_marks(block), id=f"block{index}") for index, block in enumerate(BLOCKS)]
)
def test_example_runs(block: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(block, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=240, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    expected = re.findall(r"print\(.*\)\s+# (.*)", block)
    assert [line for line in result.stdout.splitlines() if line.strip()][-len(expected) :] == expected
