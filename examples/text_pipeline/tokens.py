"""Tokenizing: words per document, and sentences streamed one at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"[a-z][a-z'-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def tokens(clean_documents: dict[str, str], stopwords: frozenset[str]) -> dict[str, list[str]]:
    """Words of each document, stopwords removed."""
    return {
        doc_id: [word for word in _WORD.findall(text.lower()) if word not in stopwords]
        for doc_id, text in clean_documents.items()
    }


def sentences(clean_documents: dict[str, str]) -> Iterator[str]:
    """A streaming node: yields each sentence as it is found; dependents receive the list of them."""
    for text in clean_documents.values():
        for sentence in _SENTENCE_END.split(text):
            if sentence:
                yield sentence


def sentence_lengths(sentences: list[str]) -> list[int]:
    return [len(_WORD.findall(sentence.lower())) for sentence in sentences]
