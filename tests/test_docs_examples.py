"""Every ``python`` block of the documentation pages below runs as written, each as a script of its own in a
fresh interpreter and an empty folder (so a page cannot lean on another page's example, or on the checkout)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = {"execution.md": 6, "hamilton.md": 7, "observability.md": 2}
"""Each page and the least number of examples it has (a page that lost its examples fails)."""


def blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), flags=re.DOTALL)


EXAMPLES = [(page, index) for page in PAGES for index in range(len(blocks(page)))]


@pytest.mark.parametrize(("page", "least"), PAGES.items())
def test_the_page_has_examples(page: str, least: int) -> None:
    assert len(blocks(page)) >= least


@pytest.mark.parametrize(("page", "index"), EXAMPLES, ids=[f"{page}-{index}" for page, index in EXAMPLES])
def test_example_runs(page: str, index: int, tmp_path: Path) -> None:
    script = tmp_path / f"example_{index}.py"
    script.write_text(blocks(page)[index], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, f"docs/{page}, example {index + 1}:\n{result.stderr}"
