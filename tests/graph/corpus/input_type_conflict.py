"""input-type-conflict: `limit` is needed as an int by one node and as a str by another."""


def head(limit: int) -> list[int]:
    return list(range(limit))


def label(limit: str) -> str:
    return limit
