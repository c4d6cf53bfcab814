"""The errors a run raises: each carries structured fields and a message that says what to do.

- ``InvalidRunError``: the run was refused before anything ran (unknown outputs, missing inputs,
  input values of the wrong type, graph errors such as cycles), every issue listed at once.
- ``NodeFailedError``: a node raised; names the node and where it is defined, chains the original
  exception (``__cause__``) and carries the ``Run`` with everything that did succeed.
- ``NodeTimeoutError``: the ``TimeoutError`` a node attempt fails with when its timeout expires.
- ``RunningLoopError``: ``execute()`` called where an event loop is already running.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livedag.graph import NodeSpec, Problem

if TYPE_CHECKING:
    from livedag.execution.result import Run

__all__ = [
    "ExecutionError",
    "InputTypeIssue",
    "InvalidRunError",
    "NodeFailedError",
    "NodeTimeoutError",
    "RunningLoopError",
    "where",
]


class ExecutionError(Exception):
    """Base class of the errors the driver raises itself."""


def where(spec: NodeSpec | None) -> str:
    """``path:line`` of a node's definition, or its module when there is no source location."""
    return "?" if spec is None else spec.location


@dataclass(frozen=True, slots=True)
class InputTypeIssue:
    """An input value whose type a node parameter does not accept."""

    input: str
    value_type: str
    expected: str
    nodes: tuple[str, ...]

    def describe(self) -> str:
        users = ", ".join(f"`{node}`" for node in self.nodes)
        return f"input `{self.input}` is a `{self.value_type}`, but {users} expect(s) `{self.expected}`"


class InvalidRunError(ExecutionError):
    """Refused before anything ran; every issue found is listed (and kept in the fields)."""

    def __init__(
        self,
        *,
        unknown_outputs: Sequence[str] = (),
        unknown_overrides: Sequence[str] = (),
        missing_inputs: Mapping[str, Sequence[str]] | None = None,
        type_issues: Sequence[InputTypeIssue] = (),
        problems: Sequence[Problem] = (),
        other: Sequence[str] = (),
        known: Sequence[str] = (),
    ) -> None:
        self.unknown_outputs = tuple(unknown_outputs)
        self.unknown_overrides = tuple(unknown_overrides)
        self.missing_inputs = {name: tuple(users) for name, users in (missing_inputs or {}).items()}
        self.type_issues = tuple(type_issues)
        self.problems = tuple(problems)
        self.other = tuple(other)
        self.issues = self._issues(known)
        count = len(self.issues)
        self.message = f"cannot run: {count} issue{'s' if count != 1 else ''}\n" + "\n".join(
            f"  - {issue}" for issue in self.issues
        )
        super().__init__(self.message)

    def _issues(self, known: Sequence[str]) -> list[str]:
        import difflib

        def suggest(name: str) -> str:
            close = difflib.get_close_matches(name, list(known), n=1)
            return f" (did you mean `{close[0]}`?)" if close else ""

        issues = [
            f"unknown output `{name}`{suggest(name)}: not a node or input of the graph" for name in self.unknown_outputs
        ]
        issues += [
            f"unknown override `{name}`{suggest(name)}: not a node or input of the graph"
            for name in self.unknown_overrides
        ]
        if self.missing_inputs:
            listed = "; ".join(
                f"`{name}` (needed by {', '.join(f'`{user}`' for user in users)})"
                for name, users in self.missing_inputs.items()
            )
            issues.append(f"missing required input(s): {listed}: pass them in inputs={{...}}")
        issues += [issue.describe() for issue in self.type_issues]
        issues += [problem.format() for problem in self.problems]
        issues += list(self.other)
        return issues

    def __str__(self) -> str:
        return self.message


class NodeFailedError(ExecutionError):
    """A node raised. ``node`` is its name, ``run`` the run so far, ``__cause__`` the original error."""

    def __init__(self, node: str, spec: NodeSpec | None, error: BaseException, run: Run) -> None:
        self.node = node
        self.path = spec.span.path if spec is not None and spec.span is not None else None
        self.line = spec.span.line if spec is not None and spec.span is not None else None
        self.error = error
        self.run = run
        others = [name for name in run.failed if name != node]
        extra = f"; also failed: {', '.join(f'`{name}`' for name in others)}" if others else ""
        self.message = (
            f"node `{node}` ({where(spec)}) failed: {type(error).__name__}: {error}{extra}. "
            "Fix the node or its inputs; `run.values` on this error holds what was computed, "
            "and `Driver(..., graceful=True)` keeps running the branches that do not need it"
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NodeTimeoutError(TimeoutError):
    """One attempt of a node ran longer than its ``timeout``."""

    def __init__(self, node: str, timeout: float, attempt: int, attempts: int) -> None:
        self.node = node
        self.timeout = timeout
        self.attempt = attempt
        super().__init__(
            f"node `{node}` timed out after {timeout:g} s (attempt {attempt} of {attempts}); raise its "
            "timeout with @livedag.node(timeout=...) or Driver(node_options={...})"
        )


class RunningLoopError(ExecutionError, RuntimeError):
    """``execute()`` inside a running event loop (a notebook cell, an async handler)."""

    def __init__(self) -> None:
        super().__init__(
            "execute() cannot run here: an asyncio event loop is already running in this thread "
            "(a notebook, an async web handler). Use `await driver.aexecute(...)` "
            "(or `await driver.arun(...)`, `async for event in driver.astream(...)`) instead"
        )
