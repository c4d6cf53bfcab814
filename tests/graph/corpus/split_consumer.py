"""The other half: depends on nodes of split_producer.py."""


def word_count(words: list[str]) -> int:
    return len(words)


def summary(word_count: int, source_text: str) -> str:
    return f"{word_count} {source_text[:10]}"
