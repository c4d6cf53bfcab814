"""duplicate-node (with duplicate_first.py): both define `total`."""


def total(values: list[int]) -> int:
    return len(values)


def mean(total: int, count: int) -> float:
    return total / count
