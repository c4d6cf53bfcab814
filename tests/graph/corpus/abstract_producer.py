"""type-mismatch: a Mapping producer does not give the dict a consumer asks for."""

from collections.abc import Mapping


def lookup() -> Mapping[str, int]:
    return {}


def mutable(lookup: dict[str, int]) -> int:
    return len(lookup)
