"""The executors on real engines: the execution corpus gives the same values as inline, fan-out items
run as separate tasks, failures name the node, values stay on the cluster, and cancelling leaves no
task running. Ray and Dask are started by the session fixtures in ``conftest.py``."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from exec_support import CORPUS, load
from executor_params import ENGINES, REMOTE

from livedag.execution import Driver, NodeFailedError, NodeFinished, NodeTimeoutError, RunStatus
from livedag.executors import RemoteNodeError, SerializationError, WorkerLostError

CORPUS_MODULES = sorted(path.stem for path in CORPUS.glob("*.py"))
_COUNTER = iter(range(10**6))


def _module(source: str, **names: Any) -> types.ModuleType:
    """A module made from text, importable by no worker: its functions travel by value."""
    from hamilton.htypes import Collect, Parallelizable

    module = types.ModuleType(f"livedag_engine_case_{next(_COUNTER)}")
    sys.modules[module.__name__] = module
    module.__dict__.update(Parallelizable=Parallelizable, Collect=Collect, asyncio=asyncio, os=os, time=time, **names)
    exec(compile(source, f"<{module.__name__}>", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
@pytest.mark.parametrize("name", CORPUS_MODULES)
def test_corpus_values_equal_inline(executor: Any, name: str) -> None:
    module = load(name)
    expected = Driver(module).execute(inputs=module.INPUTS)
    assert Driver(module, executor=executor).execute(inputs=module.INPUTS) == expected


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
def test_aexecute_and_events_on_the_engine(executor: Any) -> None:
    module = load("fanout")

    async def run() -> tuple[dict[str, Any], list[str]]:
        driver = Driver(module, executor=executor)
        values = await driver.aexecute(["grand_total"], inputs=module.INPUTS)
        finished = [
            event.node
            async for event in driver.astream(["grand_total"], inputs=module.INPUTS)
            if isinstance(event, NodeFinished)
        ]
        return values, finished

    values, finished = asyncio.run(run())
    assert values == Driver(module).execute(["grand_total"], inputs=module.INPUTS)
    assert {f"shifted[{k}]" for k in range(6)} <= set(finished)


BODY_TIMES = """
def first(seed: int) -> int:
    time.sleep(0.3)
    return seed + 1

def second(first: int) -> int:
    return first * 2
"""


class _Hook:
    def __init__(self) -> None:
        self.records: dict[str, Any] = {}
        self.pids: set[int] = set()

    def after_node(self, *, node: str, record: Any, **_: Any) -> None:
        self.records[node] = record
        self.pids.add(os.getpid())


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
def test_hooks_run_in_the_driver_with_the_times_the_body_ran(executor: Any) -> None:
    hook = _Hook()
    run = Driver(_module(BODY_TIMES), executor=executor, hooks=[hook]).run(inputs={"seed": 1})
    assert run.ok, run.error
    assert hook.pids == {os.getpid()}
    first, second = hook.records["first"], hook.records["second"]
    assert first.duration >= 0.29
    assert second.started >= first.started + 0.29  # when the body ran, not when it was submitted
    assert run.records["first"].duration >= 0.29


FAN_OUT = """
def item(n: int) -> Parallelizable[int]:
    yield from range(n)

def where(item: int) -> tuple:
    time.sleep(0.4)
    return item, os.getpid()

async def awaited(where: tuple) -> tuple:
    await asyncio.sleep(0)
    return where + (os.getpid(), asyncio.get_running_loop() is not None)

def out(awaited: Collect[tuple]) -> list:
    return awaited
"""


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_items_fan_out_as_separate_tasks_and_async_nodes_run_in_the_worker(executor: Any) -> None:
    rows = Driver(_module(FAN_OUT), executor=executor).execute(["out"], inputs={"n": 4})["out"]
    assert [row[0] for row in rows] == [0, 1, 2, 3]  # item order
    pids = {row[1] for row in rows}
    assert len(pids) >= 2  # the items ran in more than one worker process at once
    assert os.getpid() not in pids
    assert all(row[2] != os.getpid() and row[3] for row in rows)  # async bodies: in a worker, on its loop


FAILING = """
def good(seed: int) -> int:
    return seed

