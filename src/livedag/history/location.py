"""Where the run history lives, whether it is on, and the git commit of the project.

The store is ``.livedag/runs.db`` in the folder of the nearest ``livedag.toml`` or ``pyproject.toml`` at or
above the current directory (the current directory itself when there is none), found the same way by
everything that writes (``livedag run``, the notebook, the editor's worker) and reads it (``livedag runs``).

It is on by default. It is off when ``LIVEDAG_HISTORY`` is ``0``/``off``/``false``/``no``, or the
configuration says ``history = false`` (``[tool.livedag]`` in ``pyproject.toml``, top level in
``livedag.toml``). ``LIVEDAG_HISTORY_DB`` names another database file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

__all__ = ["CONFIG_FILES", "DB_NAME", "find_project", "git_commit", "history_enabled", "store_path"]

CONFIG_FILES = ("livedag.toml", "pyproject.toml")
DB_NAME = os.path.join(".livedag", "runs.db")
_OFF = ("0", "off", "false", "no")


def find_project(start: str | os.PathLike[str] | None = None) -> tuple[Path, Path | None]:
    """The project folder (the nearest configuration's, else ``start``) and the configuration file."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            if (folder / name).is_file():
                return folder, folder / name
    return here, None


def store_path(start: str | os.PathLike[str] | None = None) -> Path:
    """The history database for a process whose current directory is ``start`` (default: ``os.getcwd()``)."""
    override = os.environ.get("LIVEDAG_HISTORY_DB")
    if override:
        return Path(override).resolve()
    folder, _ = find_project(start)
    return folder / DB_NAME


def history_enabled(start: str | os.PathLike[str] | None = None) -> bool:
    """False when ``LIVEDAG_HISTORY`` turns it off or the project configuration says ``history = false``."""
    if os.environ.get("LIVEDAG_HISTORY", "").strip().lower() in _OFF:
        return False
    _, config = find_project(start)
    if config is None:
        return True
    try:
        document = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # the configuration's own readers report what is wrong with it
    section = document.get("tool", {}).get("livedag", {}) if config.name == "pyproject.toml" else document
    return not (isinstance(section, dict) and section.get("history") is False)


def git_commit(start: str | os.PathLike[str] | None = None) -> str | None:
    """The commit ``HEAD`` points at in the git repository around ``start``, read from the files (no ``git``)."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        dot_git = folder / ".git"
        if dot_git.exists():
            return _head_commit(dot_git)
    return None


def _head_commit(dot_git: Path) -> str | None:
    try:
        git_dir = dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8").strip()
            git_dir = (dot_git.parent / text.removeprefix("gitdir:").strip()).resolve()
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head or None
        ref = head.removeprefix("ref:").strip()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for base in (git_dir, common):
            if (base / ref).is_file():
                return (base / ref).read_text(encoding="utf-8").strip() or None
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                sha, _, name = line.partition(" ")
                if name == ref:
                    return sha
    except OSError:
        return None
    return None
