"""pipe_input, pipe_output, mutate, step, on_output."""

from hamilton.function_modifiers import mutate, pipe_input, pipe_output, source, step, value


def _add(x: int, amount: int) -> int:
    return x + amount


def _times(x: int, factor: int) -> int:
    return x * factor


def seed() -> int:
    return 2


@pipe_input(step(_add, amount=value(3)), step(_times, factor=source("seed")))
def piped(x: int) -> int:
    return x


@pipe_output(step(_add, amount=value(1)).named("plus_one"), step(_times, factor=value(10)))
def produced(seed: int) -> int:
    return seed


def mutated(seed: int) -> int:
    return seed + 100


@mutate(mutated, amount=value(7))
def _add_to_mutated(x: int, amount: int) -> int:
    return x + amount


def result(piped: int, produced: int, mutated: int) -> int:
    return piped + produced + mutated
