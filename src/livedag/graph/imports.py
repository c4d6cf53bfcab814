"""A module's import table, read from source, and the one way livedag resolves a dotted name against it.

``import numpy as np`` makes ``np`` stand for ``numpy``; ``from hamilton import function_modifiers as fm``
makes ``fm.extract_fields`` stand for ``hamilton.function_modifiers.extract_fields``; a class the module
defines stands for ``<module>.<Class>``. Annotations (``static_types``), Hamilton's modifiers and the bases of
classes are all resolved through :func:`qualified_name`, so they cannot disagree on what a name means.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator, Mapping

__all__ = ["ImportTable", "LocalClasses", "qualified_name", "record_import"]

ImportTable = dict[str, str]
"""Local name -> fully qualified name, e.g. ``{"t": "typing", "Mapping": "collections.abc.Mapping"}``."""

_BUILTIN_NAMES = frozenset(dir(builtins))


def record_import(statement: ast.Import | ast.ImportFrom, imports: ImportTable) -> None:
    """Add what ``statement`` binds to ``imports``. Relative imports name the project's own modules: left out
    (their names stay unresolved, so opaque)."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname:
                imports[alias.asname] = alias.name
            else:
                head = alias.name.split(".")[0]
                imports[head] = head
        return
    if statement.level or not statement.module:
        return
    for alias in statement.names:
        imports[alias.asname or alias.name] = f"{statement.module}.{alias.name}"


def qualified_name(
    node: ast.expr, imports: Mapping[str, str], local_classes: Mapping[str, str], *, known_only: bool = False
) -> str | None:
    """``t.Dict`` with ``import typing as t`` -> ``typing.Dict``; ``Row`` defined in the module -> its qualified
    name; a builtin stays bare. Another bare head stays as written (a name of the module: ``_add``), or is
    ``None`` with ``known_only`` (an annotation naming something unknown is opaque). ``None`` for anything that
    is not a dotted name (a call, a subscript)."""
    if isinstance(node, ast.Name):  # the common case, a bare name: no parts to join
        head = node.id
        if head in imports:
            return imports[head]
        if head in local_classes:
            return local_classes[head]
        return None if known_only and head not in _BUILTIN_NAMES and head != "None" else head
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = node.id
    if head in imports:
        head = imports[head]
    elif head in local_classes:
        head = local_classes[head]
    elif known_only and head not in _BUILTIN_NAMES and head != "None":
        return None
    if not parts:
        return head
    parts.append(head)
    return ".".join(reversed(parts))


class LocalClasses(Mapping[str, str]):
    """The classes of a module by name -> qualified name, as a view (the classes may be added later)."""

    __slots__ = ("_classes", "_module")

    def __init__(self, module: str, classes: Mapping[str, object]) -> None:
        self._module = module
        self._classes = classes

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def __getitem__(self, name: str) -> str:
        if name not in self._classes:
            raise KeyError(name)
        return f"{self._module}.{name}"

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)
