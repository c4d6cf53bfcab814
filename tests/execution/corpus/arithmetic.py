"""A diamond of sync nodes with an optional input."""

INPUTS = {"a": 3, "b": 4}


def total(a: int, b: int) -> int:
    return a + b


def product(a: int, b: int) -> int:
    return a * b


def scaled(total: int, factor: float = 1.5) -> float:
    return total * factor


def combined(scaled: float, product: int) -> float:
    return scaled + product


def ratio(combined: float, total: int) -> float:
    return combined / total
