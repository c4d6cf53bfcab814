"""extract_columns on a pandas DataFrame."""

import pandas as pd
from hamilton.function_modifiers import extract_columns


@extract_columns("spend", "signups")
def raw_data(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"spend": [1.0 * i for i in range(rows)], "signups": list(range(rows))})


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / (signups + 1)


def total(spend_per_signup: pd.Series) -> float:
    return float(spend_per_signup.sum())
