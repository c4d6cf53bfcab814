"""``FinishedRun``: a run that just ended, read straight from the scheduler's arrays, for recorders.

A ``RecordRun`` hook gets one per run instead of a ``Run``: making it copies nothing (no record per
node, no ``Run``), so a recorder can keep it and read it later, in another thread. ``columns()`` gives
the nodes as plain lists, in the order ``Run.records`` has them (cached nodes first). It holds
the run's values (for previews) until it is dropped; nothing writes to the arrays once the run is over.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from livedag.execution.states import DONE, FAILED, STATUS

if TYPE_CHECKING:
    from livedag.execution.scheduler import RunInFlight

__all__ = ["FinishedRun", "RunColumns"]

_CACHED = "cached"
_STATUS_TEXT = tuple(status.value for status in STATUS)
_RAN = (DONE, FAILED)
_DONE_TEXT = STATUS[DONE].value
_NAME = operator.attrgetter("name")


class RunColumns(NamedTuple):
    """A finished run's nodes as columns (one entry per node, ``Run.records``'s order: cached nodes first)."""

    names: tuple[str, ...]
    status: list[str]
    """``RunStatus`` values."""
    started: list[float | None]
    """``time.time()`` when the node's first attempt started (``None``: it never ran)."""
    duration: list[float | None]
    attempts: list[int]
    values: list[Any]
    """Live values of ``done`` and ``cached`` nodes (``None`` for the others); a generator's is its items."""
    errors: dict[int, tuple[BaseException, str]]
    """Position -> the error and its traceback text."""
    skipped_because: dict[int, tuple[str, ...]]
    """Position -> the nodes whose failure skipped it."""


class FinishedRun:
    """What a recorder may read of a finished run (see the module docstring)."""

    __slots__ = ("_state", "duration", "inputs", "ok", "outputs", "run_id", "started")

    def __init__(self, state: RunInFlight) -> None:
        self._state = state
        self.run_id = state.run_id
        self.started = state.wall0
        """``time.time()`` when the run started."""
        self.duration = time.perf_counter() - state.perf0
        self.ok = not state.errors and not state.stopped
        """Every node done (none failed, skipped or cancelled)."""
        self.inputs: Mapping[str, Any] = state.inputs
        """The caller's inputs mapping itself (not a copy)."""
        self.outputs = tuple(name for name, _ in state.plan.outputs)

    def columns(self) -> RunColumns:
        """The nodes, read from the scheduler's arrays with a few list comprehensions."""
        state = self._state
        plan, values, status, nodes = state.plan, state.values, state.status, state.nodes
        cached = [(name, slot) for name, slot in plan.override_slots if name in plan.cached] if plan.cached else []
        shift = state.wall0 - state.perf0
        started, took, attempts = state.started, state.took, state.attempts
        before: list[Any] = [None] * len(cached)
        if self.ok and not plan.blocks:  # every node done, the arrays hold exactly the plan's nodes
            count = len(nodes)
            tries = [1] * count
            for i, attempt in attempts.items():
                tries[i] = attempt
            return RunColumns(
                (*(name for name, _ in cached), *map(_NAME, nodes)),
                [_CACHED] * len(cached) + [_DONE_TEXT] * count,
                before + [start + shift for start in started],
                before + took,
                [0] * len(cached) + tries,
                [values[slot] for _, slot in cached] + values[:count],
                {},
                {},
            )
        indices = range(len(nodes)) if not plan.blocks else [i for i, node in enumerate(nodes) if node is not None]
        ran = [status[i] in _RAN for i in indices]
        names = (*(name for name, _ in cached), *(nodes[i].name for i in indices))  # type: ignore[union-attr]
        columns = RunColumns(
            names,
            [_CACHED] * len(cached) + [_STATUS_TEXT[status[i]] for i in indices],
            before + [started[i] + shift if yes else None for i, yes in zip(indices, ran, strict=True)],
            before + [took[i] if yes else None for i, yes in zip(indices, ran, strict=True)],
            [0] * len(cached) + [attempts.get(i, 1) if yes else 0 for i, yes in zip(indices, ran, strict=True)],
            [values[slot] for _, slot in cached] + [values[i] if status[i] == DONE else None for i in indices],
            {},
            {},
        )
        for position, i in enumerate(indices, len(cached)):
            if i in state.errors:
                columns.errors[position] = state.errors[i]
            if i in state.blocked:
                columns.skipped_because[position] = state.blocked[i][0]
        return columns
