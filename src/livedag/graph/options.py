"""``@livedag.node(...)``: per-node execution options that leave the function itself unchanged.

The decorator only records options on the function, so the node keeps its name, signature and
annotations, and Hamilton-style resolution (runtime and static) treats it as transparent.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # not imported from typing: `import livedag` stays light (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["OPTIONS_ATTRIBUTE", "node"]

OPTIONS_ATTRIBUTE = "__livedag_options__"


def node(
    *,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
    in_thread: bool | None = None,
) -> Callable[[F], F]:
    """Set execution options for one node: ``timeout`` seconds per attempt, ``retries`` extra
    attempts after a failure, ``backoff`` seconds before the first retry (doubling each time),
    ``in_thread`` to run a sync node in a worker thread so it does not block the event loop."""
    given = {"timeout": timeout, "retries": retries, "backoff": backoff, "in_thread": in_thread}
    options = {key: value for key, value in given.items() if value is not None}
    if timeout is not None and timeout <= 0:
        raise ValueError(f"livedag.node(timeout={timeout!r}): a timeout must be a positive number of seconds")
    if retries is not None and retries < 0:
        raise ValueError(f"livedag.node(retries={retries!r}): retries must be 0 or more")

    def mark(fn: F) -> F:
        merged = {**getattr(fn, OPTIONS_ATTRIBUTE, {}), **options}
        setattr(fn, OPTIONS_ATTRIBUTE, merged)
        return fn

    return mark
