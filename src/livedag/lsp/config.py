"""Reading ``[tool.livedag]`` (``pyproject.toml``) or ``livedag.toml``: which graphs a project declares.

Format (both files; in ``livedag.toml`` drop the ``tool.livedag.`` prefix)::

    [tool.livedag]
    config = {region = "us"}                              # Hamilton's config for every graph (optional)

    [tool.livedag.graphs]
    pipeline = ["pipeline/*.py", "shared/features.py"]   # paths or globs, relative to the file
    reports = "reports/"                                  # one string is a list of one; a directory means its .py files
    eu = {paths = ["pipeline/*.py"], config = {region = "eu"}}   # a graph with its own config

Without any ``config`` each ``@config.when`` family is one node listing its variants (all checked).

Pure functions over text; the server reads the files and shows :class:`ConfigError` as a diagnostic
on the configuration file and one window message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CONFIG_FILES", "ConfigError", "ProjectConfig", "parse_config"]

CONFIG_FILES = ("livedag.toml", "pyproject.toml")
"""Looked for in this order in each workspace root; the first one with livedag settings wins."""


@dataclass(frozen=True, slots=True)
class ConfigError:
    """What is wrong with a configuration file, where (1-based line, 0 when unknown), how to fix it."""

    path: str
    message: str
    line: int = 0
    fatal: bool = True
    """Whether the file's graphs are unusable (else only the part the message names is left out)."""


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    path: str
    graphs: dict[str, tuple[str, ...]]
    """Graph name -> patterns (paths or globs relative to the configuration file's directory)."""
    config: dict[str, Any] | None = None
    """Hamilton's config for every graph of the project (``[tool.livedag] config``)."""
    graph_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Graph name -> its own Hamilton config (replacing the project's)."""
    outside: bool = False
    """``allow-outside-project = true``: patterns may name files outside the configuration's folder."""

    def config_of(self, graph: str | None) -> dict[str, Any] | None:
        return self.graph_configs.get(graph, self.config) if graph is not None else self.config


_TOML_LINE = re.compile(r"at line (\d+)")


def parse_config(path: str, text: str) -> ProjectConfig | ConfigError | None:
    """The livedag settings of one file; ``None`` when it has none (a pyproject without ``[tool.livedag]``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) if match else len(text.splitlines()) + 1  # "at end of document"
        return ConfigError(path, f"{path} is not valid TOML: {error}", line)
    except RecursionError:
        return ConfigError(path, f"{path} is nested too deeply to be read: flatten its tables and arrays", 1)
    section: Any = data.get("tool", {}).get("livedag") if path.endswith("pyproject.toml") else data
    if section is None:
        return None
    where = "[tool.livedag]" if path.endswith("pyproject.toml") else "livedag.toml"
    if not isinstance(section, dict):
        return ConfigError(path, f"{where} must be a table", _line_of(text, "livedag"))
    graphs = section.get("graphs", {})
    if not isinstance(graphs, dict):
        return ConfigError(
            path, f"{where} `graphs` must be a table of name = [paths or globs]", _line_of(text, "graphs")
        )
    config = section.get("config")
    if config is not None and not isinstance(config, dict):
        return ConfigError(
            path, f'{where} `config` must be a table, e.g. config = {{region = "us"}}', _line_of(text, "config")
        )
    parsed: dict[str, tuple[str, ...]] = {}
    graph_configs: dict[str, dict[str, Any]] = {}
    for name, patterns in graphs.items():
        if isinstance(patterns, dict):
            own = patterns.get("config", {})
            if not isinstance(own, dict):
                return ConfigError(path, f"{where} graph `{name}`: `config` must be a table", _line_of(text, name))
            graph_configs[name] = own
            patterns = patterns.get("paths")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
            return ConfigError(
                path,
                f'{where} graph `{name}` must be a non-empty list of paths or globs, e.g. {name} = ["pipeline/*.py"]',
                _line_of(text, name),
            )
        parsed[name] = tuple(patterns)
    outside = section.get("allow-outside-project", False)
    if not isinstance(outside, bool):
        return ConfigError(
            path, f"{where} `allow-outside-project` must be true or false", _line_of(text, "allow-outside-project")
        )
    return ProjectConfig(path, parsed, config, graph_configs, outside)


def _line_of(text: str, word: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if word in line:
            return number
    return 0
