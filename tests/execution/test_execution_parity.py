"""Parity: the corpus run by livedag and by Apache Hamilton 1.90.0 gives the same output values.

Sync modules go through Hamilton's ``Driver`` and async ones through its ``AsyncDriver``; livedag
runs each through ``execute``, ``aexecute`` and ``astream``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from exec_support import load
from hamilton import async_driver, driver

from livedag import Graph
from livedag.execution import Driver, NodeCached, NodeFinished

SYNC = ["arithmetic", "text_stats", "optional_inputs", "records", "chain"]
ASYNC = ["async_fetch", "async_only"]

# (module, outputs or None for every node, extra inputs, overrides)
CASES: list[tuple[str, list[str] | None, dict[str, Any], dict[str, Any]]] = [
    *[(name, None, {}, {}) for name in SYNC + ASYNC],
    ("arithmetic", ["ratio"], {"factor": 2.0}, {}),
    ("arithmetic", ["ratio", "product"], {}, {"total": 10}),
    ("text_stats", ["report"], {}, {"kept": ["b", "a", "b"]}),
    ("optional_inputs", ["length"], {"padding": 3, "punctuation": "?"}, {}),
    ("optional_inputs", ["formal"], {"title": "dr"}, {}),
    ("chain", ["n12"], {}, {"n06": 100}),
    ("chain", ["n05", "n12"], {"seed": 7}, {}),
    ("async_fetch", ["answer"], {"delay": 0.0}, {"merged": ["z", "yy"]}),
    ("async_only", ["balance", "odds"], {"n": 9}, {}),
]


def _outputs(name: str, outputs: list[str] | None) -> list[str]:
    return outputs if outputs is not None else list(Graph.from_modules(load(name)).nodes)


def _hamilton(name: str, outputs: list[str], inputs: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    module = load(name)
    if name in ASYNC:

        async def run() -> dict[str, Any]:
            built = await async_driver.Builder().with_modules(module).build()
            result: dict[str, Any] = await built.execute(outputs, inputs=inputs, overrides=overrides)
            return result

        return asyncio.run(run())
    built = driver.Builder().with_modules(module).build()
    result: dict[str, Any] = built.execute(outputs, inputs=inputs, overrides=overrides)
    return result


@pytest.mark.parametrize(
    ("name", "outputs", "extra", "overrides"), CASES, ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)]
)
def test_same_values_as_hamilton(
    name: str, outputs: list[str] | None, extra: dict[str, Any], overrides: dict[str, Any]
) -> None:
    module = load(name)
    inputs = {**module.INPUTS, **extra}
    wanted = _outputs(name, outputs)
    expected = _hamilton(name, wanted, inputs, overrides)
    livedag_driver = Driver(module)
    assert livedag_driver.execute(wanted, inputs=inputs, overrides=overrides) == expected

    async def through_async() -> tuple[dict[str, Any], dict[str, Any]]:
        values = await livedag_driver.aexecute(wanted, inputs=inputs, overrides=overrides)
        streamed = {
            event.node: event.value
            async for event in livedag_driver.astream(wanted, inputs=inputs, overrides=overrides)
            if isinstance(event, NodeFinished | NodeCached)
        }
        return values, streamed

    values, streamed = asyncio.run(through_async())
    assert values == expected
    assert {key: streamed[key] for key in wanted if key in streamed} == {
        key: value for key, value in expected.items() if key in streamed
    }
    assert set(expected) - set(streamed) <= set(inputs)


def test_every_corpus_module_is_covered() -> None:
    from exec_support import CORPUS

    covered = {case[0] for case in CASES} | {"mixed"} | {"fanout", "fanout_async", "fanout_direct"}  # + _parallel
    assert {path.stem for path in CORPUS.glob("*.py")} == covered
