# ruff: noqa: UP035 - the corpus writes annotations the old ways on purpose
"""Streaming nodes: a generator's dependents receive the list of the items it yields."""

from collections.abc import AsyncIterator, Iterator
from typing import Generator


def lines(text: str) -> Iterator[str]:
    yield from text.splitlines()


def line_count(lines: list[str]) -> int:
    return len(lines)


def numbers(line_count: int) -> Generator[int, None, None]:
    yield from range(line_count)


def total(numbers: list[int]) -> int:
    return sum(numbers)


async def tokens(text: str) -> AsyncIterator[str]:
    for token in text.split():
        yield token


def token_count(tokens: list[str]) -> int:
    return len(tokens)
