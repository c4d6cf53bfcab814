"""Parallelizable/Collect under `import hamilton.htypes as ht` and `from hamilton import htypes`."""

import hamilton.htypes as ht
from hamilton import htypes


def number(numbers: list[int]) -> ht.Parallelizable[int]:
    yield from numbers


def squared(number: int) -> int:
    return number * number


def collected(squared: htypes.Collect[int]) -> list[int]:
    return list(squared)
