"""subdag and parameterized_subdag over functions defined in this module."""

from hamilton.function_modifiers import parameterized_subdag, source, subdag, value


def _double(number: int) -> int:
    return number * 2


def base_number() -> int:
    return 4


@subdag(_double, inputs={"number": source("base_number")})
def doubled(_double: int) -> int:
    return _double + 1


@parameterized_subdag(
    _double, from_three={"inputs": {"number": value(3)}}, from_base={"inputs": {"number": source("base_number")}}
)
def again(_double: int) -> int:
    return _double
