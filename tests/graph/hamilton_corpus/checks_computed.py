"""check_output whose arguments are computed at import (a class, a module constant): the checks' names alone
make the validator nodes; parameterize_values and parametrized_input with positional arguments."""

from hamilton.function_modifiers import check_output, parameterize_values, parametrized_input

LIMITS = (0, 1000)


@check_output(data_type=int, range=LIMITS)
def checked(x: int) -> int:
    return x * 3


@check_output(range=(-LIMITS[1], LIMITS[1]), importance="warn")
def checked_range(checked: int, rows: int = 2) -> int:
    return checked - rows


@parameterize_values("factor", {("times_two", "x twice"): 2, ("times_three", "x thrice"): 3})
def scaled(x: int, factor: int) -> int:
    return x * factor


def first_source() -> int:
    return 11


def second_source() -> int:
    return 12


@parametrized_input("picked", {"first_source": ("from_first", "first"), "second_source": ("from_second", "second")})
def shifted(picked: int, x: int) -> int:
    return picked + x
