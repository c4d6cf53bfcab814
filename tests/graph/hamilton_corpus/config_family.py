"""config.when / when_not / when_in / when_not_in with the __suffix naming."""

from hamilton.function_modifiers import config


def text_source() -> str:
    return "raw"


@config.when(kind="pdf")
def raw_text__pdf(text_source: str) -> str:
    return f"pdf:{text_source}"


@config.when_not(kind="pdf")
def raw_text__other(text_source: str, encoding: str = "utf-8") -> str:
    return f"other:{text_source}:{encoding}"


@config.when_in(region=["us", "ca"])
def tax__na(raw_text: str) -> float:
    return 0.1


@config.when_not_in(region=["us", "ca"])
def tax__rest(raw_text: str) -> float:
    return 0.2


@config.when(kind="pdf", name="pages")
def page_count(raw_text: str) -> int:
    return 3


def summary(raw_text: str, tax: float) -> str:
    return f"{raw_text} {tax}"
