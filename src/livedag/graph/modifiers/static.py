"""One ``def`` with Hamilton's modifiers -> the nodes Hamilton would make of it, read from source.

Applied in Hamilton's lifecycle order (``resolve_nodes``): ``config.*`` resolvers, the node creator
(``does``, ``dataloader``, ``datasaver``), injectors (``load_from``), expanders (``parameterize*``, ``inject``),
transforms (``extract_*``, ``check_output``, ``save_to``) on the expansion's sinks, then decorators
(``tag``...). Within a step, decorators apply bottom-up, as Python does.

A modifier livedag models only at runtime (``with_columns``, ``resolve``...) or whose arguments are
computed at import keeps the function as one opaque node, with an info note saying why.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from typing import Any

from livedag.graph.modifiers.adapters import data_adapter
from livedag.graph.modifiers.configuration import CONDITION_TAG, Condition, sanitize
from livedag.graph.modifiers.context import Modifier, SourceTools, derive, evolve, sinks
from livedag.graph.modifiers.expanders import expand, extract
from livedag.graph.modifiers.literals import NotLiteral, Qualify, keywords
from livedag.graph.modifiers.macros import pipe
from livedag.graph.modifiers.metadata import check_output, decorate
from livedag.graph.modifiers.names import Lifecycle, canonical_modifier, lifecycle
from livedag.graph.modifiers.recursive import subdag
from livedag.graph.spec import DecoratorSpec, NodeSpec, Span

__all__ = ["RUNTIME_ONLY", "expand_function", "find_modifiers"]

RUNTIME_ONLY = frozenset(
    {
        "with_columns",
        "resolve",
        "resolve_from_config",
    }
)
"""Modifiers whose nodes livedag knows only from Hamilton's own expansion (``Graph.from_modules``)."""
_RUNTIME_ONLY_REASON = "livedag models it only at runtime (Graph.from_modules)"
_CONFIG_CHOSEN = (
    "it picks the decorator to apply from the config when the module runs (a function of the config, not a "
    "literal), so livedag models it only at runtime (Graph.from_modules), with or without a config"
)
_RUNTIME_REASONS = dict.fromkeys(("resolve", "resolve_from_config"), _CONFIG_CHOSEN)
_EXTRACTORS = frozenset({"extract_columns", "extract_fields", "unpack_fields"})
_ADAPTERS = frozenset({"dataloader", "datasaver", "load_from", "save_to"})
_RESOLVE = Lifecycle.RESOLVE  # read once: an enum member off its class costs about 0.4 µs in Python 3.11


def find_modifiers(decorators: list[ast.expr], qualify: Qualify) -> tuple[list[Modifier], list[ast.expr]]:
    """Hamilton's modifiers (in the order they apply: bottom-up) and the other decorators."""
    modifiers: list[Modifier] = []
    others: list[ast.expr] = []
    for expr in decorators:
        call = expr if isinstance(expr, ast.Call) else None
        qualified = qualify(call.func if call is not None else expr)
        known = _modifier_kind(qualified) if qualified is not None else None
        if known is None or qualified is None:
            others.append(expr)
        else:
            modifiers.append(Modifier(known[0], qualified, expr, known[1], call))
    return modifiers[::-1], others


@functools.lru_cache(maxsize=1024)
def _modifier_kind(qualified: str) -> tuple[str, Lifecycle] | None:
    """A qualified name's modifier and its step in Hamilton's lifecycle (once per spelling)."""
    name = canonical_modifier(qualified)
    return (name, lifecycle(name)) if name is not None else None


def expand_function(
    base: NodeSpec, modifiers: list[Modifier], tools: SourceTools, config: Mapping[str, Any] | None
) -> list[NodeSpec]:
    """The nodes of ``base`` under ``config`` (``None``: every ``config.when`` variant, tagged as one)."""
    resolvers = [m for m in modifiers if m.lifecycle is _RESOLVE]
    steps = [m for m in modifiers if m.lifecycle is not _RESOLVE]
    resolved = _resolved(base, resolvers, tools, config) if resolvers else base
    if not isinstance(resolved, NodeSpec):
        return resolved
    if len(steps) > 1:
        steps.sort(key=_order)
    for modifier in steps:
        if modifier.name in RUNTIME_ONLY:
            return [_noted(resolved, modifier, tools, _RUNTIME_REASONS.get(modifier.name, _RUNTIME_ONLY_REASON))]
    nodes = [resolved]
    for modifier in steps:
        try:
            nodes = _apply(nodes, modifier, tools, config)
        except NotLiteral as error:
            return [_noted(resolved, modifier, tools, _computed(error))]
    return nodes


