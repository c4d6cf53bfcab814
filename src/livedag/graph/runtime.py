"""Live functions -> node specs, following Apache Hamilton's vanilla rules.

A module's nodes are its public functions defined in it (or in a submodule of it, as Hamilton's
``find_functions`` allows); names starting with ``_`` and functions imported from elsewhere are not
nodes. Annotations are resolved with ``typing.get_type_hints``; when that fails (a forward reference
to a name that does not exist yet) each annotation is resolved on its own and the unresolvable ones
stay opaque, so a half-written notebook never gets a false error.
"""

from __future__ import annotations

import inspect
import linecache
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

from livedag.graph.modifiers.runtime import hamilton_specs, uses_hamilton_modifiers
from livedag.graph.options import OPTIONS_ATTRIBUTE
from livedag.graph.problems import Problem
from livedag.graph.runtime_types import type_ref_from_annotation
from livedag.graph.spec import DecoratorSpec, NodeKind, NodeSpec, ParamKind, ParamSpec, Span
from livedag.graph.types import TypeRef, opaque

__all__ = ["functions_in_module", "functions_in_namespace", "spec_from_function", "specs_from_functions"]

_PARAM_KINDS = {
    inspect.Parameter.POSITIONAL_OR_KEYWORD: ParamKind.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY: ParamKind.KEYWORD_ONLY,
    inspect.Parameter.POSITIONAL_ONLY: ParamKind.POSITIONAL_ONLY,
    inspect.Parameter.VAR_POSITIONAL: ParamKind.VAR_POSITIONAL,
    inspect.Parameter.VAR_KEYWORD: ParamKind.VAR_KEYWORD,
}
_HARMLESS_ATTRIBUTES = frozenset({OPTIONS_ATTRIBUTE, "__wrapped__"})
_DEF = re.compile(r"\s*(?:async\s+)?def\s+(\w+)")
_DECORATOR_LINES = 100  # how far below its first line a function's `def` may be (decorators, comments)


def functions_in_module(module: ModuleType) -> list[Callable[..., Any]]:
    """The module's node functions, in definition order."""
    prefix = module.__name__
    found = {  # by identity: `alias = node_function` is the same node once, as static resolution sees it
        id(value): value
        for value in vars(module).values()
        if _is_node_function(value) and (value.__module__ == prefix or str(value.__module__).startswith(prefix + "."))
    }
    return list(found.values())


def functions_in_namespace(namespace: Mapping[str, Any], module_name: str | None = None) -> list[Callable[..., Any]]:
    """Node functions of a namespace (a notebook's globals): those defined in ``module_name`` if given."""
    found = {
        id(value): value
        for name, value in namespace.items()
        # a private name for a function (`_c = print`, once a library swaps `print` for a Python function) is
        # not a node, whatever the function calls itself
        if not name.startswith("_")
        and _is_node_function(value)
        and (module_name is None or value.__module__ == module_name)
    }
    return list(found.values())


def _is_node_function(value: object) -> bool:
    return inspect.isfunction(value) and not value.__name__.startswith("_") and value.__name__.isidentifier()


def specs_from_functions(
    functions: Iterable[Callable[..., Any]], config: Mapping[str, Any] | None, problems: list[Problem]
) -> list[NodeSpec]:
    """Node specs of live functions: Hamilton's own expansion for those its modifiers decorate (under
    ``config``; ``None`` is Hamilton's default, ``{}``), livedag's reading of the signature for the others.
    Problems Hamilton raises while expanding are appended to ``problems``."""
    specs: list[NodeSpec] = []
    located: dict[str, dict[str, NodeSpec]] = {}
    for fn in functions:
        if not uses_hamilton_modifiers(fn):
            specs.append(spec_from_function(fn))
            continue
        span = _span(fn)
        static = _static_nodes(span.path, config or {}, located) if span is not None else {}
        specs.extend(hamilton_specs(fn, config or {}, span, static, problems))
    return specs


