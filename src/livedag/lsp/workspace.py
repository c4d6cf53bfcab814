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


def expand_patterns(base: str, patterns: tuple[str, ...]) -> list[str]:
    """Absolute ``.py`` paths the patterns name, in pattern order then sorted, without duplicates."""
    found: dict[str, None] = {}
    root = Path(base)
    for pattern in patterns:
        matches = sorted(root.glob(pattern)) if any(c in pattern for c in "*?[") else [root / pattern]
        for match in matches:
            if match.is_dir():
                for directory, subdirectories, files in os.walk(match):
                    subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED and d[0] != ".")
                    for name in sorted(files):
                        if name.endswith(".py"):
                            found.setdefault(os.path.normpath(os.path.join(directory, name)))
            elif match.suffix == ".py" and match.is_file():
                found.setdefault(os.path.normpath(str(match.absolute())))
    return list(found)


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

    def load(self) -> None:
        """(Re-)read every root's configuration and expand its globs."""
        self.files, self.errors, self.config_paths, self._graph_of = {}, [], [], {}
        self.configs, self.project_config = {}, None
        for root in self.roots:
            for name in CONFIG_FILES:
                path = os.path.join(root, name)
                text = read_text(path)
                if text is None:
                    continue
                parsed = parse_config(path, text)
                if parsed is None:
                    continue
                self.config_paths.append(path)
                if isinstance(parsed, ConfigError):
                    self.errors.append(parsed)
                else:
                    self._add(parsed)
                break

    def _add(self, config: ProjectConfig) -> None:
        base = os.path.dirname(config.path)
        if self.project_config is None:
            self.project_config = config.config
        for name, patterns in config.graphs.items():
            graph_id = f"{config.path}#{name}"
            own = config.config_of(name)
            if own is not None:
                self.configs[graph_id] = own
            self.files[graph_id] = expand_patterns(base, patterns)
            for path in self.files[graph_id]:
                self._graph_of.setdefault(path, graph_id)  # a file in two graphs belongs to the first

    def key_for(self, path: str) -> GraphKey:
        graph_id = self._graph_of.get(os.path.normpath(path)) if os.path.isabs(path) else None
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
