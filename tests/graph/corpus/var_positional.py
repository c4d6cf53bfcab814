"""unsupported-parameter: *args cannot be filled from the graph."""


def total(*values: int) -> int:
    return sum(values)
