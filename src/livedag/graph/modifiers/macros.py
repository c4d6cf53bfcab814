"""``pipe_input``, ``pipe_output`` and ``step`` from source (the nodes of each step of the chain), and the
functions ``@mutate`` changes from elsewhere in the module (noted: their nodes are known only at runtime).

A step is ``step(fn, **arguments)``, optionally ``.named("name")``: its node is ``<function>.<name>``
(``with_<fn>`` by default, without the leading ``_``), takes the previous value as ``fn``'s first parameter,
its other parameters from ``source``/``value`` arguments (or as dependencies of their own names), and has
``fn``'s return type. ``.when(...)`` and its family keep the step only when the config satisfies them (no
config reads as ``{}``, Hamilton's default). ``.on_output(...)`` and namespaces stay runtime-only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from livedag.graph.modifiers.configuration import Condition
from livedag.graph.modifiers.context import Modifier, SourceTools, derive, evolve, keyword_only
from livedag.graph.modifiers.literals import NotLiteral, Qualify, Source, Value, keyword_nodes, keywords, literal
from livedag.graph.modifiers.names import canonical_helper, canonical_modifier
from livedag.graph.spec import DecoratorSpec, NodeSpec, ParamKind, ParamSpec
from livedag.graph.types import ANY

__all__ = ["Mutation", "mutated", "mutated_functions", "pipe"]

_KEYWORD_ONLY = ParamKind.KEYWORD_ONLY
FunctionDef = ast.FunctionDef | ast.AsyncFunctionDef
_WHEN = {
    "when": "config.when",
    "when_not": "config.when_not",
    "when_in": "config.when_in",
    "when_not_in": "config.when_not_in",
}


@dataclass(frozen=True, slots=True)
class _Step:
    function: NodeSpec
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Mutation:
    """One ``@mutate`` target entry: the private function that changes it, its arguments (the decorator's and
    ``apply_to``'s), its ``.named(...)`` name and its ``.when*(...)`` conditions."""

    helper: str
    call: ast.Call
    name: str | None = None
    conditions: tuple[Condition, ...] = ()


def _unchain(expr: ast.expr, qualify: Qualify) -> tuple[ast.expr, str | None, tuple[Condition, ...]]:
    """``step(...)`` / ``apply_to(...)`` with its ``.named("x")`` and ``.when*(key=value)`` calls peeled off."""
    name: str | None = None
    conditions: list[Condition] = []
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("named", *_WHEN):
        if expr.func.attr == "named":
            if len(expr.args) != 1 or not isinstance(expr.args[0], ast.Constant) or expr.keywords:
                raise NotLiteral(expr)
            name = str(expr.args[0].value) if name is None else name  # the last `.named` call wins
        else:
            if expr.args:
                raise NotLiteral(expr)
            conditions.append(Condition(_WHEN[expr.func.attr], tuple(keywords(expr, qualify).items())))
        expr = expr.func.value
    return expr, name, tuple(conditions)


def _applies(conditions: tuple[Condition, ...], config: Mapping[str, Any] | None) -> bool:
    return all(condition.holds(config or {}) for condition in conditions)


def pipe(
    nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools, config: Mapping[str, Any] | None = None
) -> list[NodeSpec]:
    (node,) = nodes if modifier.name != "pipe_output" else (nodes[-1],)  # `pipe` is `pipe_input`'s old name
    call = modifier.call
    if call is None:
        raise NotLiteral(modifier.expr)
    options = keyword_nodes(call)
    namespace = literal(options["namespace"], tools.qualify) if "namespace" in options else node.name
    if namespace is not None and not isinstance(namespace, str):
        raise NotLiteral(options["namespace"])
    if not call.args:
        raise NotLiteral(modifier.expr)
    steps = [step for step in (_step(arg, tools, config) for arg in call.args) if step is not None]
    if not steps:  # every step's `.when` fails: the function is left as it is
        return nodes
    if modifier.name == "pipe_output":
        return [*nodes[:-1], *_pipe_output(node, steps, namespace)]
    on_input = literal(options["on_input"], tools.qualify) if "on_input" in options else None
    return _pipe_input(node, steps, on_input, namespace)


def _pipe_input(node: NodeSpec, steps: list[_Step], on_input: Any, namespace: str | None) -> list[NodeSpec]:
    supported = [p for p in node.params if p.kind.supported]
    target = (
        next((p for p in supported if p.name == on_input), None) if on_input else supported[0] if supported else None
    )
    if target is None:
        raise NotLiteral(f"pipe_input(on_input={on_input!r})")
    made, previous = _chain(node, steps, target.name, namespace)
    params = tuple(
        ParamSpec(previous, p.annotation, False, _KEYWORD_ONLY, p.span, p.annotation_span)
        if p.name == target.name
        else p
        for p in node.params
    )
    return [*made, derive(node, node.name, params=params)]


def _pipe_output(node: NodeSpec, steps: list[_Step], namespace: str | None) -> list[NodeSpec]:
    raw = derive(node, f"{node.name}.raw")
    made, previous = _chain(node, steps, raw.name, namespace)
    final = derive(node, node.name, params=(ParamSpec(previous, ANY, False, _KEYWORD_ONLY, node.span, node.span),))
    return [raw, *made, final]


def _chain(node: NodeSpec, steps: list[_Step], first: str, namespace: str | None) -> tuple[list[NodeSpec], str]:
    made: list[NodeSpec] = []
    previous = first
    prefix = f"{namespace}." if namespace else ""
    for step in steps:
        params = _step_params(node, step, previous)
        made.append(derive(node, prefix + step.name, params=params, returns=step.function.returns, tags={}, doc=""))
        previous = made[-1].name
    return made, previous


def _step_params(node: NodeSpec, step: _Step, previous: str) -> tuple[ParamSpec, ...]:
    own = [p for p in step.function.params if p.kind.supported]
    if not own:
        raise NotLiteral(f"step({step.function.name}) without a parameter for the value")
    params = [ParamSpec(previous, own[0].annotation, False, _KEYWORD_ONLY, node.span, node.span)]
    for param in own[1:]:
        given = step.arguments.get(param.name)
        if isinstance(given, Value) or (given is not None and not isinstance(given, Source)):
            continue
        name = given.name if isinstance(given, Source) else param.name
        optional = param.has_default and given is None
        params.append(ParamSpec(name, param.annotation, optional, _KEYWORD_ONLY, node.span, node.span))
    return tuple(params)


def _step(expr: ast.expr, tools: SourceTools, config: Mapping[str, Any] | None) -> _Step | None:
    """``step(fn, **kw)``, optionally ``.named("name")`` and ``.when*(...)``; ``None`` when the config drops it."""
    expr, name, conditions = _unchain(expr, tools.qualify)
    if not _applies(conditions, config):
        return None
    if not isinstance(expr, ast.Call) or canonical_helper(tools.qualify(expr.func)) not in ("step", "apply_to"):
        raise NotLiteral(expr)
    if len(expr.args) != 1:
        raise NotLiteral(expr)
    function = tools.helper(expr.args[0])
    if function is None:
        raise NotLiteral(expr.args[0])
    arguments = {key: literal(value, tools.qualify) for key, value in keyword_nodes(expr).items()}
    return _Step(function, name or f"with_{function.name.lstrip('_')}", arguments)


def mutated_functions(helpers: Iterable[FunctionDef], qualify: Qualify) -> dict[str, list[Mutation]]:
    """Function name -> the private functions whose ``@mutate(...)`` changes it, with that decorator."""
    found: dict[str, list[Mutation]] = {}
    for fn in helpers:
        for decorator in fn.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if not isinstance(decorator, ast.Call) or canonical_modifier(qualify(target)) != "mutate":
                continue
            for entry in decorator.args:
                try:
                    arg, name, conditions = _unchain(entry, qualify)
                except NotLiteral:
                    arg, name, conditions = entry, None, ()
                if isinstance(arg, ast.Name):
                    found.setdefault(arg.id, []).append(Mutation(fn.name, decorator, name, conditions))
                elif (
                    isinstance(arg, ast.Call)
                    and canonical_helper(qualify(arg.func)) == "apply_to"
                    and arg.args
                    and isinstance(arg.args[0], ast.Name)
                ):
                    # `apply_to(target, **more)`: that target, with its own arguments too
                    merged = ast.Call(decorator.func, [], [*decorator.keywords, *arg.keywords])
                    found.setdefault(arg.args[0].id, []).append(Mutation(fn.name, merged, name, conditions))
    return found


def mutated(
    specs: list[NodeSpec], mutations: list[Mutation], tools: SourceTools, config: Mapping[str, Any] | None = None
) -> list[NodeSpec]:
    """A function ``@mutate`` changes is a ``pipe_output`` of one step per mutating function (in file order)."""
    try:
        if len(specs) != 1 or specs[0].opaque:
            raise NotLiteral("@mutate on a function that makes several nodes")
        steps = []
        for mutation in mutations:
            call = mutation.call
            function = tools.helper(ast.Name(mutation.helper))
            if function is None or any(isinstance(arg, ast.Starred) for arg in call.args):
                raise NotLiteral(call)
            if not _applies(mutation.conditions, config):
                continue
            arguments = {key: literal(value, tools.qualify) for key, value in keyword_nodes(call).items()}
            steps.append(_Step(function, mutation.name or f"with_{mutation.helper.lstrip('_')}", arguments))
        node = specs[0]
        changed = evolve(node, params=keyword_only(node.params), origin=node.origin or node.name)
        return _pipe_output(changed, steps, node.name) if steps else [changed]
    except NotLiteral as error:
        names = ", ".join(f"`{mutation.helper}`" for mutation in mutations)
        note = DecoratorSpec(
            "hamilton.function_modifiers.mutate",
            (),
            specs[0].span if specs else None,
            f"`@mutate` on {names} changes it, and its arguments are computed when the module runs (`{error}`)",
        )
        return [evolve(spec, decorators=(*spec.decorators, note)) for spec in specs]
