"""Annotation expressions in source (``ast``) -> ``TypeRef``, without importing anything.

Names are resolved through the module's own imports (``import typing as t``, ``from collections.abc
import Mapping``) to the canonical names live classes get, so static and runtime resolution agree.
Whatever cannot be resolved this way becomes opaque, which is always compatible.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping

from livedag.graph.imports import qualified_name
from livedag.graph.types import (
    ANY,
    COLLECT_NAME,
    KNOWN_CLASSES,
    NONE_NAME,
    PARALLELIZABLE_NAME,
    TypeRef,
    generic,
    known,
    opaque,
    union,
)

__all__ = ["StaticTypeResolver"]

_TYPING_NAMES: dict[str, str] = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
    "Text": "str",
    "DefaultDict": "collections.defaultdict",
    "OrderedDict": "collections.OrderedDict",
    "Counter": "collections.Counter",
    "Deque": "collections.deque",
    "ChainMap": "collections.ChainMap",
    "AbstractSet": "collections.abc.Set",
    "ByteString": "collections.abc.ByteString",
}
_TYPING_OPAQUE = frozenset({"Literal", "ClassVar", "Final", "TypeVar", "Protocol", "Self"})
_TYPING_MODULES = ("typing.", "typing_extensions.")
_HAMILTON_TYPES = frozenset({PARALLELIZABLE_NAME, COLLECT_NAME})

ClassLookup = Callable[[str], TypeRef | None]
"""Qualified name -> TypeRef of a class defined in the graph's own sources, if it is one."""


class StaticTypeResolver:
    """Resolves annotation expressions of one module; holds its import table and local classes."""

    def __init__(self, imports: Mapping[str, str], local_classes: Mapping[str, str], lookup: ClassLookup) -> None:
        self._imports = imports
        self._local_classes = local_classes  # class name -> qualified name
        self._lookup = lookup

    def resolve(self, node: ast.expr, text: str) -> TypeRef:
        """``text`` is the annotation as written, kept for messages."""
        try:
            ref = self._resolve(node)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return opaque(text)
        return TypeRef(ref.name, ref.args, ref.ancestors, text)

    def _resolve(self, node: ast.expr) -> TypeRef:
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return union([self._resolve(node.left), self._resolve(node.right)])
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        qualified = self._qualified_name(node)
        return self._named(qualified) if qualified else opaque()

    def _constant(self, value: object) -> TypeRef:
        if value is None:
            return known(NONE_NAME)
        if isinstance(value, str):  # a string annotation: parse it like source
            return self._resolve(ast.parse(value.strip(), mode="eval").body)
        return opaque()

    def _subscript(self, node: ast.Subscript) -> TypeRef:
        qualified = self._qualified_name(node.value)
        if qualified is None:
            return opaque()
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if qualified in ("typing.Optional", "typing_extensions.Optional"):
            return union([self._resolve(elements[0]), known(NONE_NAME)])
        if qualified in ("typing.Union", "typing_extensions.Union"):
            return union([self._resolve(element) for element in elements])
        if qualified in ("typing.Annotated", "typing_extensions.Annotated"):
            return self._resolve(elements[0])
        base = self._named(qualified)
        if base.is_opaque or base.is_any:
            return base
        args = tuple(self._argument(element) for element in elements)
        return TypeRef(base.name, args, base.ancestors)

    def _argument(self, node: ast.expr) -> TypeRef:
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return opaque("...")
        if isinstance(node, ast.List):
            return opaque()
        return self._resolve(node)

    def _named(self, qualified: str) -> TypeRef:
        for prefix in _TYPING_MODULES:
            if qualified.startswith(prefix):
                return self._typing_name(qualified.removeprefix(prefix))
        if qualified.startswith("builtins."):
            qualified = qualified.removeprefix("builtins.")
        if qualified in KNOWN_CLASSES:
            return known(qualified)
        if qualified in _HAMILTON_TYPES:
            return TypeRef(qualified)  # as live resolution names them; their hierarchy is not needed
        if qualified == NONE_NAME:
            return known(NONE_NAME)
        local = self._lookup(qualified)
        return local if local is not None else opaque()

    def _typing_name(self, name: str) -> TypeRef:
        if name == "Any":
            return ANY
        if name in _TYPING_OPAQUE:
            return opaque()
        if name in _TYPING_NAMES:
            return generic(_TYPING_NAMES[name], ())
        abc_name = f"collections.abc.{name}"
        if abc_name in KNOWN_CLASSES:
            return known(abc_name)
        return opaque()

    def _qualified_name(self, node: ast.expr) -> str | None:
        return qualified_name(node, self._imports, self._local_classes, known_only=True)
