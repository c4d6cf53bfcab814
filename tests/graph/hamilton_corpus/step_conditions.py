"""Steps of pipe_input/pipe_output/mutate kept or dropped by `.when*` under the config, and pipe namespaces."""

from hamilton.function_modifiers import apply_to, mutate, pipe_input, pipe_output, source, step, value


def _plus(x: int, amount: int) -> int:
    return x + amount


def _double(x: int) -> int:
    return x * 2


def base(x: int) -> int:
    return x


@pipe_input(
    step(_plus, amount=value(1)).named("one").when(kind="pdf"),
    step(_double).when_not(region="us"),
    step(_plus, amount=source("base")).named("again").when_in(version=[1, 2]),
)
def chained(x: int) -> int:
    return x


@pipe_output(
    step(_double).named("twice").when_not_in(split=["even"]),
    step(_plus, amount=value(5)).when(kind="txt"),
    namespace="shared",
)
def finished(base: int) -> int:
    return base + 1


@pipe_output(step(_double).named("only_for_pdf").when(kind="pdf"), namespace=None)
def maybe_doubled(base: int) -> int:
    return base


def mutated_total(base: int) -> int:
    return base * 10


@mutate(apply_to(mutated_total, amount=value(3)).named("bump").when(region="fr"))
def _bump(x: int, amount: int) -> int:
    return x + amount


@mutate(apply_to(mutated_total).when_not(kind="pdf"))
def _halve(x: int) -> int:
    return x // 2


def summary(chained: int, finished: int, maybe_doubled: int, mutated_total: int) -> int:
    return chained + finished + maybe_doubled + mutated_total
