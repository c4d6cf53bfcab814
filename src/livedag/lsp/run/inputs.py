"""Values for a graph's external inputs, from the project's livedag configuration; and the one message
that lists every input a run still lacks.

```toml
[tool.livedag.inputs]                  # values for every graph of the project
raw_text = "hello"
inputs-file = "inputs.json"            # not an identifier, so never an input: a JSON object {name: value}

[tool.livedag.graph-inputs.pipeline]   # one graph: its name in [tool.livedag.graphs], or a file or
raw_text = "other"                     # folder path relative to the configuration file
inputs-file = "pipeline-inputs.json"
```

In ``livedag.toml`` drop the ``tool.livedag.`` prefix. Later sources win: the shared JSON file, the
shared table, then each matching graph entry (a folder before a file inside it), its file then its table.
Values are JSON values (TOML values are).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["InputsConfig", "InputsError", "find_config", "load_inputs", "missing_message"]

FILE_KEY = "inputs-file"
CONFIG_FILES = ("livedag.toml", "pyproject.toml")


class InputsError(ValueError):
    """The inputs configuration cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class InputsConfig:
    values: Mapping[str, Any] = field(default_factory=dict)
    config: Path | None = None
    """Where the values came from (``None``: no configuration file found)."""


def find_config(start: str | os.PathLike[str], stop: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``livedag.toml`` or ``pyproject.toml`` at or above ``start``, not above ``stop``."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    limit = Path(stop).resolve() if stop is not None else None
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            if (folder / name).is_file():
                return folder / name
        if limit is not None and folder == limit:
            break
    return None


def load_inputs(graph_id: str, graph_files: Sequence[str], root: str | None = None) -> InputsConfig:
    """Input values for one graph. ``graph_id`` is ``<config path>#<name>`` for a configured graph (as the
    server's ``Membership`` names them), else the path of the graph's one file."""
    config_path, _, name = graph_id.partition("#")
    config = Path(config_path) if name else (find_config(graph_files[0], root) if graph_files else None)
    if config is None:
        return InputsConfig()
    section = _section(config)
    values: dict[str, Any] = {}
    _merge(values, section.get("inputs", {}), config, _where(config, "inputs"))
    entries = section.get("graph-inputs", {})
    if not isinstance(entries, dict):
        raise InputsError(f"{config}: {_where(config, 'graph-inputs')} must be a table of graph name -> inputs")
    for key in _matching(entries, name, graph_files, config.parent):
        _merge(values, entries[key], config, _where(config, f"graph-inputs.{key}"))
    return InputsConfig(values, config)


def _section(config: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputsError(f"{config}: cannot read the livedag settings: {error}") from error
    section = document.get("tool", {}).get("livedag", {}) if config.name == "pyproject.toml" else document
    if not isinstance(section, dict):
        raise InputsError(f"{config}: [tool.livedag] must be a table")
    return section


def _where(config: Path, key: str) -> str:
    return f"[tool.livedag.{key}]" if config.name == "pyproject.toml" else f"[{key}]"


def _merge(values: dict[str, Any], table: Any, config: Path, where: str) -> None:
    if not isinstance(table, dict):
        raise InputsError(f"{config}: {where} must be a table of input name = value")
    file_name = table.get(FILE_KEY)
    if file_name is not None:
        values.update(_read_json(config.parent / str(file_name), f"{config}: {where} {FILE_KEY}"))
    values.update({key: value for key, value in table.items() if key != FILE_KEY})


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputsError(f"{what} {str(path)!r} cannot be read: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise InputsError(f"{what} {str(path)!r} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise InputsError(f"{what} {str(path)!r} must hold a JSON object of input name -> value")
    return value


def _matching(entries: Mapping[str, Any], name: str, files: Sequence[str], base: Path) -> list[str]:
    """Entry keys that name this graph: its configured name, or a path holding one of its files."""
    resolved = [Path(path).resolve() for path in files]
    found = []
    for key in entries:
        if name and key == name:
            found.append(key)
            continue
        target = (base / key).resolve()
        if any(path == target or target in path.parents for path in resolved):
            found.append(key)
    return sorted(found, key=lambda key: (key == name, len(str((base / key).resolve()))))


def missing_message(missing: Mapping[str, Sequence[str]], config: InputsConfig) -> str:
    """One message listing every missing input (``Graph.missing_inputs``), who needs it, and where to set it."""
    listed = "; ".join(
        f"`{name}` (needed by {', '.join(f'`{user}`' for user in users)})" for name, users in sorted(missing.items())
    )
    where = str(config.config) if config.config else "pyproject.toml at the workspace root"
    plural = "s" if len(missing) > 1 else ""
    return (
        f"missing input{plural}: {listed}. Give {'them' if plural else 'it'} a value in [tool.livedag.inputs] "
        f"of {where} (or in a JSON file named by inputs-file there)."
    )
