"""IPython's display calls with types: IPython ships them untyped, and the rest of the kernel package is
checked with ``mypy --strict``. Nothing but a typed seam."""

from __future__ import annotations

from typing import Any

from IPython.display import DisplayHandle
from IPython.display import display as _display

__all__ = ["DisplayHandle", "display", "update"]


def display(*objects: Any, **options: Any) -> DisplayHandle | None:
    """``IPython.display.display``; returns the handle when ``display_id=True`` is passed."""
    return _display(*objects, **options)  # type: ignore[no-untyped-call,no-any-return]


def update(handle: DisplayHandle, obj: Any, **options: Any) -> None:
    """``DisplayHandle.update``: redraws an output in place."""
    handle.update(obj, **options)  # type: ignore[no-untyped-call]
