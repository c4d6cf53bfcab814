"""Parallelizable[T] / Collect[T] types (dynamic parallelism), in Hamilton's own idiom: the node `url` yields
each of the `urls`; `url_length` takes one `url` (a str); `total_length` collects every `url_length`."""

from hamilton.htypes import Collect, Parallelizable


def url(urls: list[str]) -> Parallelizable[str]:
    yield from urls


def url_length(url: str) -> int:
    return len(url)


def total_length(url_length: Collect[int]) -> int:
    return sum(url_length)
