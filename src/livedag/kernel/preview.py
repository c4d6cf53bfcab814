"""Value previews for the results table: a short ``repr``, or the head of a DataFrame-like value.

Pure functions, no pandas import: a value is "table-like" when it has ``columns`` and a ``head``
method (pandas, polars, and most DataFrame libraries). Previews never raise: a user object whose
``repr`` fails is shown as ``<unrepresentable T>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livedag.execution.progress import preview

__all__ = ["TableHead", "short_repr", "table_head"]

_CELL_LIMIT = 30


@dataclass(frozen=True, slots=True)
class TableHead:
    """The first rows of a DataFrame-like value, as strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shape: tuple[int, ...] | None
    type_name: str


def short_repr(value: Any, limit: int = 80) -> str:
    """A one-line ``repr`` of at most ``limit`` characters (the driver's preview, so the CLI and the editor agree)."""
    return preview(value, limit)


def table_head(value: Any, rows: int = 5) -> TableHead | None:
    """The head of a DataFrame-like value (duck typed), or None for anything else."""
    if isinstance(value, type) or not callable(getattr(value, "head", None)):
        return None
    try:
        columns = getattr(value, "columns", None)
        if columns is None:
            return None
        head = value.head(rows)
        values = _row_values(head)
        if values is None:
            return None
        shape = getattr(value, "shape", None)
        return TableHead(
            columns=tuple(_cell(column) for column in columns),
            rows=tuple(tuple(_cell(item) for item in row) for row in values),
            shape=tuple(int(n) for n in shape) if isinstance(shape, tuple) else None,
            type_name=type(value).__name__,
        )
    except Exception:  # noqa: BLE001 - anything odd about the object: fall back to its repr
        return None


def _row_values(head: Any) -> list[tuple[Any, ...]] | None:
    if callable(getattr(head, "itertuples", None)):  # pandas
        return [tuple(row) for row in head.itertuples(index=False)]
    if callable(getattr(head, "rows", None)):  # polars
        return [tuple(row) for row in head.rows()]
    if callable(getattr(head, "to_dict", None)):
        columns = head.to_dict()
        if isinstance(columns, dict):
            lists = [list(values.values()) if isinstance(values, dict) else list(values) for values in columns.values()]
            return list(zip(*lists, strict=False))
    return None


def _cell(value: Any) -> str:
    return short_repr(value, _CELL_LIMIT) if not isinstance(value, str) else _clip(value)


def _clip(text: str) -> str:
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…"
