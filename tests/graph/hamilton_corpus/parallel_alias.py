"""Parallelizable/Collect under `import hamilton.htypes as ht` and `from hamilton import htypes`."""

import hamilton.htypes as ht
from hamilton import htypes


def items() -> ht.Parallelizable[int]:
    yield from range(4)


def squared(item: int) -> int:
    return item * item


def collected(squared: htypes.Collect[int]) -> list[int]:
    return list(squared)
