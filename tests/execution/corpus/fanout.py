"""Dynamic parallelism, sync: each number runs `squared` and `shifted` once; `total` collects them."""

from __future__ import annotations

from hamilton.htypes import Collect, Parallelizable

INPUTS = {"count": 6, "offset": 10}


def numbers(count: int) -> list[int]:
    return list(range(1, count + 1))


def number(numbers: list[int]) -> Parallelizable[int]:
    yield from numbers


def squared(number: int) -> int:
    return number * number


def label(number: int) -> str:
    return f"n{number}"


def shifted(squared: int, offset: int, label: str) -> tuple[str, int]:
    return label, squared + offset


def total(shifted: Collect[tuple[str, int]]) -> list[tuple[str, int]]:
    return list(shifted)


def grand_total(total: list[tuple[str, int]]) -> int:
    return sum(value for _, value in total)
