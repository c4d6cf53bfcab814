"""async def nodes are nodes like any other; their type is what they return when awaited. `@livedag.node`
options leave a node as it is, for livedag and for Hamilton."""

import livedag
from livedag import node


@livedag.node(timeout=5.0, retries=2)
async def fetched(url: str) -> str:
    return url


async def parsed(fetched: str) -> dict[str, str]:
    return {"body": fetched}


@node(in_thread=True)
def size(parsed: dict[str, str]) -> int:
    return len(parsed)
