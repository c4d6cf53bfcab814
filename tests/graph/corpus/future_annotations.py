# ruff: noqa: UP006, UP035, UP037 - the corpus writes annotations the old ways on purpose
"""Postponed evaluation and string annotations resolve like ordinary ones."""

from __future__ import annotations

from typing import Dict


def config() -> Dict[str, str]:
    return {}


def keys(config: "dict[str, str]") -> "list[str]":
    return list(config)


def size(keys: list[str]) -> int:
    return len(keys)
