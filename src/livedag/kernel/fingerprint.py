"""A node function's fingerprint: its source and, transitively, the notebook code and constants it uses.

Editing a helper (``_price_with_tax``), a class or a constant (``TAX = 0.25``) that a node reads from
the notebook changes the node's fingerprint, so its cached value is not reused. What is followed, from
the names the function's code (and the code nested in it) reads as globals, and its closure:

- functions and classes defined in the notebook (their ``__module__`` is the notebook's): their source
  (a class: its methods' sources and plain attributes, and its notebook-defined bases), recursively;
- plain constants: numbers, strings, bytes, booleans, None, and lists, tuples, dicts, sets of them.

Not tracked: modules and anything imported, objects of other types (a DataFrame in a global, an
instance), and objects changed in place behind a name the node reads through an attribute
(``config.rate = 2``). ``--force`` recomputes everything. Pure: no IPython.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["fingerprint"]

_SCALARS = (int, float, complex, str, bytes, bool, type(None))
_CONTAINERS = (list, tuple, set, frozenset, dict)
_MAX_ITEMS = 10_000
"""A constant container larger than this is not tracked (reading it on every run would cost too much)."""


def fingerprint(function: Callable[..., Any]) -> str:
    """Source text of ``function`` and of everything notebook-defined it reaches, with constants' values."""
    parts: list[str] = []
    seen: set[int] = set()
    pending: list[Any] = [inspect.unwrap(function)]
    while pending:  # explicit stack: a helper chain has no recursion limit
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, type):
            parts.append(_class_text(item, pending))
        else:
            parts.append(_function_text(item, pending))
    return "\n".join(parts)


def _source(target: Any) -> str:
    try:
        return inspect.getsource(target)
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        return _code_text(code) if code is not None else repr(target)


def _code_text(code: types.CodeType) -> str:
    """A code object's bytes and constants (nested code included), without memory addresses."""
    consts = [_code_text(const) if isinstance(const, types.CodeType) else repr(const) for const in code.co_consts]
    return repr((code.co_code, code.co_names, consts))


def _function_text(function: Any, pending: list[Any]) -> str:
    code = getattr(function, "__code__", None)
    namespace = getattr(function, "__globals__", None)
    if code is None or not isinstance(namespace, dict):
        return repr(function)
    lines = [f"def {function.__qualname__}", _source(function), repr(getattr(function, "__defaults__", None))]
    home = namespace.get("__name__")
    for name in sorted(set(_global_names(code))):
        if name in namespace:
            lines.extend(_reference(name, namespace[name], home, pending))
    for index, cell in enumerate(function.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell: the variable is not bound yet
            continue
        lines.extend(_reference(f"<closure {index}>", value, home, pending))
    return "\n".join(lines)


def _class_text(cls: type, pending: list[Any]) -> str:
    lines = [f"class {cls.__qualname__}", repr([base.__qualname__ for base in cls.__bases__])]
    for base in cls.__bases__:
        if base.__module__ == cls.__module__:
            pending.append(base)
    for name, value in sorted(vars(cls).items()):
        if name.startswith("__") and name.endswith("__"):
            continue
        target = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        if isinstance(target, property):
            target = target.fget
        if isinstance(target, types.FunctionType):
            pending.append(target)
            lines.append(f"{name}: method")
        elif _plain(value):
            lines.append(f"{name} = {value!r}")
    return "\n".join(lines)


def _reference(name: str, value: Any, home: object, pending: list[Any]) -> Iterator[str]:
    if isinstance(value, types.FunctionType | type):
        if getattr(value, "__module__", None) == home:
            pending.append(value)
            yield f"uses {name}"
    elif _plain(value):
        yield f"{name} = {value!r}"


def _plain(value: Any, budget: list[int] | None = None) -> bool:
    """Numbers, strings... and containers of them, with at most ``_MAX_ITEMS`` items in all."""
    budget = [_MAX_ITEMS] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if type(value) in _SCALARS:
        return True
    if type(value) not in _CONTAINERS:
        return False
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)
    return all(_plain(item, budget) for item in items)


def _global_names(code: types.CodeType) -> Iterator[str]:
    """Names the code (and the functions, classes and comprehensions nested in it) may read as globals."""
    stack = [code]
    while stack:
        current = stack.pop()
        yield from current.co_names
        stack.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
