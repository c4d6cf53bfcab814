"""Stacked modifiers: config.when + extract_fields + tag, parameterize + tag, check_output + config."""

from hamilton import function_modifiers as fm
from hamilton.function_modifiers import config, extract_fields, parameterize, tag, value


@tag(stage="prep")
@extract_fields({"left": int, "right": int})
@config.when(split="even")
def halves__even(total: int) -> dict:
    return {"left": total // 2, "right": total - total // 2}


@tag(stage="prep")
@extract_fields({"left": int, "right": int})
@config.when(split="first")
def halves__first(total: int) -> dict:
    return {"left": total, "right": 0}


@tag(kind="scaled")
@parameterize(left_x2={"n": fm.source("left"), "k": value(2)}, right_x3={"n": fm.source("right"), "k": value(3)})
def times(n: int, k: int) -> int:
    return n * k


@fm.check_output(range=(0, 1000))
@config.when_not(split="none")
def combined(left_x2: int, right_x3: int) -> int:
    return left_x2 + right_x3