def bad(seed: int) -> int:
    raise ValueError(f"no good: {seed}")

def after(bad: int) -> int:
    return bad
"""


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_a_remote_exception_names_the_node_with_the_remote_traceback(executor: Any) -> None:
    with pytest.raises(NodeFailedError) as caught:
        Driver(_module(FAILING), executor=executor).execute(["after"], inputs={"seed": 3})
    assert caught.value.node == "bad"
    remote = caught.value.__cause__
    assert isinstance(remote, RemoteNodeError)
    assert remote.node == "bad"
    assert remote.error_type == "ValueError"
    assert ", line 6, in bad" in remote.remote_traceback  # the worker's frame of the node body
    assert isinstance(remote.__cause__, ValueError)
    assert "node `bad` raised ValueError: no good: 3" in str(remote)


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
def test_graceful_keeps_the_other_branch(executor: Any) -> None:
    run = Driver(_module(FAILING), executor=executor, graceful=True).run(["good", "after"], inputs={"seed": 3})
    assert run.status == {"good": RunStatus.DONE, "bad": RunStatus.FAILED, "after": RunStatus.SKIPPED}
    assert run.outputs == {"good": 3}


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
def test_retries_and_timeouts_are_the_drivers(executor: Any, tmp_path: Path) -> None:
    module = _module("""
def flaky(marker: str) -> int:
    path = __import__("pathlib").Path(marker)
    if not path.exists():
        path.write_text("tried")
        raise RuntimeError("first attempt fails")
    return 7

def stuck(flaky: int) -> int:
    time.sleep(30)
    return flaky
""")
    driver = Driver(
        module, executor=executor, graceful=True, node_options={"flaky": {"retries": 1}, "stuck": {"timeout": 0.5}}
    )
    start = time.perf_counter()
    run = driver.run(inputs={"marker": str(tmp_path / "marker")})
    assert run.records["flaky"].attempts == 2
    assert run.values["flaky"] == 7
    assert isinstance(run.records["stuck"].error, NodeTimeoutError)
    if getattr(executor, "remote", False):
        assert time.perf_counter() - start < 20  # the 30 s body was cancelled on the cluster


VALUE_TRACER = '''
class Tracer:
    """Refuses to be unpickled in the driver process."""

    def __init__(self, size):
        self.size = size

    def __getstate__(self):
        return {"size": self.size}

    def __setstate__(self, state):
        if os.getpid() == DRIVER:
            raise RuntimeError("a node value was deserialised in the driver")
        self.size = state["size"]

def big(n: int) -> Tracer:
    return Tracer(n)

def small(big: Tracer) -> int:
    return big.size * 2
'''


@pytest.mark.parametrize("executor", REMOTE, indirect=True)
def test_values_stay_on_the_cluster_unless_requested(executor: Any) -> None:
    driver = Driver(_module(VALUE_TRACER, DRIVER=os.getpid()), executor=executor)
    assert driver.execute(["small"], inputs={"n": 21}) == {"small": 42}
    with pytest.raises(Exception, match="deserialised in the driver"):  # asked for: fetched (so the check is live)
        driver.execute(["big"], inputs={"n": 21})


CANCEL = """
def forever(signals: str) -> int:
    # Ray interrupts a cancelled body's ``finally`` too: a blocking call to the actor there can hang the
    # worker, so only Dask's body says "stopped".
    started = signal(signals, "started")
    stopped = signal(signals, "stopped") if signals.startswith("dask:") else (lambda: None)
    try:
        # The test cancels once "started" is set, which can be before ``started()`` has returned here:
        # the interruption may land inside it, so it sits in the ``try`` whose ``finally`` says "stopped".
        started()
        for _ in range(2400):  # 120 s: "stopped" within the test's 60 s wait means it was interrupted
            time.sleep(0.05)
    finally:  # the engine's cancellation interrupts the body: say so before it goes (Dask)
        stopped()
    return 1


