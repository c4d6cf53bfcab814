"""Errors the notebook extension raises in a cell; each renders as one clear message (no traceback
through livedag's own frames), because the details are already in the table under the cell."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["GraphProblemsError", "MissingInputsError", "RunFailedError", "RunInterruptedError", "RunRefusedError"]


class _CellError(Exception):
    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class GraphProblemsError(_CellError):
    """The graph (or the part of it a run needs) has errors: nothing ran. They are listed above."""

    def __init__(self, nodes: Iterable[str]) -> None:
        self.nodes = tuple(dict.fromkeys(nodes))
        super().__init__(
            f"the graph has errors involving {', '.join(f'`{n}`' for n in self.nodes) or 'its nodes'}; "
            "nothing ran (the problems are listed above this message): fix them and re-run the cells"
        )


class MissingInputsError(_CellError):
    """External inputs with no value: not a notebook variable and not in ``--inputs``."""

    def __init__(self, missing: Mapping[str, Iterable[str]], inputs_var: str | None) -> None:
        self.missing = {name: tuple(users) for name, users in missing.items()}
        parts = [f"`{name}` (needed by {', '.join(users)})" for name, users in self.missing.items()]
        source = f"the dict `{inputs_var}` given with --inputs" if inputs_var else "the notebook's variables"
        super().__init__(
            f"no value for the external input(s) {'; '.join(parts)} in {source}; nothing ran. "
            + (
                f"Add them to `{inputs_var}`."
                if inputs_var
                else "Assign them first, e.g. `name = ...`, or pass a dict with `--inputs VAR`."
            )
        )


class RunFailedError(_CellError):
    """A node failed (without ``--graceful``); ``.run`` holds everything the run did compute."""

    def __init__(self, run: Any, node: str, error: BaseException, where: str, traceback: str = "") -> None:
        self.run = run
        self.node = node
        self.error = error
        self.traceback = traceback
        """The node's traceback, the user's frames only (shown by ``%tb`` and under the cell)."""
        location = f" ({where})" if where else ""
        super().__init__(
            f"node `{node}`{location} failed with {type(error).__name__}: {error}. The traceback is in the table "
            "above (click the error); `livedag.kernel.last_run()` or this error's `.run` holds the run. "
            "Use --graceful to keep running what does not depend on it."
        )

    def _render_traceback_(self) -> list[str]:
        return [*self.traceback.rstrip("\n").splitlines(), "", f"{type(self).__name__}: {self}"]


class RunInterruptedError(_CellError):
    """The kernel was interrupted during a run: running nodes were cancelled, the rest did not start.

    What finished before the interrupt is cached and ``.run`` (also ``livedag.kernel.last_run()``) is the
    interrupted run. ``abandoned`` names the nodes whose thread could not be stopped (blocked in C code).
    """

    def __init__(self, counts: Mapping[str, int], cancelled: Iterable[str] = (), abandoned: Iterable[str] = ()) -> None:
        self.counts = dict(counts)
        self.cancelled = tuple(cancelled)
        self.abandoned = tuple(abandoned)
        self.run: Any = None
        done = ", ".join(f"{count} {status}" for status, count in self.counts.items())
        message = (
            f"the run was interrupted ({done}). Values computed before the interrupt are kept (cached): "
            "re-running the cell computes only the rest."
        )
        if self.abandoned:
            names = ", ".join(f"`{name}`" for name in self.abandoned)
            message += (
                f" Node {names} did not stop (its thread is blocked in C code, which Python cannot interrupt): "
                "it was abandoned and goes on in the background until that call returns; its value is discarded."
            )
        super().__init__(message)


class RunRefusedError(_CellError):
    """The run could not start: unknown outputs, input values of the wrong type... (the driver's reasons)."""
