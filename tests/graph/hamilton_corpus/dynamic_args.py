"""A modifier whose arguments are computed at import: livedag notes it and keeps the node opaque."""

from hamilton.function_modifiers import extract_fields

FIELDS = {"a": int, "b": int}


@extract_fields(FIELDS)
def frame(rows: int) -> dict:
    return {"a": rows, "b": rows + 1}
