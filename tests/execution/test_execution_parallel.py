"""Dynamic parallelism (``Parallelizable[T]`` / ``Collect[T]``) in the driver, sync and async.

Values are compared with Hamilton 1.90's dynamic execution; Hamilton cannot run async items at all,
so the async module is compared with a sync twin Hamilton runs. Concurrency is checked with wide
margins; cancellation must leave no task behind.
"""

from __future__ import annotations

import asyncio
import sys
import time
import types
from typing import Any

import pytest
from exec_support import load
from hamilton import driver as hamilton_driver
from hamilton.htypes import Collect, Parallelizable

from livedag import Graph
from livedag.execution import Driver, NodeChunk, NodeFailedError, NodeFinished, RunStatus
from livedag.graph.parallel import ParallelError, find_blocks


def _hamilton(module: types.ModuleType, outputs: list[str], inputs: dict[str, Any]) -> dict[str, Any]:
    built = (
        hamilton_driver.Builder().with_modules(module).enable_dynamic_execution(allow_experimental_mode=True).build()
    )
    result: dict[str, Any] = built.execute(outputs, inputs=inputs)
    return result


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(f"livedag_parallel_{name}")
    sys.modules[module.__name__] = module
    module.__dict__.update(Parallelizable=Parallelizable, Collect=Collect, asyncio=asyncio)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("outputs", [["total", "grand_total"], ["grand_total"], ["total"]])
def test_sync_fan_out_equals_hamilton(outputs: list[str]) -> None:
    module = load("fanout")
    expected = _hamilton(module, outputs, module.INPUTS)
    livedag = Driver(module)
    assert livedag.execute(outputs, inputs=module.INPUTS) == expected
    assert asyncio.run(livedag.aexecute(outputs, inputs=module.INPUTS)) == expected


def test_async_items_equal_hamiltons_sync_twin() -> None:
    module = load("fanout_async")
    twin = _module(
        "fanout_sync_twin",
        """
def page(pages: list) -> Parallelizable[str]:
    yield from pages

def fetched(page: str, delay: float) -> str:
    return page.upper()

def size(fetched: str) -> int:
    return len(fetched)

def sizes(size: Collect[int]) -> list:
    return list(size)

def longest(sizes: list) -> int:
    return max(sizes)
""",
    )
    outputs = ["sizes", "longest"]
    expected = _hamilton(twin, outputs, module.INPUTS)
    assert Driver(module).execute(outputs, inputs=module.INPUTS) == expected
    assert asyncio.run(Driver(module).aexecute(outputs, inputs=module.INPUTS)) == expected


def test_items_collected_in_item_order_even_when_they_finish_in_reverse() -> None:
    module = _module(
        "reverse",
        """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

async def slow(item: int, n: int) -> int:
    for _ in range((n - item) * 3):
        await asyncio.sleep(0)
    return item * 10

def gathered(slow: Collect[int]) -> list:
    return slow
""",
    )
    finished: list[str] = []

    async def run() -> dict[str, Any]:
        values: dict[str, Any] = {}
        async for event in Driver(module).astream(["gathered"], inputs={"n": 5}):
            if isinstance(event, NodeFinished):
                finished.append(event.node)
                values[event.node] = event.value
        return values

    values = asyncio.run(run())
    assert values["gathered"] == [0, 10, 20, 30, 40]
    order = [name for name in finished if name.startswith("slow[")]
    assert order == [f"slow[{k}]" for k in (4, 3, 2, 1, 0)]


@pytest.mark.parametrize("words", ["one two three", ""])
@pytest.mark.parametrize("outputs", [["joined"], ["batches"], ["word", "batches", "joined"]])
def test_a_collect_naming_the_parallelizable_node_equals_hamilton(outputs: list[str], words: str) -> None:
    module = load("fanout_direct")
    inputs = {"words": words}
    expected = _hamilton(module, outputs, inputs)
    assert expected.get("batches", [words.split()]) == [words.split()]  # Hamilton's: the whole value, one item
    livedag = Driver(module)
    assert livedag.execute(outputs, inputs=inputs) == expected
    assert asyncio.run(livedag.aexecute(outputs, inputs=inputs)) == expected
    built = hamilton_driver.Builder().with_modules(module).enable_dynamic_execution(allow_experimental_mode=True)
    hamilton_graph = built.build().graph
    graph = Graph.from_modules(module)
    assert {name: sorted(graph.dependencies(name)) for name in graph.nodes} == {
        name: sorted(node.input_types) for name, node in hamilton_graph.nodes.items() if not node.user_defined
    }
    run = livedag.run(["joined"], inputs=inputs)
    assert set(run.records) == {"word", "batches", "joined"}  # no per-item copies: nothing runs per item


def test_a_block_node_next_to_a_collect_naming_the_parallelizable_node_still_runs_per_item() -> None:
    module = _module(
        "direct_and_block",
        """
def word(words: str) -> Parallelizable[str]:
    yield from words.split()

def upper(word: str) -> str:
    return word.upper()

def whole(word: Collect[str]) -> list:
    return list(word)
""",
    )
    outputs = ["upper", "whole"]
    expected = {"upper": ["A", "B"], "whole": [["a", "b"]]}  # Hamilton 1.90 fails on this one (KeyError)
    assert Driver(module).execute(outputs, inputs={"words": "a b"}) == expected
    assert asyncio.run(Driver(module).aexecute(outputs, inputs={"words": "a b"})) == expected


