"""Parallelizable[T] / Collect[T] types (dynamic parallelism)."""

from hamilton.htypes import Collect, Parallelizable


def urls(count: int = 3) -> Parallelizable[str]:
    for index in range(count):
        yield f"https://example.com/{index}"


def url_length(url: str) -> int:
    return len(url)


def total_length(url_length: Collect[int]) -> int:
    return sum(url_length)
