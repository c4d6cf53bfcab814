"""``@subdag`` and ``@parameterized_subdag`` from source, over functions of the same module: each function
``f`` given becomes ``<namespace>.f``, each of ``inputs`` a node ``<namespace>.<name>`` (taking its
``source``, or nothing for a ``value``), and the decorated function the final node, which takes every one of
its parameters from the namespace (Hamilton's rule, even for names the subdag does not make). Modules as
sources, decorated inner functions and a ``config=`` stay runtime-only."""

from __future__ import annotations

import ast
from typing import Any

from livedag.graph.modifiers.context import Modifier, SourceTools, derive
from livedag.graph.modifiers.literals import NotLiteral, Source, keyword_nodes, literal
from livedag.graph.spec import NodeSpec, ParamKind, ParamSpec
from livedag.graph.types import TypeRef, opaque

__all__ = ["subdag"]

_KEYWORD_ONLY = ParamKind.KEYWORD_ONLY
_NON_FINAL = {"hamilton.non_final_node": True}


def subdag(nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    (node,) = nodes
    call = modifier.call
    if call is None:
        raise NotLiteral(modifier.expr)
    functions = [_function(arg, tools) for arg in call.args]
    options = keyword_nodes(call)
    shared = _inputs(options.pop("inputs", None), tools)
    if modifier.name == "subdag":
        if "config" in options or ("external_inputs" in options and not _strings(options["external_inputs"], tools)):
            raise NotLiteral(options.get("config") or options["external_inputs"])
        namespace = literal(options["namespace"], tools.qualify) if "namespace" in options else node.name
        final = literal(options["final_node_name"], tools.qualify) if "final_node_name" in options else node.name
        if not isinstance(namespace, str) or not isinstance(final, str):
            raise NotLiteral(call)
        return _expanded(node, functions, shared, namespace, final)
    made: list[NodeSpec] = []
    for name, value in options.items():
        entry = literal(value, tools.qualify)
        if name == "config" or not isinstance(entry, dict) or set(entry) - {"inputs"}:
            raise NotLiteral(value)
        own = entry.get("inputs", {})
        if not isinstance(own, dict):
            raise NotLiteral(value)
        made.extend(_expanded(node, functions, {**shared, **own}, name, name))
    return made


def _function(arg: ast.expr, tools: SourceTools) -> NodeSpec:
    function = tools.helper(arg)
    if function is None or function.decorators:
        raise NotLiteral(arg)  # a module, or a function not defined here
    return function


def _inputs(expr: ast.expr | None, tools: SourceTools) -> dict[str, Any]:
    value = literal(expr, tools.qualify) if expr is not None else {}
    if not isinstance(value, dict):
        raise NotLiteral(expr) if expr is not None else NotLiteral("inputs")
    return value


def _strings(expr: ast.expr, tools: SourceTools) -> bool:
    value = literal(expr, tools.qualify)
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def _expanded(
    node: NodeSpec, functions: list[NodeSpec], inputs: dict[str, Any], namespace: str, final: str
) -> list[NodeSpec]:
    inner = {function.name for function in functions}
    made: list[NodeSpec] = []
    wanted: dict[str, TypeRef | None] = {}
    for function in functions:
        params: list[ParamSpec] = []
        for param in function.params:
            if not param.kind.supported:
                continue
            if param.name in inputs:
                wanted.setdefault(param.name, param.annotation)
            inside = param.name in inner or param.name in inputs
            name = f"{namespace}.{param.name}" if inside else param.name
            params.append(_param(name, param.annotation, param.has_default, node))
        made.append(
            derive(
                node,
                f"{namespace}.{function.name}",
                params=tuple(params),
                returns=function.returns,
                tags={**node.tags, **_NON_FINAL},
                doc="",
            )
        )
    for name, dependency in inputs.items():
        given = (_param(dependency.name, wanted.get(name), False, node),) if isinstance(dependency, Source) else ()
        made.append(
            derive(
                node,
                f"{namespace}.{name}",
                params=given,
                returns=wanted.get(name) or opaque(),
                tags={**node.tags, **_NON_FINAL},
                doc="",
            )
        )
    finals = tuple(
        _param(f"{namespace}.{p.name}", p.annotation, p.has_default, node) for p in node.params if p.kind.supported
    )
    return [*made, derive(node, final, params=finals)]


def _param(name: str, annotation: TypeRef | None, optional: bool, node: NodeSpec) -> ParamSpec:
    return ParamSpec(name, annotation, optional, _KEYWORD_ONLY, node.span, node.span)
