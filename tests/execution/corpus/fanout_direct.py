"""Dynamic parallelism with an empty block: the Collect parameter names the Parallelizable node itself.

Hamilton 1.90 then hands the collector the expander's whole value as its one item: `batches` gets
`[["one", "two", "three"]]`, not the words.
"""

from __future__ import annotations

from hamilton.htypes import Collect, Parallelizable

INPUTS = {"words": "one two three"}


def word(words: str) -> Parallelizable[str]:
    yield from words.split()


def batches(word: Collect[str]) -> list[list[str]]:
    return [list(batch) for batch in word]


def joined(batches: list[list[str]]) -> str:
    return "|".join("+".join(batch) for batch in batches)
