"""A straight chain of twelve nodes."""

INPUTS = {"seed": 1}


def n01(seed: int) -> int:
    return seed + 1


def n02(n01: int) -> int:
    return n01 * 2


def n03(n02: int) -> int:
    return n02 + 3


def n04(n03: int) -> int:
    return n03 * 4


def n05(n04: int) -> int:
    return n04 - 5


def n06(n05: int) -> int:
    return n05 * 6


def n07(n06: int) -> int:
    return n06 + 7


def n08(n07: int) -> int:
    return n07 % 1000


def n09(n08: int) -> int:
    return n08 * 9


def n10(n09: int) -> int:
    return n09 + 10


def n11(n10: int) -> int:
    return n10 // 11


def n12(n11: int, n01: int) -> int:
    return n11 + n01