def _resolved(
    base: NodeSpec, resolvers: list[Modifier], tools: SourceTools, config: Mapping[str, Any] | None
) -> NodeSpec | list[NodeSpec]:
    """``base`` as its ``config.*`` decorators name and tag it; ``[]`` when the config leaves it out, a noted
    node when they cannot be read."""
    if any(m.name == "hamilton_exclude" for m in resolvers):
        return []
    name, conditions, span = base.name, [], base.span
    keys: list[str] = []
    for modifier in resolvers:
        if modifier.name in RUNTIME_ONLY:
            return [_noted(base, modifier, tools, _RUNTIME_REASONS.get(modifier.name, _RUNTIME_ONLY_REASON))]
        try:
            pairs = keywords(modifier.call, tools.qualify) if modifier.call else None
        except NotLiteral as error:
            return [_noted(base, modifier, tools, _computed(error))]
        if pairs is None:
            return [_noted(base, modifier, tools, "it is used without arguments")]
        target = pairs.pop("name", None) if modifier.name != "config.when_not_in" else None
        conditions.append(Condition(modifier.name, tuple(pairs.items())))
        keys = list(pairs)
        name = target if isinstance(target, str) else sanitize(name)
        span = _name_span(modifier if target is not None else None, base, name, tools) or span
    if config is not None and not all(condition.holds(config) for condition in conditions):
        return []
    tags: dict[str, Any] = {**base.tags, "hamilton.config": ",".join(keys)}
    if config is None:
        tags[CONDITION_TAG] = " and ".join(condition.text() for condition in conditions)
    return derive(base, name, span=span, tags=tags)


def _order(modifier: Modifier) -> int:
    return modifier.lifecycle.value


def _apply(
    nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools, config: Mapping[str, Any] | None
) -> list[NodeSpec]:
    step = modifier.lifecycle
    if modifier.name in _ADAPTERS:
        return data_adapter(nodes, modifier, tools)
    if modifier.name in ("pipe_input", "pipe_output", "pipe"):
        return pipe(nodes, modifier, tools, config)
    if modifier.name in ("subdag", "parameterized_subdag"):
        return subdag(nodes, modifier, tools)
    if step is Lifecycle.GENERATE:  # `does`: another body, the same signature and type
        return nodes
    if step is Lifecycle.EXPAND:
        return [made for node in nodes for made in expand(node, modifier, tools)]
    if modifier.name in _EXTRACTORS:
        targets = {node.name for node in sinks(nodes)}
        return [made for node in nodes for made in (extract(node, modifier, tools) if node.name in targets else [node])]
    if modifier.name in ("check_output", "check_output_custom"):
        return check_output(nodes, modifier, tools)
    return decorate(nodes, modifier, tools)


def _name_span(modifier: Modifier | None, base: NodeSpec, name: str, tools: SourceTools) -> Span | None:
    """``name="pages"`` (``modifier`` given when it has one): the string; else the part of the ``def`` name
    that is the node's name."""
    call = modifier.call if modifier is not None else None
    for keyword in call.keywords if call else []:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and keyword.value.value == name:
            return tools.string_span(keyword.value)
    span = base.span
    if span is None or not base.name.startswith(name):
        return None
    return Span(span.path, span.line, span.column, span.end_line, span.column + len(name))


def _computed(error: NotLiteral) -> str:
    return f"its arguments are computed when the module runs (`{error}`)"


def _noted(node: NodeSpec, modifier: Modifier, tools: SourceTools, reason: str) -> NodeSpec:
    strings = tuple(
        item.value for item in ast.walk(modifier.expr) if isinstance(item, ast.Constant) and isinstance(item.value, str)
    )
    note = DecoratorSpec(modifier.qualified, strings, tools.node_span(modifier.expr), reason)
    return evolve(node, decorators=(*node.decorators, note))
