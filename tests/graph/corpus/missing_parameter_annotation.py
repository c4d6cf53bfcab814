"""missing-annotation: a parameter without a type."""


def raw() -> str:
    return ""


def cleaned(raw) -> str:
    return raw.strip()
