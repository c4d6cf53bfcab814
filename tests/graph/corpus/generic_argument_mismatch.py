"""type-mismatch: generic arguments are compared, and they are invariant (list[int] is not list[str])."""


def ids() -> list[int]:
    return []


def names(ids: list[str]) -> str:
    return ",".join(ids)
