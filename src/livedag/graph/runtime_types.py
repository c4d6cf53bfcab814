"""Live annotation objects (``int``, ``dict[str, int]``, ``Optional[X]``, a user class) -> ``TypeRef``."""

from __future__ import annotations

import abc
import types
import typing
from typing import Any

from livedag.graph.types import (
    ANY,
    KNOWN_CLASSES,
    NONE_NAME,
    TypeRef,
    canonical_class_name,
    class_ancestry,
    generic,
    known,
    opaque,
    union,
)

__all__ = ["type_ref_from_annotation"]

# The bare ``typing`` aliases (``typing.List`` unsubscripted) are objects of their own, not the
# builtin classes; ``typing.get_origin`` maps them, but only once subscripted.
_TYPING_CLASS_ALIASES: dict[Any, str] = {
    typing.List: "list",  # noqa: UP006 - the alias object itself, not an annotation
    typing.Dict: "dict",  # noqa: UP006
    typing.Set: "set",  # noqa: UP006
    typing.FrozenSet: "frozenset",  # noqa: UP006
    typing.Tuple: "tuple",  # noqa: UP006
    typing.Type: "type",  # noqa: UP006
}


_CACHE: dict[tuple[Any, type], TypeRef] = {}
_CACHE_LIMIT = 4096  # a notebook redefining classes all day must not grow it without bound


def type_ref_from_annotation(annotation: Any) -> TypeRef:
    """Reduce a resolved annotation to the canonical form static resolution also produces."""
    try:
        key = (annotation, type(annotation))  # the type too: `int | None == Optional[int]`, spelled differently
        cached = _CACHE.get(key)
    except TypeError:  # an unhashable annotation object
        return _type_ref(annotation)
    if cached is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        cached = _CACHE[key] = _type_ref(annotation)
    return cached


def _type_ref(annotation: Any) -> TypeRef:
    text = _annotation_text(annotation)
    if annotation is typing.Any:
        return ANY
    if annotation is None or annotation is type(None):
        return known(NONE_NAME)
    if isinstance(annotation, str | typing.ForwardRef):
        return opaque(text)
    if annotation in _TYPING_CLASS_ALIASES:
        return known(_TYPING_CLASS_ALIASES[annotation], text)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return type_ref_from_annotation(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return union([type_ref_from_annotation(arg) for arg in typing.get_args(annotation)], text)
    if origin is not None:
        if not isinstance(origin, type):
            return opaque(text)  # Literal, ClassVar, Callable forms, ...
        args = tuple(_argument_ref(arg) for arg in typing.get_args(annotation))
        return _class_ref(origin, text, args)
    if isinstance(annotation, type):
        return _class_ref(annotation, text, ())
    return opaque(text)


def _argument_ref(arg: Any) -> TypeRef:
    if arg is Ellipsis:
        return opaque("...")
    if isinstance(arg, list):  # Callable[[a, b], c]
        return opaque(repr(arg))
    return type_ref_from_annotation(arg)


def _class_ref(cls: type, text: str, args: tuple[TypeRef, ...]) -> TypeRef:
    name = canonical_class_name(cls)
    if name in KNOWN_CLASSES:
        return generic(name, args, text)
    if isinstance(cls, abc.ABCMeta):
        # An ABC outside the known ones may have virtual subclasses (``os.PathLike`` and ``pathlib.Path``)
        # that no ancestry lists: its hierarchy is unknown, as static resolution sees it too.
        return TypeRef(name, args, None, text)
    return TypeRef(name, args, class_ancestry(cls), text)


def _annotation_text(annotation: Any) -> str:
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    if isinstance(annotation, str):
        return annotation
    return repr(annotation).replace("typing.", "").replace("collections.abc.", "")