def test_empty_input_collects_nothing() -> None:
    fanout = load("fanout")
    assert Driver(fanout).execute(["total"], inputs={"count": 0, "offset": 1}) == {"total": []}


def test_async_items_run_concurrently_on_one_loop() -> None:
    module = _module(
        "concurrent",
        """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

async def wait(item: int) -> int:
    await asyncio.sleep(0.2)
    return item

def done(wait: Collect[int]) -> int:
    return sum(wait)
""",
    )
    start = time.perf_counter()
    assert asyncio.run(Driver(module).aexecute(["done"], inputs={"n": 3})) == {"done": 3}
    assert time.perf_counter() - start < 0.6  # three 0.2 s awaits, overlapped


FAILING = """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

async def checked(item: int) -> int:
    if item == 1:
        raise ValueError(f"bad item {item}")
    await asyncio.sleep(0 if item == 0 else 30)
    return item

def out(checked: Collect[int]) -> list:
    return checked
"""


def test_fail_fast_cancels_the_other_items_and_names_the_copy() -> None:
    module = _module("failing", FAILING)
    start = time.perf_counter()
    with pytest.raises(NodeFailedError) as caught:
        asyncio.run(Driver(module).aexecute(["out"], inputs={"n": 3}))
    assert caught.value.node == "checked[1]"
    assert "bad item 1" in str(caught.value)
    assert time.perf_counter() - start < 10  # the 30 s item was cancelled, not awaited
    run = caught.value.run
    assert run.status["checked[2]"] is RunStatus.SKIPPED  # cancelled while it waited
    assert run.status["out"] is RunStatus.SKIPPED


def test_graceful_keeps_the_other_items_and_skips_the_collector() -> None:
    module = _module("graceful", FAILING.replace("30", "0"))
    run = asyncio.run(Driver(module, graceful=True).arun(["out"], inputs={"n": 3}))
    assert run.status["checked[1]"] is RunStatus.FAILED
    assert run.status["checked[0]"] is RunStatus.DONE
    assert run.status["checked[2]"] is RunStatus.DONE
    assert run.status["out"] is RunStatus.SKIPPED
    assert run.records["out"].skipped_because == ("checked[1]",)


def test_timeout_and_retries_apply_to_each_item() -> None:
    module = _module(
        "flaky",
        """
ATTEMPTS = {}

def item(n: int) -> Parallelizable[int]:
    yield from range(n)

async def flaky(item: int) -> int:
    ATTEMPTS[item] = ATTEMPTS.get(item, 0) + 1
    if ATTEMPTS[item] < 2:
        raise RuntimeError("first attempt fails")
    if item == 2:
        await asyncio.sleep(30)
    return item

def out(flaky: Collect[int]) -> list:
    return flaky
""",
    )
    run = asyncio.run(
        Driver(module, graceful=True, node_options={"flaky": {"retries": 1, "timeout": 0.3}}).arun(
            ["out"], inputs={"n": 3}
        )
    )
    assert module.ATTEMPTS == {0: 2, 1: 2, 2: 2}
    assert run.records["flaky[0]"].attempts == 2
    assert run.status["flaky[1]"] is RunStatus.DONE
    assert run.status["flaky[2]"] is RunStatus.FAILED
    assert "timed out after 0.3 s" in str(run.records["flaky[2]"].error)


def test_cancelling_the_run_leaves_no_task_behind() -> None:
    module = _module(
        "cancel",
        """
STARTED = []

def item(n: int) -> Parallelizable[int]:
    yield from range(n)

async def forever(item: int) -> int:
    STARTED.append(item)
    await asyncio.sleep(60)
    return item

def out(forever: Collect[int]) -> list:
    return forever
""",
    )

    async def run() -> set[asyncio.Task[Any]]:
        task = asyncio.ensure_future(Driver(module).aexecute(["out"], inputs={"n": 4}))
        while len(module.STARTED) < 4:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return {other for other in asyncio.all_tasks() if other is not asyncio.current_task()}

    assert asyncio.run(run()) == set()


def test_generator_items_are_streamed_as_chunks_and_sync_items_run_without_a_task_per_item() -> None:
    module = load("fanout")

    async def run() -> list[Any]:
        return [
            event.value
            async for event in Driver(module).astream(["total"], inputs=module.INPUTS)
            if isinstance(event, NodeChunk)
        ]

    assert asyncio.run(run()) == [1, 2, 3, 4, 5, 6]


def test_the_block_node_record_holds_the_per_item_values() -> None:
    module = load("fanout")
    run = Driver(module).run(["total"], inputs={"count": 3, "offset": 0})
    assert run.values["squared"] == [1, 4, 9]
    assert run.values["squared[2]"] == 9


@pytest.mark.parametrize(
    ("source", "node", "message"),
    [
        (
            """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

def doubled(item: int) -> int:
    return item * 2
""",
            "item",
            "reaches no Collect",
        ),
        (
            """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

def doubled(item: int) -> int:
    return item * 2

def out(doubled: Collect[int]) -> list:
    return doubled

def leak(doubled: int, out: list) -> int:
    return doubled
""",
            "leak",
            "outside the block",
        ),
    ],
)
def test_layouts_the_driver_cannot_run_are_refused_naming_the_node(source: str, node: str, message: str) -> None:
    graph = Graph.from_modules(_module("bad", source))
    order = graph.topological_order()
    with pytest.raises(ParallelError) as caught:
        find_blocks(order, {name: graph.node_dependencies(name) for name in order}, graph.nodes)
    assert caught.value.node == node
    assert message in str(caught.value)
