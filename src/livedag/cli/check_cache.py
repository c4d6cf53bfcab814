"""The cache of ``livedag check``: what a set of files gave, keyed by their content (as ruff keeps its own).

A check is a pure function of the files' paths and texts and of livedag's version, so its result is
stored under a digest of those and reused while none of them changed: an unchanged 1,000-node file is
re-checked without parsing it. Entries live in ``$LIVEDAG_CACHE_DIR``, else
``$XDG_CACHE_HOME/livedag/check``, else ``~/.cache/livedag/check``; ``--no-cache`` skips the cache. A
cache that cannot be read or written is ignored (the check runs as if there were none).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["CheckCache", "cache_key", "default_folder"]

_KEEP = 256
"""Entries kept; older ones are removed when a new one is written."""


def default_folder() -> Path:
    explicit = os.environ.get("LIVEDAG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "livedag" / "check"


def cache_key(sources: Mapping[str, str], config: Mapping[str, Any] | None = None) -> str:
    """Digest of livedag's version and analysis files, the Hamilton config, and every (absolute path, text
    digest), in path order."""
    from livedag import __version__

    digest = hashlib.sha256(f"livedag {__version__}\0".encode())
    digest.update(_analysis_stamp())
    digest.update(json.dumps(config, sort_keys=True, default=repr).encode() + b"\0")
    for path in sorted(sources):
        digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(sources[path].encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def _analysis_stamp() -> bytes:
    """Where the analysis itself comes from, file by file (path, size, mtime): a livedag being developed
    changes its checks without changing its version, and must not be answered from an older one."""
    import livedag.graph

    folder = os.path.dirname(livedag.graph.__file__)
    stamp = []
    for directory, subfolders, names in os.walk(folder):  # graph/ and its subpackages (modifiers/)
        subfolders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                file = os.path.join(directory, name)
                info = os.stat(file)
                stamp.append(f"{os.path.relpath(file, folder)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(stamp).encode()


class CheckCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_folder()

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            found = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def put(self, key: str, result: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(result, out)
            os.replace(temporary, self.folder / f"{key}.json")  # atomic: a concurrent check reads all or nothing
            self._trim()

    def _trim(self) -> None:
        entries = sorted(self.folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
        for old in entries[:-_KEEP]:
            with contextlib.suppress(OSError):
                old.unlink()
