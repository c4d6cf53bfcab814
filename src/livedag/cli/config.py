"""``--config JSON|@FILE``: Hamilton's config for ``check``, ``mermaid`` and ``run`` (which ``@config.when``
variants are in the graph); without it, each family is one node listing its variants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "add_config_argument", "parse_config", "read_json_object"]


class ConfigError(ValueError):
    """A ``--config`` (or ``--inputs``) that is not a JSON object; the message says where and why."""


def add_config_argument(parser: Any) -> None:
    parser.add_argument(
        "--config",
        metavar="JSON|@FILE",
        help="Hamilton config as a JSON object, or @path to one: chooses the @config.when variants (default: "
        "none, each family of variants is one node)",
    )


def parse_config(text: str | None) -> dict[str, Any] | None:
    return None if text is None else read_json_object(text, "--config")


def read_json_object(text: str, option: str) -> dict[str, Any]:
    """``text`` as a JSON object, or ``@path`` to a file holding one."""
    source = option
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"{option} {text}: cannot read {path}: {error.strerror or error}") from error
        source = str(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: expected a JSON object of names to values, got {type(value).__name__}")
    return value
