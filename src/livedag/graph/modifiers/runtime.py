"""Live functions decorated with Hamilton's function modifiers -> node specs, by Hamilton's own expansion.

A module that uses Hamilton's modifiers has Hamilton installed by definition, so its expansion of a
function into nodes (``hamilton.function_modifiers.base.resolve_nodes``: names, callables, input types,
tags) is the single source of truth here and covers the long tail (``with_columns``, ``resolve``...).
Hamilton is imported only when a function carries one of its modifiers, and only if the user's code has
imported it already: a module without modifiers never needs it.

Each Hamilton node becomes a spec whose parameters are keyword-only (Hamilton calls its nodes with
keyword arguments, and so does livedag's driver then) and whose ``function`` is the node's callable.
"""

from __future__ import annotations

import inspect
import logging
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

from livedag.graph.options import OPTIONS_ATTRIBUTE
from livedag.graph.problems import Problem, ProblemCode
from livedag.graph.runtime_types import type_ref_from_annotation
from livedag.graph.spec import NodeKind, NodeSpec, ParamKind, ParamSpec, Span, location

__all__ = ["LIFECYCLE_ATTRIBUTES", "hamilton_specs", "uses_hamilton_modifiers"]

LIFECYCLE_ATTRIBUTES = frozenset({"resolve", "generate", "inject", "expand", "transform", "decorate_nodes", "dynamic"})
"""The attributes Hamilton's modifiers set on a function, one per step of its decorator lifecycle."""
_BASE_MODULE = "hamilton.function_modifiers.base"


def uses_hamilton_modifiers(fn: Callable[..., Any]) -> bool:
    """Whether Hamilton's modifiers decorate ``fn`` (checked without importing Hamilton)."""
    if _BASE_MODULE not in sys.modules:
        return False
    marks = getattr(fn, "__dict__", None) or {}
    return any(name in marks for name in LIFECYCLE_ATTRIBUTES)


def hamilton_specs(
    fn: Callable[..., Any],
    config: Mapping[str, Any],
    span: Span | None,
    spans: Mapping[str, NodeSpec],
    problems: list[Problem],
) -> list[NodeSpec]:
    """The nodes Hamilton makes of ``fn`` under ``config``; a refusal becomes an ``invalid-modifier`` problem.

    ``spans`` holds the static specs of the function's file by node name (the source locations of the
    decorator strings that name generated nodes), so that runtime and static resolution point to the same
    places; a node not in it is located at the function's name.
    """
    from hamilton.function_modifiers.base import resolve_nodes  # type: ignore[import-untyped]
    from hamilton.node import DependencyType  # type: ignore[import-untyped]

    written = fn.__name__
    quiet = logging.getLogger(_BASE_MODULE)
    disabled, quiet.disabled = quiet.disabled, True  # Hamilton logs a traceback before re-raising
    # Hamilton names a node's module from ``sys.modules``; code executed outside an import (a notebook
    # cell's namespace, ``exec``) may not be there, so it gets a stand-in while Hamilton looks.
    module_name = str(fn.__module__)
    stand_in = module_name not in sys.modules
    if stand_in:
        sys.modules[module_name] = types.ModuleType(module_name)
    try:
        nodes = resolve_nodes(fn, dict(config))
    except Exception as error:  # noqa: BLE001 - any refusal of Hamilton's becomes a problem, named and located
        problems.append(_refused(written, str(fn.__module__), span, error))
        return []
    finally:
        quiet.disabled = disabled
        if stand_in:
            sys.modules.pop(module_name, None)
        fn.__name__ = written  # `@config.when` renames the function itself (Hamilton's own TODO)
    optional = DependencyType.OPTIONAL
    options = dict(getattr(fn, OPTIONS_ATTRIBUTE, {}))  # `@livedag.node(timeout=...)`: for each node it makes
    specs = []
    for node in nodes:
        static = spans.get(node.name)
        where = static.span if static is not None else span
        params = tuple(
            ParamSpec(
                name,
                type_ref_from_annotation(annotation),
                dependency == optional,
                ParamKind.KEYWORD_ONLY,
                _param_span(static, name, where),
                _param_span(static, name, where, annotation=True),
            )
            for name, (annotation, dependency) in node.input_types.items()
        )
        specs.append(
            NodeSpec(
                name=node.name,
                params=params,
                returns=type_ref_from_annotation(node.type),
                kind=NodeKind.of(inspect.unwrap(node.callable)),
                module=str(fn.__module__),
                span=where,
                definition_span=static.definition_span if static is not None else span,
                returns_span=static.returns_span if static is not None else span,
                doc=node.documentation or None,
                function=node.callable,
                options=dict(options),
                tags=dict(node.tags),
                origin=written,
            )
        )
    return specs


def _param_span(static: NodeSpec | None, name: str, default: Span | None, annotation: bool = False) -> Span | None:
    param = static.param(name) if static is not None else None
    if param is None:
        return default
    return param.annotation_span if annotation else param.span


def _refused(name: str, module: str, span: Span | None, error: Exception) -> Problem:
    where = f" ({location(span, module)})"
    return Problem(
        ProblemCode.INVALID_MODIFIER,
        f"Hamilton refuses the modifiers of `{name}`{where}: {type(error).__name__}: {error}; "
        "fix the decorator arguments or the function's annotations",
        span,
        (name,),
    )
