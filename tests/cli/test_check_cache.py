"""``livedag check`` reuses what an unchanged set of files gave (keyed by their content), and only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from livedag.cli.check import checked
from livedag.cli.check_cache import CheckCache, cache_key

TEXT = "import livedag\n\n\ndef raw() -> str:\n    return 'x'\n\n\ndef n(raw: int) -> int:\n    return 1\n"


def check(path: Path, cache: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "livedag"), "check", str(path), *flags],
        capture_output=True,
        text=True,
        check=False,
        env={"LIVEDAG_CACHE_DIR": str(cache), "PATH": ""},
    )


@pytest.fixture
def flow(tmp_path: Path) -> Path:
    path = tmp_path / "flow.py"
    path.write_text(TEXT)
    return path


def test_an_unchanged_file_is_answered_from_the_cache(flow: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = check(flow, cache)
    assert first.returncode == 1
    assert "type-mismatch" in first.stdout
    [entry] = list(cache.glob("*.json"))
    stored = json.loads(entry.read_text())
    stored["text"] = ["(from the cache)"]
    stored["errors"] = 0
    entry.write_text(json.dumps(stored))
    again = check(flow, cache)  # the same files: the (doctored) entry is what is printed
    assert again.stdout.strip() == "(from the cache)"
    assert again.returncode == 0
    fresh = check(flow, cache, "--no-cache")
    assert "type-mismatch" in fresh.stdout


def test_any_change_of_content_or_path_is_checked_again(flow: Path, tmp_path: Path):
    cache = CheckCache(tmp_path / "cache")
    before = checked({str(flow): TEXT}, cache)
    fixed = TEXT.replace("raw: int", "raw: str")
    assert cache_key({str(flow): fixed}) != cache_key({str(flow): TEXT})
    assert cache_key({str(tmp_path / "other.py"): TEXT}) != cache_key({str(flow): TEXT})
    after = checked({str(flow): fixed}, cache)
    assert before["errors"] == 1
    assert after["errors"] == 0
    assert checked({str(flow): TEXT}, cache) == before


def test_a_cache_that_cannot_be_written_is_ignored(flow: Path, tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    result = checked({str(flow): TEXT}, CheckCache(blocked / "cache"))
    assert result["errors"] == 1
