"""check_output adds a validator node and renames the original to `<name>_raw`."""

from hamilton.function_modifiers import check_output


@check_output(range=(0, 100), importance="warn")
def score(raw: int) -> int:
    return raw * 2


def doubled_score(score: int) -> int:
    return score * 2
