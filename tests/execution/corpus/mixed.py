"""Every node kind: sync, async, generator, async generator (livedag only: Hamilton does not stream)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

INPUTS = {"words": "the quick brown fox jumps over the lazy dog", "minimum": 4}


def tokens(words: str) -> list[str]:
    return words.split()


async def long_tokens(tokens: list[str], minimum: int) -> list[str]:
    await asyncio.sleep(0)
    return [token for token in tokens if len(token) >= minimum]


def lengths(long_tokens: list[str]) -> Iterator[int]:
    for token in long_tokens:
        yield len(token)


async def shouted(long_tokens: list[str]) -> AsyncIterator[str]:
    for token in long_tokens:
        await asyncio.sleep(0)
        yield token.upper()


def summary(lengths: list[int], shouted: list[str]) -> str:
    return f"{'-'.join(shouted)}:{sum(lengths)}"
