"""extract_fields with a dict of types, and unpack_fields."""

from hamilton.function_modifiers import extract_fields, unpack_fields


@extract_fields({"mean": float, "spread": float, "count": int})
def stats(values: list[float]) -> dict:
    return {"mean": sum(values) / len(values), "spread": max(values) - min(values), "count": len(values)}


@unpack_fields("low", "high")
def bounds(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


def report(mean: float, spread: float, count: int, low: float, high: float) -> str:
    return f"{mean:.1f} {spread:.1f} {count} {low} {high}"
