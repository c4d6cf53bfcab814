"""What runs in a worker process: one node body, its arguments rebuilt, its times measured.

Shipped to processes, Ray and Dask workers by reference (``livedag`` must be importable there, as
it is on a local cluster started from the same environment). The body's own exception comes back as
``BodyFailed``: picklable whatever the original is, carrying the remote traceback text. ``stream_body``
is the same for Ray's streaming generators: a generator node's items go back one by one as they are made.
"""

from __future__ import annotations

import asyncio
import pickle
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from livedag.graph import NodeKind

__all__ = ["BodyCancelled", "BodyFailed", "Layout", "Ran", "flatten", "run_body", "stream_body", "unflatten"]

Layout = tuple[tuple[str | None, int], ...]
"""Per argument: its keyword (``None``: positional) and how many flat values it takes (-1: one, n: a list)."""


@dataclass(frozen=True, slots=True)
class Ran:
    """When the body ran (``time.time()``), for how long, and how many items an expanding node made."""

    started: float
    duration: float
    count: int = -1


class BodyCancelled(BaseException):
    """Raised in a worker running a node body whose run was cancelled (Dask's threads, pool processes)."""


class BodyFailed(Exception):
    """A node body raised in a worker. ``error`` is the original when it could be pickled."""

    def __init__(self, node: str, error_type: str, message: str, text: str, error: BaseException | None) -> None:
        self.node = node
        self.error_type = error_type
        self.message = message
        self.text = text
        self.error = error
        super().__init__(node, error_type, message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (BodyFailed, (self.node, self.error_type, self.message, self.text, self.error))

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"

    @classmethod
    def of(cls, node: str, error: BaseException) -> BodyFailed:
        text = "".join(traceback.format_exception(error))
        try:
            pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, just made: can it travel?
            kept: BaseException | None = error
        except Exception:  # noqa: BLE001 - an unpicklable exception travels as text only
            kept = None
        return cls(node, type(error).__qualname__, str(error), text, kept)


def flatten(args: Sequence[Any], kwargs: dict[str, Any], gather: int, collect: str | None) -> tuple[Layout, list[Any]]:
    """Arguments as one flat list (engines resolve handles only at the top level) and how to rebuild them."""
    layout: list[tuple[str | None, int]] = []
    flat: list[Any] = []
    for position, value in enumerate(args):
        if position == gather:
            layout.append((None, len(value)))
            flat.extend(value)
        else:
            layout.append((None, -1))
            flat.append(value)
    for key, value in kwargs.items():
        if key == collect:
            layout.append((key, len(value)))
            flat.extend(value)
        else:
            layout.append((key, -1))
            flat.append(value)
    return tuple(layout), flat


def unflatten(layout: Layout, flat: Sequence[Any]) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    at = 0
    for key, count in layout:
        if count < 0:
            value: Any = flat[at]
            at += 1
        else:
            value = list(flat[at : at + count])
            at += count
        if key is None:
            args.append(value)
        else:
            kwargs[key] = value
    return args, kwargs


async def _collect(stream: Any) -> list[Any]:
    async with aclosing(stream) as opened:
        return [item async for item in opened]


def _settle(kind: NodeKind, value: Any, expands: bool) -> Any:
    if kind is NodeKind.ASYNC:
        value = asyncio.run(value)  # the worker's own event loop (none runs in this thread)
    elif kind is NodeKind.ASYNC_GENERATOR:
        value = asyncio.run(_collect(value))
    elif kind is NodeKind.GENERATOR:
        value = list(value)
    return list(value) if expands else value


def run_body(
    node: str,
    function: Callable[..., Any],
    kind: NodeKind,
    expands: bool,
    pairs: Sequence[bool],
    layout: Layout,
    *flat: Any,
) -> tuple[Any, Ran]:
    """Call the node; ``pairs[k]``: flat argument ``k`` is a (value, Ran) pair (Dask keeps them together)."""
    values: Sequence[Any] = flat
    if any(pairs):
        values = [value[0] if pair else value for value, pair in zip(flat, pairs, strict=True)]
    args, kwargs = unflatten(layout, values)
    started, t0 = time.time(), time.perf_counter()
    try:
        value = _settle(kind, function(*args, **kwargs), expands)
    except Exception as error:  # noqa: BLE001 - every body failure goes back as BodyFailed
        raise BodyFailed.of(node, error) from None
    return value, Ran(started, time.perf_counter() - t0, len(value) if expands else -1)


def _items(kind: NodeKind, stream: Any) -> Iterator[Any]:
    """A generator node's items, one at a time; an async generator's on a loop of its own in this thread."""
    if kind is not NodeKind.ASYNC_GENERATOR:
        yield from stream
        return
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                yield loop.run_until_complete(stream.__anext__())
            except StopAsyncIteration:
                return
    finally:
        loop.run_until_complete(stream.aclose())
        loop.close()


def stream_body(
    node: str,
    function: Callable[..., Any],
    kind: NodeKind,
    expands: bool,
    layout: Layout,
    *flat: Any,
) -> Iterator[Any]:
    """Ray's streaming generator for a generator node: for each item a ``None`` marker, then the item; at
    the end the ``Ran`` record, then the whole list. The driver fetches only the markers (each one tells
    what the next object is), so it learns of each item as it is made while the items stay in the store."""
    args, kwargs = unflatten(layout, flat)
    started, t0 = time.time(), time.perf_counter()
    items: list[Any] = []
    try:
        stream = _items(kind, function(*args, **kwargs))
    except Exception as error:  # noqa: BLE001 - every body failure goes back as BodyFailed
        raise BodyFailed.of(node, error) from None
    while True:
        try:
            item = next(stream)
        except StopIteration:
            break
        except Exception as error:  # noqa: BLE001 - every body failure goes back as BodyFailed
            raise BodyFailed.of(node, error) from None
        items.append(item)
        yield None  # not inside the ``try``: what Ray throws in here is not the body's failure
        yield item
    yield Ran(started, time.perf_counter() - t0, len(items) if expands else -1)
    yield items


def item_of(pair: tuple[Any, Ran], index: int) -> tuple[Any, None]:
    """Dask: one item of an expanded node's (value, Ran) pair, as a pair of its own."""
    return pair[0][index], None


def value_of(pair: tuple[Any, Ran]) -> Any:
    return pair[0]


def split_items(values: Sequence[Any]) -> Any:
    """Ray: an expanded node's list as one return per item (``num_returns=len``)."""
    return values[0] if len(values) == 1 else tuple(values)
