"""Optional inputs: defaults used when not given, Optional types, None values."""

from __future__ import annotations

INPUTS = {"name": "ada", "title": None}


def greeting(name: str, punctuation: str = "!") -> str:
    return f"hello {name}{punctuation}"


def formal(greeting: str, title: str | None) -> str:
    return f"{title} {greeting}" if title else greeting


def length(formal: str, padding: int = 0) -> int:
    return len(formal) + padding
