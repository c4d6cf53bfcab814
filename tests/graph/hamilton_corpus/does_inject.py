"""does replaces a function body; inject fills parameters with sources, values or groups."""

from hamilton.function_modifiers import does, group, inject, source, value


def _sum(**values: int) -> int:
    return sum(values.values())


def a() -> int:
    return 1


def b() -> int:
    return 2


@does(_sum)
def a_plus_b(a: int, b: int) -> int:
    pass


@inject(numbers=group(source("a"), source("b"), value(10)))
def all_numbers(numbers: list[int]) -> int:
    return sum(numbers)


@inject(scale=value(5))
def scaled(a: int, scale: int) -> int:
    return a * scale
