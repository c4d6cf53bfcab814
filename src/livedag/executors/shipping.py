"""Which node functions must travel by value: those whose module a worker may not be able to import.

Whether this process can import a module by name says nothing about a worker: ``livedag run
path/to/flow.py`` puts the file's folder on this process's ``sys.path`` only, and a notebook's ``%%dag``
cells make modules that exist nowhere else. cloudpickle pickles a function by reference to its module,
and the worker then fails with ``ModuleNotFoundError`` (a worker that dies unpickling the task, on Dask).
So a module goes by reference only when it comes from the environment's own library folders (the
standard library, site-packages, ``PYTHONPATH``: what a worker of the same environment has too); every other module
(the project's files, the notebook's cells) is registered with cloudpickle's ``register_pickle_by_value``,
once each, and the workers need only the libraries it imports.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["by_value_module", "companions", "library_roots", "register"]

_DECIDED: dict[tuple[str, str | None], bool] = {}
"""(module name, file) -> whether it travels by value."""


def library_roots() -> tuple[str, ...]:
    """The folders a worker of the same environment has: the standard library, site-packages, and the
    entries of ``PYTHONPATH`` (the way to tell every process, workers included, where code lives)."""
    paths = sysconfig.get_paths()
    found = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths}
    found.update(site.getsitepackages() if hasattr(site, "getsitepackages") else ())
    found.add(site.getusersitepackages())
    found.update(os.environ.get("PYTHONPATH", "").split(os.pathsep))
    return tuple(sorted({os.path.realpath(path) + os.sep for path in found if path}))


def _from_library(module: ModuleType) -> bool:
    spec = getattr(module, "__spec__", None)
    if module.__name__ in sys.builtin_module_names or (spec is not None and spec.origin in ("built-in", "frozen")):
        return True
    file = getattr(module, "__file__", None)
    if not file:
        return False  # made in memory (a notebook's cells): nowhere for a worker to import it from
    path = os.path.realpath(file)
    return bool(path.startswith(library_roots()))


def _travels_by_value(module: ModuleType) -> bool:
    name = module.__name__
    if name == "__main__" or name.partition(".")[0] == "livedag":  # the workers run livedag itself
        return False
    key = (name, getattr(module, "__file__", None))
    if key not in _DECIDED:
        _DECIDED[key] = not _from_library(module)
    return _DECIDED[key]


def by_value_module(function: Callable[..., Any]) -> ModuleType | None:
    """The function's module when it must travel by value (``__main__`` is left to cloudpickle)."""
    name = getattr(function, "__module__", None)
    module = sys.modules.get(name) if isinstance(name, str) else None
    return module if module is not None and _travels_by_value(module) else None


def companions(module: ModuleType) -> list[ModuleType]:
    """``module`` and the project modules it uses, transitively: the modules it imports, and those of the
    functions and classes it imports (``from helpers import double``), that must travel by value too."""
    found: dict[str, ModuleType] = {module.__name__: module}
    waiting = [module]
    while waiting:
        for value in list(vars(waiting.pop()).values()):
            used = value if isinstance(value, ModuleType) else sys.modules.get(getattr(value, "__module__", None) or "")
            if isinstance(used, ModuleType) and used.__name__ not in found and _travels_by_value(used):
                found[used.__name__] = used
                waiting.append(used)
    return list(found.values())


def register(function: Callable[..., Any], pickler: Any, done: set[str]) -> None:
    """Register the function's module, with its companions, with ``pickler`` (a cloudpickle module) if it
    must go by value."""
    module = by_value_module(function)
    if module is None or module.__name__ in done:
        return
    for each in companions(module):
        if each.__name__ not in done:
            pickler.register_pickle_by_value(each)
            done.add(each.__name__)
