"""What a static modifier model needs from the file it reads: types, spans, qualified names."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Protocol, TypeVar

from livedag.graph.modifiers.names import Lifecycle
from livedag.graph.spec import NodeSpec, ParamKind, ParamSpec, Span
from livedag.graph.types import TypeRef

T = TypeVar("T")
KEEP: object = object()
"""``derive(returns=KEEP)``: the derived node keeps the base node's type."""

__all__ = ["KEEP", "Modifier", "SourceTools", "derive", "evolve", "keyword_only", "sinks"]


class SourceTools(Protocol):
    """The reader of one file, as the modifier models use it."""

    def annotation(self, node: ast.expr) -> TypeRef: ...

    def node_span(self, node: ast.expr) -> Span: ...

    def string_span(self, node: ast.Constant) -> Span:
        """The text of a string literal, quotes excluded (what renaming a generated node edits)."""
        ...

    def keyword_span(self, keyword: ast.keyword) -> Span: ...

    def qualify(self, node: ast.expr) -> str | None: ...

    def constant(self, node: ast.expr) -> ast.expr | None:
        """The value of a name the module assigns once at its top level (``*COLUMNS``), if ``node`` is one."""
        ...

    def validator_name(self, node: ast.expr) -> str | None:
        """``PositiveValidator(...)`` of a class of the module whose ``name()`` returns a string literal: it."""
        ...

    def helper(self, node: ast.expr) -> NodeSpec | None:
        """The function of the module ``node`` names (a ``step``), read as a node would be."""
        ...


class Modifier(NamedTuple):
    """One of Hamilton's modifiers on a ``def``: its canonical name and the decorator expression (a tuple:
    one is made per decorator of every decorated function, and a tuple is the cheapest immutable record)."""

    name: str
    qualified: str
    expr: ast.expr
    lifecycle: Lifecycle
    call: ast.Call | None
    """``expr`` when it is a call (``@tag(...)``), ``None`` for a bare ``@does``-style use."""

    @property
    def args(self) -> list[ast.expr]:
        return list(self.call.args) if self.call is not None else []


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace`` without its per-call field introspection (it runs for most generated nodes)."""
    cls = type(obj)
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)  # type: ignore[arg-type]
    return cls(**{name: changes[name] if name in changes else getattr(obj, name) for name in names})


def keyword_only(params: Iterable[ParamSpec]) -> tuple[ParamSpec, ...]:
    """Hamilton calls its nodes with keyword arguments; so do generated nodes' specs say."""
    return tuple(
        evolve(p, kind=ParamKind.KEYWORD_ONLY) if p.kind is ParamKind.POSITIONAL_OR_KEYWORD else p for p in params
    )


def derive(
    base: NodeSpec,
    name: str,
    *,
    params: tuple[ParamSpec, ...] | None = None,
    returns: TypeRef | object | None = KEEP,
    span: Span | None = None,
    tags: Mapping[str, Any] | None = None,
    doc: str | None = None,
    origin: str | None = None,
    variants: tuple[NodeSpec, ...] | None = None,
) -> NodeSpec:
    """A node a modifier makes from ``base``: same module, origin and definition, its own name and span.
    (Built field by field: this runs for most generated nodes, and ``dataclasses.replace`` costs twice as much.)"""
    keep = returns is KEEP
    return NodeSpec(
        name,
        base.params if params is None else params,
        base.returns if keep else returns,  # type: ignore[arg-type]
        base.kind,
        base.module,
        base.span if span is None else span,
        base.definition_span,
        base.returns_span if keep else None,
        base.doc if doc is None else doc,
        base.decorators,
        base.options,
        None,
        dict(base.tags if tags is None else tags),
        base.origin if origin is None else origin,
        base.variants if variants is None else variants,
    )


def sinks(nodes: list[NodeSpec]) -> list[NodeSpec]:
    """The nodes of a function's expansion no other node of it depends on (what Hamilton's transforms and
    decorators apply to when they are given no target)."""
    if len(nodes) == 1:
        return nodes
    used = {p.name for node in nodes for p in node.params}
    return [node for node in nodes if node.name not in used]
