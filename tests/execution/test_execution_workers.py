"""Workers: async nodes start in a worker task and only suspending ones cost a task of their own.

A node's first step runs in the worker that took it; the rest of the queue is handed to new workers
the moment a node suspends, so task-scoped asyncio features (timeouts, task groups) see the task
that really runs the node, and independent nodes still overlap.
"""

from __future__ import annotations

import asyncio

import pytest

from livedag.execution import Driver, NodeFailedError


def _own_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task.get_name().startswith("livedag:")}


async def test_nodes_that_never_suspend_need_no_task() -> None:
    seen: list[int] = []

    def make(index: int):
        async def node(seed: int) -> int:
            seen.append(len(_own_tasks()))
            return seed + index

        node.__name__ = f"n{index}"
        return node

    nodes = [make(index) for index in range(20)]
    values = await Driver(nodes).aexecute(inputs={"seed": 1})
    assert values == {f"n{index}": 1 + index for index in range(20)}
    assert seen == [0] * 20


async def test_each_suspending_node_runs_in_its_own_task() -> None:
    tasks: dict[str, asyncio.Task[object] | None] = {}
    release = asyncio.Event()

    def make(name: str):
        async def node() -> str:
            tasks[name] = asyncio.current_task()
            if len(tasks) == 3:
                release.set()
            await release.wait()
            assert asyncio.current_task() is tasks[name]
            return name

        node.__name__ = name
        return node

    values = await Driver([make("a"), make("b"), make("c")]).aexecute()
    assert values == {"a": "a", "b": "b", "c": "c"}
    assert len({id(task) for task in tasks.values()}) == 3


async def test_asyncio_timeout_inside_a_node_cancels_only_that_node() -> None:
    async def bounded() -> str:
        try:
            async with asyncio.timeout(0.02):
                await asyncio.sleep(10)
        except TimeoutError:
            return "timed out inside"
        return "not reached"

    async def sibling() -> str:
        await asyncio.sleep(0.05)
        return "sibling done"

    for nodes in ([bounded, sibling], [sibling, bounded]):
        assert await Driver(nodes).aexecute() == {"bounded": "timed out inside", "sibling": "sibling done"}
        assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]


async def test_a_task_group_failing_inside_a_node_fails_only_that_node() -> None:
    async def grouped() -> int:
        async def child() -> None:
            await asyncio.sleep(0)
            raise KeyError("child")

        async with asyncio.TaskGroup() as group:
            group.create_task(child())
            group.create_task(asyncio.sleep(10))
        return 1

    async def sibling() -> str:
        await asyncio.sleep(0.02)
        return "ok"

    for nodes in ([grouped, sibling], [sibling, grouped]):
        run = await Driver(nodes, graceful=True).arun()
        assert run.failed == ("grouped",)
        assert isinstance(run.records["grouped"].error, ExceptionGroup)
        assert run.values == {"sibling": "ok"}
    with pytest.raises(NodeFailedError):
        await Driver([grouped, sibling]).aexecute()
    assert not _own_tasks()


async def test_queued_nodes_are_handed_on_when_a_node_fails_in_graceful_mode() -> None:
    async def failing() -> int:
        raise ValueError("first step")

    async def later_a() -> str:
        await asyncio.sleep(0)
        return "a"

    async def later_b() -> str:
        return "b"

    run = await Driver([later_a, later_b, failing], graceful=True).arun()
    assert run.values == {"later_a": "a", "later_b": "b"}
    assert run.failed == ("failing",)


async def test_many_concurrent_runs_of_one_driver_keep_their_values_apart() -> None:
    from exec_support import load

    module = load("async_fetch")
    driver = Driver(module)
    queries = [f"Query {index}" for index in range(200)]
    expected = [await driver.aexecute(["answer", "merged"], inputs={"query": q, "delay": 0.0}) for q in queries]
    concurrent = await asyncio.gather(
        *(driver.aexecute(["answer", "merged"], inputs={"query": q, "delay": 0.001}) for q in queries)
    )
    assert list(concurrent) == expected
    assert not _own_tasks()
