# ruff: noqa: UP006, UP035 - the corpus writes annotations the old ways on purpose
"""Generic arguments written with typing aliases, and Any as an argument: livedag normalises both
(List[Dict[str, int]] is list[dict[str, int]]; dict[str, Any] takes dict[str, int]); Hamilton compares the
arguments with == and refuses."""

from typing import Any, Dict, List


def records() -> List[Dict[str, int]]:
    return []


def first(records: list[dict[str, int]]) -> dict[str, int]:
    return records[0]


def loose(first: dict[str, Any]) -> int:
    return len(first)
