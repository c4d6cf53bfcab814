"""`import hamilton.function_modifiers as fm` and the submodule spelling."""

import hamilton.function_modifiers as fm
from hamilton.function_modifiers.configuration import config as cfg


@fm.config.when(version=1)
def value__v1() -> str:
    return "version_1"


@fm.config.when(version=2)
def value__v2() -> str:
    return "version_2"


@cfg.when_not(version=1)
def other__not_v1(value: str) -> str:
    return value + "!"


def shout(value: str) -> str:
    return value.upper()
