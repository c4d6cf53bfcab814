# ruff: noqa: UP007, UP045 - the corpus writes annotations the old ways on purpose
"""A consumer that asks for Optional[X] or a union takes an X."""

from typing import Optional, Union


def count() -> int:
    return 1


def label() -> str:
    return ""


def maybe(count: Optional[int]) -> int:
    return count or 0


def either(label: Union[int, str]) -> str:
    return str(label)


def piped(count: int | None, label: str | bytes) -> str:
    return f"{count}{label!r}"
