"""The notebook's graph, cell by cell: which node functions each ``%%dag`` cell defined.

``CellRegistry`` is pure bookkeeping (no IPython): defining a cell replaces everything that cell
defined before, so a function deleted from a cell leaves the graph; a name already defined by
another cell is a ``DuplicateNodeError`` naming both cells, and the registry is left unchanged.
``cell_functions`` finds the functions a cell's source defined, checked against the namespace so
a name rebound by later code in the same cell is not mistaken for the cell's function.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from livedag.graph import Graph

__all__ = ["CellDefinition", "CellRegistry", "DuplicateNodeError", "cell_functions", "defined_names", "source_key"]


@dataclass(frozen=True, slots=True)
class CellDefinition:
    key: str
    """What identifies the cell across re-runs: the frontend's cell id, ``--cell NAME``, or the source."""
    label: str
    """How messages name the cell, e.g. ``In [3]``."""
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    filename: str | None = None
    """The file tracebacks and spans of this cell's functions point at."""


class DuplicateNodeError(ValueError):
    """Node names that another cell already defines. The graph keeps its previous state."""

    def __init__(self, cell: CellDefinition, clashes: Mapping[str, CellDefinition]) -> None:
        self.cell = cell
        self.clashes = dict(clashes)
        parts = [f"`{name}` is already defined by cell {other.label}" for name, other in clashes.items()]
        super().__init__(
            f"cell {cell.label} defines node names that another cell defines: {'; '.join(parts)}. "
            "A node name must be unique in the notebook's graph: rename one of them, or delete it from the "
            "other cell and re-run that cell. The graph was not changed."
            + (_NO_CELL_IDS_HINT if cell.key.startswith("source:") else "")
        )

    def _render_traceback_(self) -> list[str]:
        return [f"DuplicateNodeError: {self}"]


_NO_CELL_IDS_HINT = (
    " (This frontend sends no cell ids, so an edited cell counts as a new cell: give the cell a name with "
    "`%%dag --cell NAME`, or start again with `%dag reset`.)"
)


class CellRegistry:
    """Cells in first-definition order, each with the node functions it defines."""

    def __init__(self) -> None:
        self._cells: dict[str, CellDefinition] = {}

    @property
    def cells(self) -> Mapping[str, CellDefinition]:
        return dict(self._cells)

    def define(self, cell: CellDefinition) -> None:
        """Replace what ``cell.key`` defined; raises ``DuplicateNodeError`` without changing anything."""
        clashes = {
            name: other
            for other in self._cells.values()
            if other.key != cell.key
            for name in cell.functions
            if name in other.functions
        }
        if clashes:
            raise DuplicateNodeError(cell, clashes)
        self._cells[cell.key] = cell  # a re-defined cell keeps its place in the order

    def remove(self, *keys: str) -> list[str]:
        """Forget cells (deleted in the frontend); returns the node names that left the graph."""
        gone: list[str] = []
        for key in keys:
            cell = self._cells.pop(key, None)
            if cell is not None:
                gone.extend(cell.functions)
        return gone

    def clear(self) -> None:
        self._cells.clear()

    def cell_of(self, name: str) -> CellDefinition | None:
        for cell in self._cells.values():
            if name in cell.functions:
                return cell
        return None

    def functions(self) -> list[Callable[..., Any]]:
        return [fn for cell in self._cells.values() for fn in cell.functions.values()]

    def graph(self, config: Mapping[str, Any] | None = None) -> Graph:
        return Graph.from_functions(*self.functions(), config=config)


def source_key(source: str) -> str:
    """The key of a cell whose frontend sends no cell id: re-running the same source is the same cell."""
    return "source:" + source.strip()


def defined_names(source: str) -> list[str]:
    """Top-level ``def`` / ``async def`` names of a cell, in order (empty when it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        statement.name
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and not statement.name.startswith("_")
    ]


def cell_functions(source: str, namespace: Mapping[str, Any], filename: str) -> dict[str, Callable[..., Any]]:
    """The node functions ``source`` (already executed as ``filename``) left in ``namespace``."""
    found: dict[str, Callable[..., Any]] = {}
    for name in defined_names(source):
        value = namespace.get(name)
        if not callable(value):
            continue
        code = getattr(inspect.unwrap(value), "__code__", None)
        if code is not None and code.co_filename == filename:
            found[name] = value
    return found
