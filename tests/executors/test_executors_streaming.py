"""Generator nodes on Ray stream their items: each item's ``NodeChunk`` reaches the driver while the body
still runs (the body waits for the driver to have seen the previous item), the items stay in Ray's object
store (events carry their refs), and a failure or a cancellation mid-stream behaves as for any node."""

from __future__ import annotations

import asyncio
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from livedag.execution import Driver, NodeChunk, NodeFailed, NodeFinished, RunEvent
from livedag.executors import RayExecutor, RemoteNodeError, SerializationError

pytestmark = pytest.mark.ray

GATED = '''
import os
import pathlib
import time


class Item:
    """Refuses to be unpickled in the driver process, and leaves a mark there if it is (Ray logs and
    swallows an error raised while it only waits for an object)."""

    def __init__(self, k):
        self.k = k

    def __getstate__(self):
        return {"k": self.k}

    def __setstate__(self, state):
        if os.getpid() == DRIVER:
            pathlib.Path(MARK).write_text("unpickled in the driver")
            raise RuntimeError("an item was deserialised in the driver")
        self.k = state["k"]


def wait_for(path):
    """Until the driver saw the previous item (it writes ``path``), or fail after 60 s."""
    deadline = time.monotonic() + 60
    while not pathlib.Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the driver never saw the item before {path}: items were not streamed")
        time.sleep(0.01)


def items(gate: str, n: int) -> Item:
    for k in range(n):
        yield Item(k)
        wait_for(f"{gate}-{k}")
    if FAIL_AT == n:
        raise ValueError(f"stream broke after {n} items")


async def aitems(gate: str, n: int) -> Item:
    for k in range(n):
        yield Item(k * 10)
        wait_for(f"{gate}-a{k}")


def total(items: list, aitems: list) -> int:
    return sum(item.k for item in items) + sum(item.k for item in aitems)
'''


def _module(mark: Path, fail_at: int = -1) -> types.ModuleType:
    module = types.ModuleType(f"livedag_streaming_case_{fail_at}")
    sys.modules[module.__name__] = module
    module.__dict__.update(DRIVER=os.getpid(), FAIL_AT=fail_at, MARK=str(mark))
    exec(compile(GATED, f"<{module.__name__}>", "exec"), module.__dict__)
    return module


async def _stream(driver: Driver, outputs: list[str], gate: Path, n: int) -> list[RunEvent]:
    """The run's events; on each item's chunk, open the gate the body waits on before its next item."""
    events: list[RunEvent] = []
    async for event in driver.astream(outputs, inputs={"gate": str(gate), "n": n}):
        events.append(event)
        if isinstance(event, NodeChunk):
            suffix = "a" if event.node == "aitems" else ""
            Path(f"{gate}-{suffix}{event.index}").write_text("seen")
    return events


@pytest.fixture
def ray_executor(ray_session: Any) -> Any:
    made = RayExecutor()
    yield made
    made.close()


def test_generator_items_reach_the_events_while_the_body_runs_and_stay_remote(
    ray_executor: Any, tmp_path: Path
) -> None:
    ray = pytest.importorskip("ray")
    mark = tmp_path / "unpickled"
    driver = Driver(_module(mark), executor=ray_executor)
    events = asyncio.run(_stream(driver, ["total"], tmp_path / "gate", 3))
    assert not mark.exists()
    chunks = {(event.node, event.index): event.value for event in events if isinstance(event, NodeChunk)}
    assert set(chunks) == {(node, k) for node in ("items", "aitems") for k in range(3)}
    assert all(isinstance(ref, ray.ObjectRef) for ref in chunks.values())  # the items stayed in the store
    order = [(type(event).__name__, getattr(event, "node", "")) for event in events]
    for node in ("items", "aitems"):
        last_chunk = max(k for k, (kind, name) in enumerate(order) if kind == "NodeChunk" and name == node)
        assert order.index(("NodeFinished", node)) > last_chunk
    outputs = [event.value for event in events if isinstance(event, NodeFinished) and event.node == "total"]
    assert outputs[-1] == 0 + 1 + 2 + 0 + 10 + 20


def test_a_streamed_generator_is_the_whole_list_for_its_consumers_and_when_requested(
    ray_executor: Any, tmp_path: Path
) -> None:
    mark = tmp_path / "unpickled"
    driver = Driver(_module(mark), executor=ray_executor)
    gate = tmp_path / "gate"
    events = asyncio.run(_stream(driver, ["total"], gate, 2))
    assert [event.value for event in events if isinstance(event, NodeFinished) and event.node == "total"][-1] == 11
    assert not mark.exists()
    with pytest.raises(Exception, match="deserialised in the driver"):  # requested: fetched, so the check is live
        asyncio.run(_stream(driver, ["items"], gate, 2))
    assert mark.exists()


