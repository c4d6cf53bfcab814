# ruff: noqa: UP006, UP035 - the corpus writes annotations the old ways on purpose
"""typing aliases against builtin generics: the same types, written two ways."""

from typing import Dict, List, Set, Tuple


def counts() -> Dict[str, int]:
    return {}


def total(counts: dict[str, int]) -> int:
    return sum(counts.values())


def ids() -> list[int]:
    return []


def first_id(ids: List[int]) -> int:
    return ids[0]


def tags() -> Set[str]:
    return set()


def tag_count(tags: set[str]) -> int:
    return len(tags)


def pair() -> tuple[int, str]:
    return (1, "a")


def pair_text(pair: Tuple[int, str]) -> str:
    return str(pair)
