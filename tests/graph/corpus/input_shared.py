# ruff: noqa: UP045 - the corpus writes annotations the old ways on purpose
"""One external input needed by several nodes with compatible types: int and bool, int and Optional[int]."""

from typing import Optional


def a(limit: int, verbose: bool) -> int:
    return limit


def b(limit: Optional[int] = None) -> int:
    return limit or 0


def c(verbose: int) -> int:
    return verbose
