"""Dynamic parallelism, async items: each page is fetched concurrently, then collected in order."""

from __future__ import annotations

import asyncio

from hamilton.htypes import Collect, Parallelizable

INPUTS = {"pages": ["alpha", "beta", "gamma", "delta"], "delay": 0.0}


def page(pages: list[str]) -> Parallelizable[str]:
    yield from pages


async def fetched(page: str, delay: float) -> str:
    await asyncio.sleep(delay)
    return page.upper()


def size(fetched: str) -> int:
    return len(fetched)


def sizes(size: Collect[int]) -> list[int]:
    return list(size)


def longest(sizes: list[int]) -> int:
    return max(sizes)
