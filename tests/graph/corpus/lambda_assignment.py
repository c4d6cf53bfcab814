"""A lambda bound to a public name: Hamilton makes it a node (named `<lambda>`, refused for lacking a return
type); livedag ignores it, as a lambda has no annotations and no name of its own."""


def value(seed: int) -> int:
    return seed


double = lambda value: value * 2  # noqa: E731
