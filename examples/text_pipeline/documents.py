"""Loading: the text files of a corpus directory, keyed by document id (the file name without `.txt`)."""

from __future__ import annotations

from pathlib import Path


def corpus_path(corpus_dir: str) -> str:
    """The corpus directory; a relative path that does not exist from here is taken from this example's folder."""
    path = Path(corpus_dir)
    if not path.is_absolute() and not path.exists():
        path = Path(__file__).parent / path
    if not path.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus_dir}")
    return str(path)


def raw_documents(corpus_path: str, document_limit: int = 50) -> dict[str, str]:
    """Up to `document_limit` `.txt` files of the corpus, in name order."""
    files = sorted(Path(corpus_path).glob("*.txt"))[:document_limit]
    return {file.stem: file.read_text(encoding="utf-8") for file in files}


def document_count(raw_documents: dict[str, str]) -> int:
    return len(raw_documents)
