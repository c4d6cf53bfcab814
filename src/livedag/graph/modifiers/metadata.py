"""``tag``, ``tag_outputs``, ``schema.output``, ``cache`` (tags on the nodes a function makes) and
``check_output`` and ``check_output_custom`` (the validator nodes Hamilton adds), from source."""

from __future__ import annotations

import ast
from typing import Any

from livedag.graph.modifiers.context import Modifier, SourceTools, derive, sinks
from livedag.graph.modifiers.literals import NotLiteral, keyword_nodes, keywords, literal
from livedag.graph.spec import NodeSpec, ParamKind, ParamSpec
from livedag.graph.types import TypeRef

__all__ = ["check_output", "decorate"]

_VALIDATION_RESULT = TypeRef("hamilton.data_quality.base.ValidationResult", text="ValidationResult")
_CHECK_OPTIONS = frozenset({"importance", "target_"})
# A default validator's node is `<node>_<its name>`; its name is `<argument>_validator` but for these plugins'.
_VALIDATOR_NAMES = {"schema": "pandera_schema_validator", "model": "pydantic_validator"}


def decorate(nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    """Tags added by a decorator to its target nodes (the function's sinks when none is named)."""
    call = modifier.call
    if call is None:
        raise NotLiteral(modifier.expr)
    if modifier.name == "tag_outputs":
        per_node = keywords(call, tools.qualify)
        return [_tagged(node, per_node.get(node.name, {})) for node in nodes]
    arguments = keywords(call, tools.qualify)
    target = arguments.pop("target_", None)
    if modifier.name == "schema.output":
        fields = [literal(arg, tools.qualify) for arg in call.args]
        if not all(isinstance(f, tuple) and len(f) == 2 for f in fields):
            raise NotLiteral(call)
        tags: dict[str, Any] = {"hamilton.internal.schema_output": ",".join(f"{n}={t}" for n, t in fields)}
    elif modifier.name == "cache":
        tags = {f"cache.{key}": value for key, value in arguments.items() if key in ("behavior", "format")}
    else:
        tags = arguments
    targets = _targets(nodes, target)
    return [_tagged(node, tags) if node.name in targets else node for node in nodes]


def _targets(nodes: list[NodeSpec], target: Any) -> set[str]:
    if target is None:
        return {node.name for node in sinks(nodes)}
    if isinstance(target, str):
        return {target}
    if isinstance(target, list | tuple):
        return {str(name) for name in target}
    raise NotLiteral(ast.Constant(target))


def _numbered(names: list[str]) -> list[str]:
    """A name seen before gets ``_1``, ``_2``... as Hamilton counts them."""
    seen: dict[str, int] = {}
    numbered = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        numbered.append(name if seen[name] == 1 else f"{name}_{seen[name] - 1}")
    return numbered


def _validator_name(expr: ast.expr, tools: SourceTools) -> str:
    name = tools.validator_name(expr)
    if name is None:
        raise NotLiteral(expr)
    return name


def _tagged(node: NodeSpec, tags: dict[str, Any]) -> NodeSpec:
    return derive(node, node.name, tags={**node.tags, **tags}) if tags else node


def check_output(nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    """Each target ``n`` becomes ``n_raw`` (the function), one ``n_<check>_validator`` per check, and ``n``
    (the value, once validated). Only the checks' names shape the graph: their arguments (``np.float64``,
    a range) may be anything the module computes."""
    call = modifier.call
    if call is None or (call.args and modifier.name == "check_output"):
        raise NotLiteral(modifier.expr)
    arguments = keyword_nodes(call)
    if modifier.name == "check_output":
        checks = [_VALIDATOR_NAMES.get(name, f"{name}_validator") for name in arguments if name not in _CHECK_OPTIONS]
    else:  # `check_output_custom(MyValidator(...), ...)`: each validator class's `name()`
        checks = [_validator_name(arg, tools) for arg in call.args]
    checks = _numbered(checks)
    target = arguments.get("target_")
    targets = _targets(nodes, literal(target, tools.qualify) if target is not None else None)
    made: list[NodeSpec] = []
    for node in nodes:
        if node.name not in targets:
            made.append(node)
            continue
        raw_name = f"{node.name}_raw"
        raw = derive(node, raw_name)
        raw_param = ParamSpec(raw_name, node.returns, False, ParamKind.KEYWORD_ONLY, node.span, node.span)
        validators = [
            derive(
                node,
                f"{node.name}_{check}",
                params=(raw_param,),
                returns=_VALIDATION_RESULT,
                tags={
                    **node.tags,
                    "hamilton.data_quality.contains_dq_results": True,
                    "hamilton.data_quality.source_node": node.name,
                },
            )
            for check in checks
        ]
        params = (
            raw_param,
            *(
                ParamSpec(v.name, _VALIDATION_RESULT, False, ParamKind.KEYWORD_ONLY, node.span, node.span)
                for v in validators
            ),
        )
        made.extend([raw, *validators, derive(node, node.name, params=params)])
    return made
