"""A node function bound to a second name: Hamilton finds it twice and refuses ("Cannot define function
`words` more than once"); livedag has one node `words`, at runtime as statically (an assignment is not a def)."""


def words(text: str) -> list[str]:
    return text.split()


tokens = words


def count(words: list[str]) -> int:
    return len(words)
