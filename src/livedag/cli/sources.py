"""Reading the files a command names: directories walked for ``.py`` files, errors as messages."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SourceReadError", "collect_python_files", "read_sources"]

_SKIPPED_DIRECTORIES = frozenset({"__pycache__", "node_modules", "site-packages", "build", "dist"})


class SourceReadError(OSError):
    """A path that cannot be read as Python source; the message says which and why."""


def collect_python_files(paths: Iterable[str]) -> list[Path]:
    """Files as given, directories walked (hidden and virtual-environment folders skipped), sorted; a file
    reached twice (``pkg`` and ``pkg/a.py``, or a relative and an absolute path) is read once."""
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(_walk(path))
        elif path.is_file():
            candidates = [path]
        else:
            raise SourceReadError(f"{raw}: no such file or directory")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _walk(root: Path) -> Iterable[Path]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in _SKIPPED_DIRECTORIES
            and not (Path(directory) / name / "pyvenv.cfg").exists()
        ]
        yield from (Path(directory) / name for name in files if name.endswith(".py"))


def read_sources(paths: Iterable[str]) -> dict[str, str]:
    sources: dict[str, str] = {}
    for path in collect_python_files(paths):
        try:
            sources[str(path)] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise SourceReadError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
        except OSError as error:
            raise SourceReadError(f"{path}: {error.strerror or error}") from error
    return sources
