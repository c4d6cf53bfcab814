"""Features: term counts, document lengths and the corpus' most frequent terms."""

from __future__ import annotations

from collections import Counter


def vocabulary(tokens: dict[str, list[str]]) -> dict[str, int]:
    """How often each term occurs in the whole corpus."""
    counts: Counter[str] = Counter()
    for words in tokens.values():
        counts.update(words)
    return dict(counts)


def document_lengths(tokens: dict[str, list[str]]) -> dict[str, int]:
    return {doc_id: len(words) for doc_id, words in tokens.items()}


def top_terms(vocabulary: dict[str, int], top_k: int = 10) -> list[tuple[str, int]]:
    return sorted(vocabulary.items(), key=lambda item: (-item[1], item[0]))[:top_k]


def mean_sentence_length(sentence_lengths: list[int]) -> float:
    return sum(sentence_lengths) / len(sentence_lengths) if sentence_lengths else 0.0
