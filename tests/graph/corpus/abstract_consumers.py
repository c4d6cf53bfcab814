"""Abstract consumers accept concrete producers: Mapping takes dict, Sequence takes list, Iterable takes set."""

from collections.abc import Iterable, Mapping, Sequence


def lookup() -> dict[str, int]:
    return {}


def keys(lookup: Mapping[str, int]) -> list[str]:
    return list(lookup)


def first_key(keys: Sequence[str]) -> str:
    return keys[0]


def unique() -> set[str]:
    return set()


def joined(unique: Iterable[str]) -> str:
    return ",".join(unique)
