"""The worker process for real: events on the protocol channel, user output kept off it, crashes."""

from __future__ import annotations

import pytest
from worker_testing import final, nodes

PIPELINE = """
    def a(x: int) -> int:
        return x + 1

    def b(a: int) -> list[int]:
        return [a] * 3

    def c(b: list[int]) -> int:
        raise ValueError(f"bad {len(b)}")

    def d(c: int) -> int:
        return c
    """


def test_a_run_reports_every_node_with_values_durations_and_user_frames(worker, write, tmp_path):
    path = write("pipe.py", PIPELINE)
    messages = worker.run(tmp_path, [path], inputs={"x": 1})
    assert messages[0] == {
        "type": "run-started",
        "run": "r1",
        "nodes": ["a", "b", "c", "d"],
        "time": messages[0]["time"],
    }
    assert ("a", "running") in nodes(messages)
    done = final(messages, "b")
    assert done["status"] == "done"
    assert done["preview"] == "[2, 2, 2]"
    assert done["durationMs"] >= 0
    failed = final(messages, "c")
    assert failed["status"] == "failed"
    assert failed["error"]["type"] == "ValueError"
    assert failed["error"]["message"] == "bad 3"
    assert failed["error"]["frames"] == [{"file": str(path), "line": 9, "function": "c"}]
    assert final(messages, "d")["status"] == "skipped"
    assert messages[-1]["type"] == "run-finished"
    assert messages[-1]["ok"] is False


def test_only_the_outputs_and_their_upstream_run(worker, write, tmp_path):
    path = write("pipe.py", PIPELINE)
    messages = worker.run(tmp_path, [path], outputs=["b"], inputs={"x": 1})
    assert {node for node, _ in nodes(messages)} == {"a", "b"}
    assert messages[-1]["ok"] is True


def test_missing_inputs_are_one_message_listing_them_all(worker, write, tmp_path):
    path = write(
        "pipe.py", "def a(x: int, y: int) -> int:\n    return x\n\ndef b(a: int, z: str) -> str:\n    return z\n"
    )
    (message,) = worker.run(tmp_path, [path])
    assert message["type"] == "run-error"
    assert message["missing"] == ["x", "y", "z"]
    assert "`x`" in message["message"]
    assert "`z`" in message["message"]


def test_what_user_code_prints_never_reaches_the_protocol_channel(worker, write, tmp_path):
    path = write(
        "noisy.py",
        """
        import os
        import sys

        def loud() -> int:
            print("plain print")
            print('{"type": "run-finished", "run": "r1", "ok": true}')
            sys.stdout.write("no newline")
            sys.stdout.flush()
            os.write(1, b"raw fd 1\\n")
            print("to stderr", file=sys.stderr)
            return 1

        def reader() -> str:
            return input()
        """,
    )
    messages = worker.run(tmp_path, [path])
    assert final(messages, "loud")["status"] == "done"
    assert final(messages, "reader")["status"] == "failed"
    assert final(messages, "reader")["error"]["type"] == "EOFError"
    assert messages[-1]["type"] == "run-finished"
    again = worker.run(tmp_path, [path], outputs=["loud"], run="r2")  # the channel still works
    assert again[-1] == {"type": "run-finished", "run": "r2", "ok": True, "durationMs": again[-1]["durationMs"]}
    worker.send({"type": "exit"})
    assert worker.process.wait(timeout=30) == 0
    stderr = worker.process.stderr.read().decode()
    for text in ("plain print", "no newline", "raw fd 1", "to stderr", '"run-finished"'):
        assert text in stderr


def test_a_node_calling_os_exit_ends_the_worker_and_its_channel(worker, write, tmp_path):
    path = write("bye.py", "import os\n\ndef bye() -> int:\n    os._exit(1)\n")
    messages = worker.run(tmp_path, [path])
    assert all(message["type"] in ("run-started", "node") for message in messages)
    assert worker.process.wait(timeout=30) == 1


def test_an_import_error_is_a_run_error_with_the_user_frame(worker, write, tmp_path):
    path = write("broken.py", "def fine() -> int:\n    return 1\n\nraise RuntimeError('at import')\n")
    (message,) = worker.run(tmp_path, [path])
    assert message["type"] == "run-error"
    assert f"RuntimeError: at import (at {path}:4)" in message["message"]
    assert {"file": str(path), "line": 4, "function": "<module>"} in message["error"]["frames"]


def test_a_warm_worker_sees_edits_and_editor_text(worker, write, tmp_path):
    helper = write("helper.py", "FACTOR = 2\n")
    path = write("pipe.py", "from helper import FACTOR\n\ndef v() -> int:\n    return FACTOR\n")
    assert final(worker.run(tmp_path, [path]), "v")["preview"] == "2"
    helper.write_text("FACTOR = 30\n")
    assert final(worker.run(tmp_path, [path], run="r2"), "v")["preview"] == "30"
    edited = {str(path): "from helper import FACTOR\n\ndef v() -> int:\n    return FACTOR + 1\n"}
    assert final(worker.run(tmp_path, [path], run="r3", sources=edited), "v")["preview"] == "31"


@pytest.mark.parametrize("line", [b"not json\n", b'{"type": "unknown"}\n'])
def test_a_bad_request_does_not_stop_the_worker(worker, write, tmp_path, line):
    worker.process.stdin.write(line)
    worker.process.stdin.flush()
    path = write("ok.py", "def one() -> int:\n    return 1\n")
    assert worker.run(tmp_path, [path])[-1]["ok"] is True


def test_an_async_streaming_node_reports_its_first_item_while_it_runs(worker, write, tmp_path):
    path = write(
        "stream.py",
        """
        import asyncio
        from collections.abc import AsyncIterator

        async def letters() -> AsyncIterator[str]:
            for letter in "abc":
                yield letter
                await asyncio.sleep(0)
        """,
    )
    messages = worker.run(tmp_path, [path])
    first_item = next(m for m in messages if m.get("chunks"))
    assert (first_item["status"], first_item["chunks"], first_item["preview"]) == ("running", 1, "'a'")
    assert final(messages, "letters")["preview"] == "['a', 'b', 'c']"


def test_a_run_works_in_the_directory_it_is_given(worker, write, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "n.txt").write_text("7")
    path = write(
        "reads.py",
        "from pathlib import Path\n\ndef n(folder: str) -> int:\n    return int(Path(folder, 'n.txt').read_text())\n",
    )
    messages = worker.run(tmp_path, [path], inputs={"folder": "."}, cwd=str(tmp_path / "data"))
    assert final(messages, "n")["preview"] == "7"


def test_sync_nodes_run_in_the_main_thread_as_everywhere_else(worker, write, tmp_path):
    path = write(
        "threads.py",
        """
        import sqlite3
        import threading

        def connection() -> sqlite3.Connection:
            return sqlite3.connect(":memory:")

        def answer(connection: sqlite3.Connection) -> int:
            return connection.execute("select 42").fetchone()[0]

        def thread() -> str:
            return threading.current_thread().name
        """,
    )
    messages = worker.run(tmp_path, [path])
    assert final(messages, "answer")["preview"] == "42"
    assert final(messages, "thread")["preview"] == "'MainThread'"
