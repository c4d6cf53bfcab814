"""Which files form which graph.

A file named by a configured graph (see ``config``) belongs to that graph, and the graph's files are
resolved together, open or not: files that are not open are read from disk and re-read when the
client reports them changed (didChangeWatchedFiles, didSave). Any other Python document is a
graph of its own, with the id of its path. Pure except for :meth:`Membership.load`, which reads the
configuration files and lists the globs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livedag.lsp.config import CONFIG_FILES, ConfigError, ProjectConfig, parse_config

__all__ = ["GraphKey", "Membership", "expand_patterns", "read_text"]

_SKIPPED = frozenset({"__pycache__", "node_modules", "site-packages", ".venv", "venv", ".git"})


@dataclass(frozen=True, slots=True)
class GraphKey:
    """A graph's identity: ``configured`` graphs come from a config file, others are one document."""

    id: str
    configured: bool


def expand_patterns(base: str, patterns: tuple[str, ...], *, outside: bool = False) -> list[str]:
    """Absolute ``.py`` paths the patterns name, in pattern order then sorted, without duplicates."""
    return expand_checked(base, patterns, outside=outside)[0]


def expand_checked(base: str, patterns: tuple[str, ...], *, outside: bool = False) -> tuple[list[str], list[str]]:
    """The paths the patterns name and, for each pattern left out, why (how to fix it).

    Nothing outside ``base`` (the configuration file's folder) unless ``outside`` (the documented
    ``allow-outside-project = true``); never a file of a virtual environment, ``site-packages``, a
    hidden folder or ``__pycache__``, whatever the glob (``**/*.py`` would take in ``.venv/``)."""
    found: dict[str, None] = {}
    problems: list[str] = []
    root = Path(base)
    real_root = os.path.realpath(base)
    for pattern in patterns:
        if os.path.isabs(pattern) and not outside:
            problems.append(
                f"`{pattern}` is an absolute path: give paths relative to {base}, or set allow-outside-project = true"
            )
            continue
        try:
            matches = sorted(root.glob(pattern)) if any(c in pattern for c in "*?[") else [root / pattern]
        except (NotImplementedError, ValueError) as error:
            problems.append(f"`{pattern}` cannot be read as a glob ({error}): use a pattern relative to {base}")
            continue
        kept = 0
        for match in matches:
            if not outside and not _inside(os.path.realpath(match), real_root):
                problems.append(
                    f"`{pattern}` names {match}, outside the project ({base}): set "
                    "allow-outside-project = true to use files outside it"
                )
                break
            if _skipped(match, root):
                continue
            kept += 1
            if match.is_dir():
                for directory, subdirectories, files in os.walk(match):
                    subdirectories[:] = sorted(d for d in subdirectories if not _skipped_folder(directory, d))
                    for name in sorted(files):
                        if name.endswith(".py"):
                            found.setdefault(os.path.normpath(os.path.join(directory, name)))
            elif match.suffix == ".py" and match.is_file():
                found.setdefault(os.path.normpath(str(match.absolute())))
    return list(found), problems


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _skipped_folder(parent: str, name: str) -> bool:
    return name in _SKIPPED or name[0] == "." or os.path.isfile(os.path.join(parent, name, "pyvenv.cfg"))


def _skipped(match: Path, root: Path) -> bool:
    """A glob's match inside a folder that is never part of a graph (a virtual environment, ...)."""
    try:
        parts = match.relative_to(root).parts
    except ValueError:
        parts = match.parts
    folder = root
    for part in parts[:-1] if not match.is_dir() else parts:
        if part == os.pardir:
            folder = folder / part
            continue
        if _skipped_folder(str(folder), part):
            return True
        folder = folder / part
    return False