def signal(signals: str, name: str):
    engine, key = signals.split(":", 1)
    if engine == "ray":
        import ray

        actor = ray.get_actor(key)
        return lambda: ray.get(actor.set.remote(name))
    import distributed

    return distributed.Event(f"{key}-{name}").set


class Signals:
    # Ray: an async actor the node body sets named events on; the test awaits them (no polling).

    def __init__(self):
        self.events = {}

    async def set(self, name):
        self.events.setdefault(name, asyncio.Event()).set()

    async def wait(self, name):
        await self.events.setdefault(name, asyncio.Event()).wait()
"""


@pytest.mark.parametrize("executor", REMOTE, indirect=True)
def test_cancelling_a_run_leaves_no_remote_task_running(executor: Any, tmp_path: Path) -> None:
    key = f"livedag-cancel-{tmp_path.name}"
    module = _module(CANCEL)
    if executor.engine == "Ray":
        import ray

        ray.cloudpickle.register_pickle_by_value(module)  # the actor's class travels by value, as the nodes do
        actor = ray.remote(module.Signals).options(name=key).remote()
        ray.get(actor.set.remote("created"), timeout=60)  # registered under its name before a body looks it up

        async def wait_for(name: str) -> None:
            await asyncio.wait_for(actor.wait.remote(name), 60)

        signals = f"ray:{key}"
    else:
        import distributed

        client = executor.client()

        async def wait_for(name: str) -> None:
            assert await asyncio.to_thread(distributed.Event(f"{key}-{name}", client=client).wait, 60)

        signals = f"dask:{key}"
    driver = Driver(module, executor=executor)

    async def run() -> list[Any]:
        task = asyncio.ensure_future(driver.aexecute(["forever"], inputs={"signals": signals}))
        await wait_for("started")  # the body runs on a worker
        in_flight = list(executor.running)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        if executor.engine == "Dask":
            await wait_for("stopped")  # interrupted mid-loop: it would otherwise run for 120 s
        return in_flight

    in_flight = asyncio.run(run())
    assert in_flight
    assert not executor.running
    if executor.engine == "Ray":  # a cancelled task's value says so once its body has ended (Ray may
        for ref in in_flight:  # interrupt the body's ``finally`` too, so it does not report "stopped")
            with pytest.raises(ray.exceptions.TaskCancelledError):
                ray.get(ref, timeout=60)
        ray.kill(actor)


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_a_dead_worker_fails_its_node_clearly(executor: Any) -> None:
    module = _module("""
def doomed(seed: int) -> int:
    os._exit(3)
""")
    with pytest.raises(NodeFailedError) as caught:
        Driver(module, executor=executor).execute(["doomed"], inputs={"seed": 1})
    lost = caught.value.__cause__
    assert isinstance(lost, WorkerLostError)
    assert lost.node == "doomed"
    assert "worker running it died" in str(lost)
    if executor.engine == "Dask":
        executor.client().wait_for_workers(2, timeout=60)


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_an_unpicklable_argument_names_the_node_and_the_type(executor: Any) -> None:
    import threading

    module = _module("""
def uses(lock: object) -> str:
    return type(lock).__name__
""")
    with pytest.raises(NodeFailedError) as caught:
        Driver(module, executor=executor).execute(["uses"], inputs={"lock": threading.Lock()})
    error = caught.value.__cause__
    assert isinstance(error, SerializationError)
    assert error.node == "uses"
    assert error.what == "argument #0"
    assert error.type_name == "lock"


@pytest.mark.parametrize(
    "executor", [pytest.param("processes"), pytest.param("ray", marks=pytest.mark.ray)], indirect=True
)
def test_an_unpicklable_value_names_the_node_and_the_type(executor: Any) -> None:
    module = _module("""
import threading

def made(seed: int) -> object:
    return threading.Lock()

def used(made: object) -> str:
    return type(made).__name__
