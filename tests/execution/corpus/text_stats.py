"""Strings, lists and dicts through a small text pipeline."""

from __future__ import annotations

from collections import Counter

INPUTS = {"text": "a rose is a rose is a rose", "stopwords": ["is"]}


def words(text: str) -> list[str]:
    return text.lower().split()


def kept(words: list[str], stopwords: list[str]) -> list[str]:
    return [word for word in words if word not in stopwords]


def frequencies(kept: list[str]) -> dict[str, int]:
    return dict(Counter(kept))


def most_common(frequencies: dict[str, int]) -> str:
    return max(sorted(frequencies), key=frequencies.__getitem__)


def vocabulary(frequencies: dict[str, int]) -> list[str]:
    return sorted(frequencies)


def report(most_common: str, vocabulary: list[str], words: list[str]) -> dict[str, object]:
    return {"top": most_common, "vocabulary": vocabulary, "count": len(words)}
