"""Which node functions must travel by value: those whose module a worker could not import by name.

A module loaded from a file path (``livedag run path/to/flow.py``, the test corpus, a notebook's
``%%dag`` cell) is in this process's ``sys.modules`` but not on any worker's ``sys.path``; cloudpickle
then pickles its functions by reference and the worker fails with ``ModuleNotFoundError``. Such
modules are registered with cloudpickle's ``register_pickle_by_value`` (once each).
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["by_value_module", "register"]

_IMPORTABLE: dict[str, bool] = {}


def by_value_module(function: Callable[..., Any]) -> ModuleType | None:
    """The function's module when a worker could not import it by name (``__main__`` is left to cloudpickle)."""
    name = getattr(function, "__module__", None)
    if not name or name == "__main__" or name not in sys.modules:
        return None
    top = name.partition(".")[0]
    if top not in _IMPORTABLE:
        _IMPORTABLE[top] = top in sys.builtin_module_names or importlib.machinery.PathFinder.find_spec(top) is not None
    return None if _IMPORTABLE[top] else sys.modules[name]


def register(function: Callable[..., Any], pickler: Any, done: set[str]) -> None:
    """Register the function's module with ``pickler`` (a cloudpickle module) if it must go by value."""
    module = by_value_module(function)
    if module is not None and module.__name__ not in done:
        pickler.register_pickle_by_value(module)
        done.add(module.__name__)
