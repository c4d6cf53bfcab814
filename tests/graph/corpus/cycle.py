"""cycle: a needs c, c needs b, b needs a."""


def a(c: int) -> int:
    return c


def b(a: int) -> int:
    return a


def c(b: int) -> int:
    return b


def outside(a: int) -> int:
    return a