""")
    with pytest.raises(NodeFailedError) as caught:
        Driver(module, executor=executor).execute(["used"], inputs={"seed": 1})
    error = caught.value.__cause__
    assert isinstance(error, SerializationError)
    assert error.node == "made"
    assert error.what == "value"
    assert "lock" in error.type_name


@pytest.mark.parametrize(
    "executor",
    ["processes", pytest.param("dask", marks=pytest.mark.dask), pytest.param("ray", marks=pytest.mark.ray)],
)
def test_livedag_run_takes_an_executor(
    executor: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    """The file's folder is on the driver's ``sys.path`` only: the flow and the project module it imports
    (two ways) travel by value, or a worker could not import them."""
    from livedag.cli import main

    if executor == "dask":
        request.getfixturevalue("dask_client")  # the session's cluster is the current client
    elif executor == "ray":
        request.getfixturevalue("ray_session")
    folder = tmp_path / f"project_{executor}"  # each run's modules are new to the driver's ``sys.modules``
    folder.mkdir()
    (folder / f"helpers_{executor}.py").write_text("def offset() -> int:\n    return 1\n\nSTEP = 2\n")
    flow = folder / f"flow_{executor}.py"
    flow.write_text(
        f"import os\n\nimport helpers_{executor} as helpers\nfrom helpers_{executor} import offset\n\n"
        "def where() -> int:\n    return os.getpid()\n\n"
        "def elsewhere(where: int) -> bool:\n    return where != PARENT\n\n"
        "def stepped(where: int) -> int:\n    return helpers.STEP + offset()\n\n"
        f"PARENT = {os.getpid()}\n"
    )
    arguments = ["run", str(flow), "-o", "elsewhere", "-o", "stepped", "--executor", executor, "--format", "json"]
    assert main(arguments) == 0
    assert json.loads(capsys.readouterr().out)["outputs"] == {"elsewhere": True, "stepped": 3}


def test_livedag_run_refuses_an_address_without_a_cluster_executor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from livedag.cli import main

    flow = tmp_path / "flow.py"
    flow.write_text("def one() -> int:\n    return 1\n")
    assert main(["run", str(flow), "--executor", "threads", "--address", "tcp://127.0.0.1:1"]) == 2
    assert "--address goes with --executor ray or dask" in capsys.readouterr().err


@pytest.mark.parametrize("executor", REMOTE, indirect=True)
def test_fetch_values_brings_every_value_back_for_previews(executor: Any) -> None:
    module = load("fanout")
    expected = Driver(module).run(inputs=module.INPUTS).values
    run = Driver(module, executor=executor, fetch_values=True).run(inputs=module.INPUTS)
    assert run.values == expected
    kept = Driver(module, executor=executor).run(["grand_total"], inputs=module.INPUTS)
    assert kept.values["grand_total"] == expected["grand_total"]
    assert kept.values["squared[0]"] != expected["squared[0]"]  # a handle: it stayed on the cluster


GENERATOR = """
def counted(n: int) -> int:
    yield from range(n)

def summed(counted: list) -> int:
    return sum(counted)
"""


@pytest.mark.parametrize("executor", ENGINES, indirect=True)
def test_a_generator_node_left_on_the_cluster_has_a_record(executor: Any) -> None:
    run = Driver(_module(GENERATOR), executor=executor).run(["summed"], inputs={"n": 4})
    assert run.ok, run.error
    assert run.values["summed"] == 6
    assert run.records["counted"].status is RunStatus.DONE
    assert run.records["counted"].chunks == ([] if getattr(executor, "remote", False) else [0, 1, 2, 3])


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_an_unpicklable_function_names_the_node_and_what_it_holds(executor: Any) -> None:
    module = _module("""
import threading

def _guarded():
    lock = threading.Lock()

    def guarded(seed: int) -> int:
        with lock:
            return seed

    return guarded

