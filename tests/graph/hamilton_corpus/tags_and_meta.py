"""tag, tag_outputs, schema.output and cache."""

import pandas as pd
from hamilton.function_modifiers import cache, extract_fields, schema, tag, tag_outputs


@tag(owner="data", pii="false")
def customers() -> list[str]:
    return ["a", "b"]


@tag_outputs(first={"role": "head"}, rest={"role": "tail"})
@extract_fields({"first": str, "rest": list})
def split(customers: list[str]) -> dict:
    return {"first": customers[0], "rest": customers[1:]}


@schema.output(("name", "str"), ("size", "int"))
def table(customers: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"name": customers, "size": [len(c) for c in customers]})


@cache(behavior="recompute")
def fresh(first: str) -> str:
    return first.upper()
