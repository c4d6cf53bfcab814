"""duplicate-node (with duplicate_second.py): both define `total`."""


def total(values: list[int]) -> int:
    return sum(values)
