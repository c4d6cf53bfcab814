"""`@mutate` with `apply_to(...)` targets, and `pipe` (the old name of `pipe_input`)."""

from hamilton.function_modifiers import apply_to, mutate, pipe, source, step, value


def _add(x: int, amount: int) -> int:
    return x + amount

def seed() -> int:
    return 2

def first(seed: int) -> int:
    return seed

def second(seed: int) -> int:
    return seed

@mutate(apply_to(first, amount=value(1)), apply_to(second, amount=source("seed")))
def _bump(x: int, amount: int) -> int:
    return x + amount

@pipe(step(_add, amount=value(3)))
def piped(seed: int) -> int:
    return seed
