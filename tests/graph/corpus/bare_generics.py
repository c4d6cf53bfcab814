# ruff: noqa: UP006, UP035 - the corpus writes annotations the old ways on purpose
"""A bare generic accepts a parameterised one and the other way round."""

from typing import Dict, List


def counts() -> Dict[str, int]:
    return {}


def total(counts: dict) -> int:
    return sum(counts.values())


def ids() -> list:
    return []


def first_id(ids: List[int]) -> int:
    return ids[0]
