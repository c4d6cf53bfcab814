"""parameterize_extract_columns: one parameterization per ParameterizedExtract, columns taken out of each."""

import pandas as pd
from hamilton.function_modifiers import ParameterizedExtract, parameterize_extract_columns, source, value


def offset() -> int:
    return 4


@parameterize_extract_columns(
    ParameterizedExtract(("scaled_x", "shifted_x"), {"base": source("x"), "factor": value(2)}),
    ParameterizedExtract(outputs=("scaled_offset", "shifted_offset"), input_mapping={"base": source("offset")}),
)
def frame(base: int, rows: int, factor: int = 10) -> pd.DataFrame:
    return pd.DataFrame({"times": [base * factor] * rows, "plus": [base + factor] * rows})


def combined(scaled_x: pd.Series, shifted_offset: pd.Series) -> int:
    return int((scaled_x + shifted_offset).sum())
