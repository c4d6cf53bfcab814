"""unsupported-parameter: nodes are called with keyword arguments, so a positional-only one cannot be passed."""


def doubled(value: int, /) -> int:
    return value * 2
