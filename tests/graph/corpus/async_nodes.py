"""async def nodes are nodes like any other; their type is what they return when awaited."""


async def fetched(url: str) -> str:
    return url


async def parsed(fetched: str) -> dict[str, str]:
    return {"body": fetched}


def size(parsed: dict[str, str]) -> int:
    return len(parsed)
