"""Keyword-only parameters are dependencies too, optional when they have a default."""


def base(seed: int) -> int:
    return seed


def scaled(*, base: int, factor: float = 2.0) -> float:
    return base * factor
