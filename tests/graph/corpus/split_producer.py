"""Half of a graph spread over two modules (see split_consumer.py)."""


def source_text(path: str) -> str:
    return path


def words(source_text: str) -> list[str]:
    return source_text.split()
