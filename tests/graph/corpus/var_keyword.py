"""unsupported-parameter: **kwargs cannot be filled from the graph."""


def merged(**parts: str) -> str:
    return "".join(parts.values())
