"""What is refused before anything runs, all issues listed together; what is never refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from livedag import Graph
from livedag.execution import Driver, InvalidRunError


def cleaned(text: str, limit: int) -> str:
    return text[:limit]


def counted(cleaned: str, weights: dict[str, float]) -> float:
    return len(cleaned) * weights.get("x", 1.0)


def optional(counted: float, scale: float = 1.0) -> float:
    return counted * scale


def test_every_issue_is_listed_together() -> None:
    calls: list[str] = []

    def side_effect(text: str) -> str:
        calls.append("ran")
        return text

    driver = Driver([cleaned, counted, optional, side_effect])
    with pytest.raises(InvalidRunError) as caught:
        driver.execute(["optinal", "counted", "side_effect"], inputs={"text": 3})
    error = caught.value
    assert error.unknown_outputs == ("optinal",)
    assert error.missing_inputs == {"limit": ("cleaned",), "weights": ("counted",)}
    assert [(issue.input, issue.value_type, issue.expected) for issue in error.type_issues] == [("text", "int", "str")]
    message = str(error)
    assert "did you mean `optional`" in message
    assert "`limit` (needed by `cleaned`)" in message
    assert "input `text` is a `int`, but `cleaned`, `side_effect` expect(s) `str`" in message
    assert calls == []


def test_type_issues_alone() -> None:
    with pytest.raises(InvalidRunError) as caught:
        Driver([cleaned]).execute(inputs={"text": "abc", "limit": "2"})
    assert [issue.input for issue in caught.value.type_issues] == ["limit"]
    assert caught.value.issues == ["input `limit` is a `str`, but `cleaned` expect(s) `int`"]


@dataclass
class Base:
    x: int


class Derived(Base):
    pass


class Unknown:
    pass


def takes_float(value: float) -> float:
    return value


def takes_base(base: Base) -> int:
    return base.x


def takes_mapping(mapping: Mapping[str, int]) -> int:
    return len(mapping)


def takes_sequence(items: Sequence[int]) -> int:
    return len(items)


def takes_generic(pairs: dict[str, list[int]]) -> int:
    return len(pairs)


def takes_union(either: int | str) -> str:
    return str(either)


def takes_optional(maybe: int | None = None) -> int:
    return maybe or 0


def takes_any(anything: Any) -> Any:
    return anything


def takes_default_none(text: str = None) -> str:  # type: ignore[assignment]  # noqa: RUF013
    return text or ""


ACCEPTED = [
    (takes_float, {"value": 1}),
    (takes_float, {"value": True}),
    (takes_base, {"base": Derived(1)}),
    (takes_mapping, {"mapping": {"a": 1}}),
    (takes_sequence, {"items": (1, 2)}),
    (takes_generic, {"pairs": {"a": ["not", "checked", "deeply"]}}),
    (takes_union, {"either": "s"}),
    (takes_optional, {"maybe": None}),
    (takes_any, {"anything": object()}),
    (takes_default_none, {"text": None}),
]
REFUSED = [
    (takes_float, {"value": "1"}),
    (takes_base, {"base": Unknown()}),
    (takes_mapping, {"mapping": [1]}),
    (takes_union, {"either": 1.5}),
    (takes_optional, {"maybe": "1"}),
]


@pytest.mark.parametrize(("node", "inputs"), ACCEPTED)
def test_values_that_fit_are_accepted(node: Any, inputs: dict[str, Any]) -> None:
    Driver([node]).execute(inputs=inputs)


@pytest.mark.parametrize(("node", "inputs"), REFUSED)
def test_values_that_do_not_fit_are_refused(node: Any, inputs: dict[str, Any]) -> None:
    with pytest.raises(InvalidRunError):
        Driver([node]).execute(inputs=inputs)


def test_unknown_types_are_never_refused() -> None:
    def takes_forward(value: NotDefinedAnywhere) -> int:  # type: ignore[name-defined]  # noqa: F821
        return 1

    def takes_unannotated(value) -> int:  # type: ignore[no-untyped-def]
        return 2

    assert Driver([takes_forward]).execute(inputs={"value": object()}) == {"takes_forward": 1}
    assert Driver([takes_unannotated]).execute(inputs={"value": object()}) == {"takes_unannotated": 2}


def test_the_accepted_type_cache_does_not_leak_between_values() -> None:
    driver = Driver([takes_float])
    driver.execute(inputs={"value": 1.0})
    with pytest.raises(InvalidRunError):
        driver.execute(inputs={"value": "x"})


def test_cycles_are_refused_with_the_cycle() -> None:
    def first(second: int) -> int:
        return second

    def second(first: int) -> int:
        return first

    with pytest.raises(InvalidRunError, match="cycle") as caught:
        Driver([first, second]).execute(["first"])
    assert caught.value.problems


def test_graph_errors_outside_the_plan_do_not_block() -> None:
    def good() -> int:
        return 1

    def mismatch(good: str) -> str:
        return good

    driver = Driver([good, mismatch])
    assert driver.execute(["good"]) == {"good": 1}
    with pytest.raises(InvalidRunError, match="type-mismatch"):
        driver.execute(["mismatch"])


def test_a_graph_from_source_cannot_run() -> None:
    graph = Graph.from_sources({"m.py": "def a() -> int:\n    return 1\n"})
    with pytest.raises(InvalidRunError, match="no function to call"):
        Driver(graph).execute()


def test_unknown_overrides_are_refused() -> None:
    with pytest.raises(InvalidRunError, match="unknown override `clened`"):
        Driver([cleaned]).execute(inputs={"text": "a", "limit": 1}, overrides={"clened": "x"})


def test_overrides_satisfy_missing_inputs() -> None:
    assert Driver([cleaned, counted]).execute(["counted"], overrides={"cleaned": "abc"}, inputs={"weights": {}}) == {
        "counted": 3.0
    }


def test_inputs_the_plan_does_not_use_are_ignored() -> None:
    assert Driver([cleaned]).execute(inputs={"text": "abc", "limit": 1, "unused": 1}) == {"cleaned": "a"}
