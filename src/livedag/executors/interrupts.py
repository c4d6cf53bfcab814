"""Stopping one running node body in a process-pool worker.

``concurrent.futures`` cannot cancel a call once a worker has taken it, so a fail-fast run, a timeout or a
cancelled ``aexecute`` would leave the body burning a CPU to its end. Each call gets a token; cancelling it
writes the token into a small table shared with the workers and sends ``SIGINT`` to the pool's processes.
A worker's handler raises ``BodyCancelled`` only when the body it is running has a cancelled token, so the
other workers, and a ``SIGINT`` from the terminal (Ctrl-C reaches the whole process group), leave the pool
alone: the driver cancels the run and then its bodies, this way. A call whose token was cancelled before
its body began stops as it begins.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Iterable
from types import FrameType
from typing import Any

from livedag.executors.body import BodyCancelled, Ran, run_body

__all__ = ["Interrupts", "interruptible_body", "start_worker"]

_SLOTS = 64
"""How many cancelled tokens the table remembers (the most recent ones): far more than bodies in flight."""


class Interrupts:
    """The driver's side: tokens for calls, and the table of cancelled ones the workers read."""

    def __init__(self, context: Any) -> None:
        self.table: Any = context.Array("q", _SLOTS, lock=False)  # read by a signal handler: no lock
        self._tokens = itertools.count(1)
        self._slot = 0

    def token(self) -> int:
        return next(self._tokens)

    def interrupt(self, token: int, pids: Iterable[int]) -> None:
        self.table[self._slot % _SLOTS] = token
        self._slot += 1
        for pid in pids:
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                continue  # that worker has gone


_TABLE: Any = None
_CURRENT = 0
"""In a worker: the token of the body running now (0: none)."""


def start_worker(table: Any) -> None:
    """The pool's initializer: remember the table; interrupt only a cancelled body on ``SIGINT``."""
    global _TABLE
    _TABLE = table
    signal.signal(signal.SIGINT, _on_interrupt)


def _cancelled(token: int) -> bool:
    return token != 0 and _TABLE is not None and token in _TABLE[:]


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    if _cancelled(_CURRENT):
        raise BodyCancelled(f"cancelled (call {_CURRENT})")


def interruptible_body(token: int, *arguments: Any) -> tuple[Any, Ran]:
    """``run_body`` in a worker, stoppable through its token."""
    global _CURRENT
    if _cancelled(token):  # cancelled while it waited in the pool's call queue
        raise BodyCancelled(f"cancelled (call {token})")
    _CURRENT = token
    try:
        return run_body(*arguments)
    finally:
        _CURRENT = 0
