"""missing-annotation: a node without a return type (Hamilton refuses it)."""


def raw(path: str):
    return path
