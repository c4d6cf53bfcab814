"""A decorator livedag does not model (not one of Hamilton's): an info note, the signature taken as written."""

import functools
from collections.abc import Callable
from typing import Any


def _traced(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def base() -> int:
    return 1


@_traced
def traced(base: int) -> int:
    return base + 1
