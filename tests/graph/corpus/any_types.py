"""Any on either side is compatible with everything."""

from typing import Any


def anything() -> Any:
    return 1


def number(anything: int) -> int:
    return anything


def text() -> str:
    return ""


def accepts_all(text: Any, number: object) -> str:
    return f"{text}{number}"