def test_a_generator_failing_mid_stream_names_the_node_after_its_items(ray_executor: Any, tmp_path: Path) -> None:
    driver = Driver(_module(tmp_path / "unpickled", fail_at=2), executor=ray_executor)
    events = asyncio.run(_stream(driver, ["items"], tmp_path / "gate", 2))
    seen = [
        (type(event).__name__, getattr(event, "index", None))
        for event in events
        if getattr(event, "node", "") == "items"
    ]
    assert seen[:3] == [("NodeStarted", None), ("NodeChunk", 0), ("NodeChunk", 1)]
    failed = [event for event in events if isinstance(event, NodeFailed)]
    assert [event.node for event in failed] == ["items"]
    remote = failed[0].error
    assert isinstance(remote, RemoteNodeError)
    assert "node `items` raised ValueError: stream broke after 2 items" in str(remote)
    assert "in items" in remote.remote_traceback


def test_cancelling_a_run_mid_stream_cancels_the_generator_task(ray_executor: Any, tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    driver = Driver(_module(tmp_path / "unpickled"), executor=ray_executor)
    gate = tmp_path / "gate"

    async def run() -> list[Any]:
        first = asyncio.Event()
        in_flight: list[Any] = []

        async def consume() -> None:
            async for event in driver.astream(["items"], inputs={"gate": str(gate), "n": 3}):
                if isinstance(event, NodeChunk) and not first.is_set():
                    in_flight.extend(ray_executor.running)  # the body waits for gate-0, which never comes
                    first.set()

        task = asyncio.ensure_future(consume())
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return in_flight

    in_flight = asyncio.run(run())
    assert len(in_flight) == 1
    assert not ray_executor.running
    (stream,) = in_flight
    with pytest.raises(ray.exceptions.TaskCancelledError):  # blocks until the task has ended
        ray.get(list(stream))
    assert not Path(f"{gate}-0").exists()


def test_an_unpicklable_item_names_the_node_and_the_type(ray_executor: Any) -> None:
    module = types.ModuleType("livedag_streaming_unpicklable")
    sys.modules[module.__name__] = module
    exec(
        compile("import threading\n\ndef locks(n: int) -> object:\n    yield threading.Lock()\n", "<u>", "exec"),
        module.__dict__,
    )

    async def run() -> list[RunEvent]:
        return [event async for event in Driver(module, executor=ray_executor).astream(["locks"], inputs={"n": 1})]

    failed = [event for event in asyncio.run(run()) if isinstance(event, NodeFailed)]
    assert [event.node for event in failed] == ["locks"]
    error = failed[0].error
    assert isinstance(error, SerializationError)
    assert (error.node, error.what) == ("locks", "value")
    assert "lock" in error.type_name


def test_without_listeners_a_generator_node_runs_as_one_plain_task(ray_executor: Any, tmp_path: Path) -> None:
    for k in range(2):
        (tmp_path / f"gate-{k}").write_text("open")
        (tmp_path / f"gate-a{k}").write_text("open")
    mark = tmp_path / "unpickled"
    driver = Driver(_module(mark), executor=ray_executor)
    assert driver.execute(["total"], inputs={"gate": str(tmp_path / "gate"), "n": 2}) == {"total": 11}
    assert not mark.exists()


PLAIN = """
def numbers(n: int) -> int:
    for k in range(n):
        yield k * k
"""


def test_with_value_previews_asked_for_each_streamed_item_arrives_as_its_value(ray_executor: Any) -> None:
    ray = pytest.importorskip("ray")
    module = types.ModuleType("livedag_streaming_plain")
    sys.modules[module.__name__] = module
    exec(compile(PLAIN, f"<{module.__name__}>", "exec"), module.__dict__)

    async def chunks(fetch_values: bool) -> dict[int, Any]:
        driver = Driver(module, executor=ray_executor, fetch_values=fetch_values)
        found = [event async for event in driver.astream(["numbers"], inputs={"n": 4})]
        return {event.index: event.value for event in found if isinstance(event, NodeChunk)}

    assert asyncio.run(chunks(True)) == {0: 0, 1: 1, 2: 4, 3: 9}
    assert all(isinstance(ref, ray.ObjectRef) for ref in asyncio.run(chunks(False)).values())
