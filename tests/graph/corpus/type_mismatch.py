"""type-mismatch: str handed to a parameter that wants int."""


def name() -> str:
    return ""


def length(name: int) -> int:
    return name
