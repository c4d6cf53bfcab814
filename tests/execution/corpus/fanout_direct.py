"""Dynamic parallelism with an empty block: the Collect node takes the items themselves."""

from __future__ import annotations

from hamilton.htypes import Collect, Parallelizable

INPUTS = {"words": "one two three"}


def word(words: str) -> Parallelizable[str]:
    yield from words.split()


def joined(word: Collect[str]) -> str:
    return "+".join(word)
