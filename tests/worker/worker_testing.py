"""Helpers for driving a real ``python -m livedag.worker`` process over its pipes."""

from __future__ import annotations

import subprocess
import sys

from livedag.worker.protocol import decode, encode


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "livedag.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.receive()["type"] == "ready"

    def send(self, message):
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def receive(self):
        line = self.process.stdout.readline()
        return decode(line) if line else None

    def run(self, root, files, outputs=None, inputs=None, run="r1", **extra):
        """Send a run and collect its messages up to its last one (``run-finished`` or ``run-error``)."""
        self.send(
            {
                "type": "run",
                "run": run,
                "root": str(root),
                "files": [str(f) for f in files],
                "outputs": outputs,
                "inputs": inputs or {},
                **extra,
            }
        )
        messages = []
        while (message := self.receive()) is not None:
            messages.append(message)
            if message["type"] in ("run-finished", "run-error"):
                break
        return messages

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


def nodes(messages):
    return [(m["node"], m["status"]) for m in messages if m["type"] == "node"]


def final(messages, node):
    return [m for m in messages if m["type"] == "node" and m["node"] == node][-1]
