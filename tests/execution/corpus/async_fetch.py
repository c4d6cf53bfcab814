"""Async I/O-like nodes fanning out and in, mixed with sync nodes (Hamilton: AsyncDriver)."""

from __future__ import annotations

import asyncio

INPUTS = {"query": "Graphs", "delay": 0.01}


def normalized(query: str) -> str:
    return query.strip().lower()


async def from_search(normalized: str, delay: float) -> list[str]:
    await asyncio.sleep(delay)
    return [f"search:{normalized}:{i}" for i in range(2)]


async def from_cache(normalized: str, delay: float) -> list[str]:
    await asyncio.sleep(delay)
    return [f"cache:{normalized}"]


async def from_index(normalized: str) -> list[str]:
    await asyncio.sleep(0)
    return [f"index:{normalized}"]


def merged(from_search: list[str], from_cache: list[str], from_index: list[str]) -> list[str]:
    return sorted(from_search + from_cache + from_index)


async def ranked(merged: list[str], delay: float) -> list[str]:
    await asyncio.sleep(delay)
    return sorted(merged, key=len)


def answer(ranked: list[str], normalized: str) -> str:
    return f"{normalized}: {ranked[0]} (+{len(ranked) - 1})"