guarded = _guarded()
""")
    with pytest.raises(NodeFailedError) as caught:
        Driver(module, executor=executor).execute(["guarded"], inputs={"seed": 1})
    error = caught.value.__cause__
    assert isinstance(error, SerializationError)
    assert (error.node, error.what, error.type_name) == ("guarded", "function", "function")
    assert "lock" in str(error) or "local object" in str(error)  # what inside it could not be pickled


@pytest.mark.parametrize("executor", [pytest.param("dask", marks=pytest.mark.dask)], indirect=True)
def test_dask_an_unpicklable_value_fails_naming_the_node_when_it_must_move(executor: Any) -> None:
    module = _module("""
import threading

def made(seed: int) -> object:
    return threading.Lock()

def used(made: object) -> str:
    return type(made).__name__
""")
    driver = Driver(module, executor=executor)
    # Dask pickles a value only to move it: taken on the worker that made it, it never has to.
    with pytest.raises(SerializationError) as caught:
        driver.execute(["made"], inputs={"seed": 1})
    assert (caught.value.node, caught.value.what, caught.value.type_name) == ("made", "value", "_thread.lock")


FAIL_FAST = """
def broken(seed: int, beat: str) -> int:
    path = __import__("pathlib").Path(beat)
    for _ in range(1200):  # fails only once its sibling's body is running (or after 60 s)
        if path.exists():
            break
        time.sleep(0.05)
    raise RuntimeError("broken")

def slow(seed: int, beat: str) -> int:
    path = __import__("pathlib").Path(beat)
    for count in range(1200):  # 60 s
        path.write_text(str(count))
        time.sleep(0.05)
    return seed

def quick(seed: int) -> int:
    return seed
"""


def _beat_stops(beat: Path, within: float) -> bool:
    """Whether the body writing ``beat`` has stopped: the file is unchanged for a whole second."""
    deadline = time.monotonic() + within
    last = beat.read_text()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = beat.read_text()
        if now == last and now:
            return True
        last = now
    return False


@pytest.mark.parametrize("executor", [pytest.param("processes"), *REMOTE], indirect=True)
def test_fail_fast_stops_a_sibling_already_running_on_the_cluster(executor: Any, tmp_path: Path) -> None:
    beat = tmp_path / "beat"
    driver = Driver(_module(FAIL_FAST), executor=executor)
    run = driver.run(["broken", "slow"], inputs={"seed": 1, "beat": str(beat)})
    assert beat.exists()  # ``slow`` was running when ``broken`` failed
    assert run.status["broken"] is RunStatus.FAILED
    assert run.status["slow"] is RunStatus.SKIPPED
    assert not executor.running
    assert _beat_stops(beat, within=30)  # it would write for 60 s
    if executor.engine == "process":  # the pool survived the interruption: its workers run the next node
        assert driver.execute(["quick"], inputs={"seed": 7}) == {"quick": 7}


STUBBORN = """
def stubborn(beat: str) -> int:
    path = __import__("pathlib").Path(beat)
    for count in range(1200):  # 60 s, and it swallows every interrupt
        try:
            path.write_text(str(count))
            time.sleep(0.05)
        except KeyboardInterrupt:
            pass
    return 1
"""


@pytest.mark.ray
def test_ray_a_body_that_ignores_the_cancel_has_its_worker_killed(ray_session: Any, tmp_path: Path) -> None:
    from livedag.executors import RayExecutor

    executor = RayExecutor(force_cancel_after=2.0)
    beat = tmp_path / "beat"
    driver = Driver(_module(STUBBORN), executor=executor)

    async def run() -> None:
        task = asyncio.ensure_future(driver.aexecute(["stubborn"], inputs={"beat": str(beat)}))
        while not beat.exists():
            await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert len(executor.cancelled) == 1  # followed: the interrupt did not end it
    assert executor.cancelled.wait(30)
    assert _beat_stops(beat, within=10)
    executor.close()


@pytest.mark.parametrize("node", ["total", "raw_data", "worked[3]", "a-b[12]"])
def test_dask_task_keys_name_their_node_and_copy(node: str) -> None:
    from livedag.executors.dask import node_of, task_key

    key = task_key(node)
    assert node_of(key) == node
    assert node_of(f"item-{key}-7") == node  # an item of the node's value
    assert node_of("something-else") == "something-else"