def read_text(path: str) -> str | None:
    """A file's text, or ``None`` when it is gone or unreadable (a graph then just lacks it)."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


@dataclass
class Membership:
    """Configured graphs of the workspace roots and the files each one holds."""

    roots: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    """Graph id -> its files (absolute paths)."""
    errors: list[ConfigError] = field(default_factory=list)
    config_paths: list[str] = field(default_factory=list)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Graph id -> Hamilton's config for it; graphs not listed have none."""
    project_config: dict[str, Any] | None = None
    """Hamilton's config of the (first) project: also for files in no configured graph."""
    _graph_of: dict[str, str] = field(default_factory=dict)
    _searched: set[str] = field(default_factory=set)

    def load(self) -> None:
        """(Re-)read every root's configuration, and every one found above an open document, and expand
        their globs."""
        found = [path for path in self.config_paths if not any(os.path.dirname(path) == r for r in self.roots)]
        self.files, self.errors, self.config_paths, self._graph_of = {}, [], [], {}
        self.configs, self.project_config = {}, None
        self._searched = set()
        for folder in [*self.roots, *(os.path.dirname(path) for path in found)]:
            self._load_folder(folder)

    def discover(self, path: str) -> bool:
        """Read the nearest configuration with livedag settings in the folders above ``path`` (the way
        ruff, mypy and pytest find theirs: a ``pkg/pyproject.toml`` in a monorepo); ``True`` if it was
        new. Each folder is looked at once until the next :meth:`load`."""
        if not os.path.isabs(path):
            return False
        folder = os.path.dirname(os.path.normpath(path))
        while folder not in self._searched:
            self._searched.add(folder)
            if any(os.path.dirname(known) == folder for known in self.config_paths):
                return False
            if self._load_folder(folder):
                return True
            parent = os.path.dirname(folder)
            if parent == folder:
                return False
            folder = parent
        return False

    def _load_folder(self, folder: str) -> bool:
        """Read the first configuration file of ``folder`` that has livedag settings."""
        for name in CONFIG_FILES:
            path = os.path.join(folder, name)
            if path in self.config_paths:
                return True
            text = read_text(path)
            if text is None:
                continue
            try:
                parsed = parse_config(path, text)
            except Exception as error:  # noqa: BLE001 - a config that crashes the reader is a diagnostic
                parsed = ConfigError(path, f"{path} could not be read: {type(error).__name__}: {error}", 1)
            if parsed is None:
                continue
            self.config_paths.append(path)
            if isinstance(parsed, ConfigError):
                self.errors.append(parsed)
            else:
                self._add(parsed, text)
            return True
        return False

    def _add(self, config: ProjectConfig, text: str) -> None:
        base = os.path.dirname(config.path)
        if self.project_config is None:
            self.project_config = config.config
        for name, patterns in config.graphs.items():
            graph_id = f"{config.path}#{name}"
            own = config.config_of(name)
            if own is not None:
                self.configs[graph_id] = own
            self.files[graph_id], problems = expand_checked(base, patterns, outside=config.outside)
            line = next((n for n, row in enumerate(text.splitlines(), start=1) if row.strip().startswith(name)), 0)
            self.errors.extend(
                ConfigError(config.path, f"graph `{name}`: {problem}", line, fatal=False) for problem in problems
            )
            for path in self.files[graph_id]:
                self._graph_of.setdefault(path, graph_id)  # a file in two graphs belongs to the first

    def key_for(self, path: str) -> GraphKey:
        graph_id = self._graph_of.get(os.path.normpath(path)) if os.path.isabs(path) else None
        if graph_id is None and self.discover(path):
            graph_id = self._graph_of.get(os.path.normpath(path))
        if graph_id is not None:
            return GraphKey(graph_id, True)
        return GraphKey(path, False)

    def config_for(self, key: GraphKey) -> dict[str, Any] | None:
        """Hamilton's config of the graph (``None``: none configured, families stay one node each)."""
        return self.configs.get(key.id) if key.configured else self.project_config

    def files_of(self, key: GraphKey) -> list[str]:
        return list(self.files.get(key.id, [])) if key.configured else [key.id]

    def is_config_file(self, path: str) -> bool:
        return os.path.basename(path) in CONFIG_FILES
