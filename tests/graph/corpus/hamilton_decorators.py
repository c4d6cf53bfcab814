"""Hamilton's decorators: livedag does not model them (an info note each), Hamilton expands them."""

from hamilton.function_modifiers import config, extract_fields, parameterize, source, value


@config.when(mode="fast")
def model__fast(features: list[float]) -> float:
    return 0.0


@config.when(mode="slow")
def model__slow(features: list[float], iterations: int) -> float:
    return 1.0


@extract_fields({"mean": float, "spread": float})
def stats(features: list[float]) -> dict:
    return {"mean": 0.0, "spread": 0.0}


@parameterize(doubled={"base": source("mean")}, tripled={"base": value(3.0)})
def scaled(base: float) -> float:
    return base


def features() -> list[float]:
    return [1.0]


def summary(model: float, mean: float, doubled: float, tripled: float) -> str:
    return f"{model} {mean} {doubled} {tripled}"
