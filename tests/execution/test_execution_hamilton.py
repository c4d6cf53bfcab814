"""Nodes that Hamilton's function modifiers make run through livedag's driver with Hamilton's values, sync
and async: the parity corpus of ``tests/graph/hamilton_corpus`` (every non-parallel modifier, singly and
stacked) executed by Apache Hamilton's driver and by livedag's ``execute`` and ``aexecute``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hamilton import driver as hamilton_driver

from hamilton_corpus_loading import CORPUS, loaded
from livedag import Graph
from livedag.execution import Driver, InvalidRunError

PARALLEL = {"parallel", "parallel_alias"}  # fan-out is the driver's own feature, tested with it
CASES = [
    (name, config)
    for name in sorted(path.stem for path in CORPUS.glob("*.py"))
    if name not in PARALLEL
    for config in ({}, {"kind": "pdf", "region": "us", "version": 1, "split": "even"})
]
INPUTS = {"raw": 7, "values": [1.0, 2.0, 4.0], "total": 9, "x": 5, "rows": 3, "text_source": "t"}


def comparable(value: Any) -> Any:
    if isinstance(value, dict):  # a loader's metadata says when it ran
        return {key: comparable(item) for key, item in value.items() if key != "timestamp"}
    if isinstance(value, tuple):
        return tuple(comparable(item) for item in value)
    if isinstance(value, pd.Series | pd.DataFrame):
        return value.to_dict()
    if type(value).__name__ == "ValidationResult":
        return (value.passes, value.message)
    return value


@pytest.mark.parametrize(("name", "config"), CASES, ids=[f"{n}-{bool(c)}" for n, c in CASES])
def test_values_equal_hamiltons(name: str, config: dict[str, Any], tmp_path: Path) -> None:
    with loaded(name) as module:
        graph = Graph.from_modules(module, config=config)
        # Hamilton hands config values to the nodes that take them; livedag takes them as inputs.
        inputs = {key: value for key, value in {**INPUTS, **config}.items() if key in graph.inputs}
        if "config_path" in graph.inputs:
            (tmp_path / "c.json").write_text('{"a": 1}')
            inputs["config_path"] = str(tmp_path / "c.json")
        outputs = [n for n in graph.nodes if not n.startswith("written")]  # `save_to` writes a file
        hamilton = hamilton_driver.Builder().with_modules(module).with_config(config).build()
        try:
            expected = hamilton.execute(outputs, inputs={k: v for k, v in inputs.items() if k not in config})
        except ValueError:  # a missing input (the config leaves it unproduced), a config value of the wrong type
            with pytest.raises((InvalidRunError, TypeError)):
                Driver(graph).execute(outputs, inputs=inputs)
            return
        sync = Driver(graph).execute(outputs, inputs=inputs)
        asynchronous = asyncio.run(Driver(graph).aexecute(outputs, inputs=inputs))
    assert set(sync) == set(asynchronous) == set(expected)
    for key in outputs:
        assert comparable(sync[key]) == comparable(expected[key]), key
        assert comparable(asynchronous[key]) == comparable(expected[key]), key


def test_the_driver_expands_modules_it_is_given() -> None:
    with loaded("extract_fields_dict") as module:
        values = Driver(module).execute(["report", "mean"], inputs={"values": [1.0, 3.0]})
    assert values == {"report": "2.0 2.0 2 1.0 3.0", "mean": 2.0}


def test_livedag_node_options_apply_to_the_nodes_a_modifier_makes() -> None:
    from hamilton.function_modifiers import extract_fields

    import livedag

    @livedag.node(retries=2)
    @extract_fields({"half": float})
    def flaky(total: float) -> dict:
        flaky.calls += 1  # type: ignore[attr-defined]
        if flaky.calls < 3:  # type: ignore[attr-defined]
            raise RuntimeError("not yet")
        return {"half": total / 2}

    flaky.calls = 0  # type: ignore[attr-defined]
    graph = Graph.from_functions(flaky)
    assert graph.nodes["flaky"].options == {"retries": 2}
    assert Driver(graph).execute(["half"], inputs={"total": 3.0}) == {"half": 1.5}
