"""parameterize with source/value, parameterize_sources, parameterize_values."""

from hamilton.function_modifiers import parameterize, parameterize_sources, parameterize_values, source, value


def base() -> int:
    return 10


def other() -> int:
    return 3


@parameterize(
    doubled={"x": source("base"), "factor": value(2)},
    tripled={"x": source("other"), "factor": value(3)},
)
def scaled(x: int, factor: int, offset: int = 0) -> int:
    return x * factor + offset


@parameterize_sources(plus_base={"a": "base"}, plus_other={"a": "other"})
def plus(a: int, b: int = 1) -> int:
    return a + b


@parameterize_values(parameter="n", assigned_output={("five", "five of them"): 5, ("six", "six of them"): 6})
def counted(n: int) -> int:
    return n


def total(doubled: int, tripled: int, plus_base: int, plus_other: int, five: int, six: int) -> int:
    return doubled + tripled + plus_base + plus_other + five + six
