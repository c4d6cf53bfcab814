"""extract_columns of a module constant (`*COLUMNS`) and extract_fields of a `dict(...)` call."""

import pandas as pd
from hamilton.function_modifiers import extract_columns, extract_fields

COLUMNS = ["height", "width"]
EXTRA = ("depth",)


@extract_columns(*COLUMNS, *EXTRA, "label")
def table(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"height": [1] * rows, "width": [2] * rows, "depth": [3] * rows, "label": ["a"] * rows})


@extract_fields(dict(count=int, name=str))  # noqa: C408 - the spelling under test
def described(table: pd.DataFrame) -> dict:
    return {"count": len(table), "name": "table"}


def area(height: pd.Series, width: pd.Series, count: int) -> int:
    return int((height * width).sum()) + count
