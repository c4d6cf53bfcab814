"""Cleaning: normalised text and the stopword list the tokenizer drops."""

from __future__ import annotations

import re

_BASE_STOPWORDS = (
    "a an and are as at be because by can each for from in into is it its of on or so that the their them they "
    "this to when where while with without would you"
)


def clean_documents(raw_documents: dict[str, str], lowercase: bool = True) -> dict[str, str]:
    """Whitespace collapsed to single spaces; lower case unless `lowercase` is false."""
    cleaned = {}
    for doc_id, text in raw_documents.items():
        flat = re.sub(r"\s+", " ", text).strip()
        cleaned[doc_id] = flat.lower() if lowercase else flat
    return cleaned


def stopwords(extra_stopwords: list[str] | None = None) -> frozenset[str]:
    return frozenset(_BASE_STOPWORDS.split()) | frozenset(word.lower() for word in extra_stopwords or ())
