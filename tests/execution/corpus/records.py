"""User classes as values: a dataclass flows between nodes."""

from __future__ import annotations

from dataclasses import dataclass

INPUTS = {"raw": "3,1,2"}


@dataclass(frozen=True)
class Numbers:
    values: tuple[int, ...]


def parsed(raw: str) -> Numbers:
    return Numbers(tuple(int(part) for part in raw.split(",")))


def ordered(parsed: Numbers) -> Numbers:
    return Numbers(tuple(sorted(parsed.values)))


def largest(ordered: Numbers) -> int:
    return ordered.values[-1]


def described(ordered: Numbers, largest: int) -> str:
    return f"{list(ordered.values)} max={largest}"
