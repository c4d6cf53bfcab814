"""Only async nodes, a diamond (Hamilton: AsyncDriver)."""

import asyncio

INPUTS = {"n": 5}


async def squares(n: int) -> list[int]:
    await asyncio.sleep(0)
    return [i * i for i in range(n)]


async def evens(squares: list[int]) -> list[int]:
    await asyncio.sleep(0)
    return [value for value in squares if value % 2 == 0]


async def odds(squares: list[int]) -> list[int]:
    await asyncio.sleep(0)
    return [value for value in squares if value % 2]


async def balance(evens: list[int], odds: list[int]) -> int:
    return sum(evens) - sum(odds)