def _static_nodes(path: str, config: Mapping[str, Any], cache: dict[str, dict[str, NodeSpec]]) -> dict[str, NodeSpec]:
    """The static specs of the file ``path`` by name (for source locations of generated nodes)."""
    if path not in cache:
        from livedag.graph.static import parse_module, specs_from_parsed

        text = "".join(linecache.getlines(path))
        parsed = parse_module(path, text) if text else None
        if parsed is not None:  # only decorated functions make nodes whose places Hamilton does not know
            parsed.functions = [fn for fn in parsed.functions if fn.decorator_list]
        specs = specs_from_parsed([parsed], config) if parsed is not None else []
        cache[path] = {spec.name: spec for spec in specs}
    return cache[path]


def spec_from_function(fn: Callable[..., Any]) -> NodeSpec:
    target = inspect.unwrap(fn)
    hints = _type_hints(target)
    signature = inspect.signature(target)
    span = _span(target)
    params = tuple(
        ParamSpec(
            name=param.name,
            annotation=hints.get(param.name),
            has_default=param.default is not inspect.Parameter.empty,
            kind=_PARAM_KINDS[param.kind],
            span=span,
            annotation_span=span if param.name in hints else None,
        )
        for param in signature.parameters.values()
    )
    return NodeSpec(
        name=fn.__name__,
        params=params,
        returns=hints.get("return"),
        kind=NodeKind.of(target),
        module=str(fn.__module__),
        span=span,
        definition_span=span,
        returns_span=span if "return" in hints else None,
        doc=inspect.getdoc(target),
        decorators=_unknown_decorators(fn, span),
        options=dict(getattr(fn, OPTIONS_ATTRIBUTE, {})),
        function=fn,
    )


def _type_hints(fn: Callable[..., Any]) -> dict[str, TypeRef]:
    raw = getattr(fn, "__annotations__", {}) or {}
    try:
        resolved = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # noqa: BLE001 - any failure means: resolve one annotation at a time
        resolved = {name: _resolve_one(fn, value) for name, value in raw.items()}
    return {
        name: value if isinstance(value, TypeRef) else type_ref_from_annotation(value)
        for name, value in resolved.items()
        if name in raw
    }


def _resolve_one(fn: Callable[..., Any], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return eval(value, dict(getattr(fn, "__globals__", {})))  # noqa: S307 - the user's own annotation
    except Exception:  # noqa: BLE001
        return opaque(value)


def _span(fn: Callable[..., Any]) -> Span | None:
    """The function's name in its ``def`` line, as static resolution gives it, when the source is known
    (``linecache`` has files and notebook cells); else the first line of the definition."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    first = code.co_firstlineno  # the first decorator's line for a decorated function
    lines = linecache.getlines(code.co_filename)
    for number in range(first, min(first + _DECORATOR_LINES, len(lines)) + 1):
        match = _DEF.match(lines[number - 1])
        if match and match.group(1) == fn.__name__:
            column = match.start(1)
            return Span(code.co_filename, number, column, number, column + len(fn.__name__))
    return Span(code.co_filename, first, 0, first, 0)


def _unknown_decorators(fn: Callable[..., Any], span: Span | None) -> tuple[DecoratorSpec, ...]:
    """A function carrying attributes or wrapped by another is decorated by something unknown.

    Decorators such as Hamilton's ``@extract_columns`` mark the function with attributes and
    return it unchanged, so this is the only trace they leave at runtime.
    """
    marks = [name for name in vars(fn) if name not in _HARMLESS_ATTRIBUTES and not name.startswith("__")]
    if getattr(fn, "__wrapped__", None) is not None:
        marks.append("__wrapped__")
    if not marks:
        return ()
    strings = tuple(_strings_in(getattr(fn, name, None)) for name in marks)
    return (DecoratorSpec(", ".join(marks), tuple(s for group in strings for s in group), span),)


def _strings_in(value: object) -> tuple[str, ...]:
    """Names a decorator object may create, found in its attributes (one level deep)."""
    found: list[str] = []
    items: Iterable[object] = value if isinstance(value, list | tuple) else [value]
    for item in items:
        for attribute in getattr(item, "__dict__", {}).values():
            if isinstance(attribute, str):
                found.append(attribute)
            elif isinstance(attribute, dict):
                found.extend(key for key in attribute if isinstance(key, str))
            elif isinstance(attribute, list | tuple):
                found.extend(entry for entry in attribute if isinstance(entry, str))
    return tuple(found)
