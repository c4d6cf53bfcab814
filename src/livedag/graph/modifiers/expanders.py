"""``parameterize*``, ``inject``, ``extract_columns``, ``extract_fields``, ``unpack_fields`` and
``parameterize_extract_columns`` from source,
making the nodes Hamilton makes: names, parameters (renamed by ``source``, bound by ``value``), types."""

from __future__ import annotations

import ast
from typing import Any

from livedag.graph.modifiers.context import Modifier, SourceTools, derive
from livedag.graph.modifiers.literals import Group, NotLiteral, Source, Value, keyword_nodes, literal
from livedag.graph.modifiers.names import canonical_helper
from livedag.graph.spec import NodeSpec, ParamKind, ParamSpec, Span
from livedag.graph.types import TypeRef, opaque

__all__ = ["expand", "extract"]

_KEYWORD_ONLY = ParamKind.KEYWORD_ONLY
_SERIES = opaque("Series")  # a column of a dataframe: its class is the dataframe library's, not known statically


def expand(node: NodeSpec, modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    """The nodes an expander (``parameterize`` and kin, ``inject``) makes of ``node``."""
    call = modifier.call
    if call is None:
        raise NotLiteral(modifier.expr)
    if modifier.name == "inject":
        mapping = {key: literal(value, tools.qualify) for key, value in keyword_nodes(call).items()}
        return [_bound(node, node.name, mapping, node.span, None, tools)]
    if modifier.name == "parameterize_extract_columns":
        return _parameterize_extract_columns(node, call, tools)
    if modifier.name in ("parameterize_values", "parametrized", "parametrized_input"):
        return _parameterize_values(node, call, tools, modifier.name == "parametrized_input")
    made = []
    for name, value_node in keyword_nodes(call).items():
        raw = literal(value_node, tools.qualify)
        doc = None
        if isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[1], str):
            raw, doc = raw
        if not isinstance(raw, dict):
            raise NotLiteral(value_node)
        if modifier.name in ("parameterize_sources", "parameterized_inputs"):
            raw = {param: Source(source) if isinstance(source, str) else source for param, source in raw.items()}
        made.append(_bound(node, name, raw, _key_span(call, name, tools) or node.span, doc, tools))
    return made


def _parameterize_values(node: NodeSpec, call: ast.Call, tools: SourceTools, by_input: bool) -> list[NodeSpec]:
    """``parameterize_values(parameter, {(name, doc): value})`` (and ``parametrized``, its old name), or
    ``parametrized_input(parameter, {input: (name, doc)})``: one node per entry, arguments by position or
    keyword."""
    outputs_key = "variable_inputs" if by_input else "assigned_output"
    arguments = dict(zip(("parameter", outputs_key), call.args, strict=False)) | keyword_nodes(call)
    parameter = literal(arguments["parameter"], tools.qualify) if "parameter" in arguments else None
    outputs = arguments.get(outputs_key)
    if not isinstance(parameter, str) or not isinstance(outputs, ast.Dict):
        raise NotLiteral(call)
    made = []
    for key_node, value_node in zip(outputs.keys, outputs.values, strict=True):
        if key_node is None:
            raise NotLiteral(outputs)
        named_by, bound = (value_node, Source(str(literal(key_node, tools.qualify)))) if by_input else (key_node, None)
        key = literal(named_by, tools.qualify)
        name, doc = key if isinstance(key, tuple) else (key, None)
        string = named_by.elts[0] if isinstance(named_by, ast.Tuple) else named_by
        span = tools.string_span(string) if isinstance(string, ast.Constant) else node.span
        dependency = bound if bound is not None else Value(literal(value_node, tools.qualify))
        made.append(_bound(node, str(name), {parameter: dependency}, span, doc, tools))
    return made


def _parameterize_extract_columns(node: NodeSpec, call: ast.Call, tools: SourceTools) -> list[NodeSpec]:
    """Each ``ParameterizedExtract(outputs, input_mapping)``: the function parameterized as ``<name>__<i>``
    (as ``parameterize`` would), and the columns ``outputs`` extracted from it."""
    made: list[NodeSpec] = []
    for index, entry in enumerate(call.args):
        if not isinstance(entry, ast.Call) or canonical_helper(tools.qualify(entry.func)) != "ParameterizedExtract":
            raise NotLiteral(entry)
        arguments = dict(zip(("outputs", "input_mapping"), entry.args, strict=False)) | keyword_nodes(entry)
        outputs, mapping = arguments.get("outputs"), arguments.get("input_mapping")
        if not isinstance(outputs, ast.Tuple | ast.List) or mapping is None:
            raise NotLiteral(entry)
        raw = literal(mapping, tools.qualify)
        if not isinstance(raw, dict):
            raise NotLiteral(mapping)
        parameterized = _bound(node, f"{node.name}__{index}", raw, tools.node_span(entry), None, tools)
        param = ParamSpec(parameterized.name, node.returns, False, _KEYWORD_ONLY, node.span, node.span)
        columns = [
            derive(parameterized, name, params=(param,), returns=_SERIES, span=span, doc="")
            for name, span in _strings(list(outputs.elts), tools)
        ]
        made.extend([parameterized, *columns])
    return made


def _bound(
    node: NodeSpec, name: str, mapping: dict[str, Any], span: Span | None, doc: str | None, tools: SourceTools
) -> NodeSpec:
    """``node`` renamed, with each mapped parameter bound to a value or renamed to its source(s); a renamed
    parameter is located at the ``source("...")`` string that names it (what renaming that node edits)."""
    params: list[ParamSpec] = []
    for param in node.params:
        if param.name not in mapping:
            params.append(param)
            continue
        dependency = mapping[param.name]
        if isinstance(dependency, Source):
            params.append(_renamed(param, dependency, param.annotation, tools))
        elif isinstance(dependency, Group):
            item = _item_type(param.annotation)
            sources = [entry for entry in dependency.items if isinstance(entry, Source)]
            params.extend(_renamed(param, entry, item, tools) for entry in sources)
        # a Value (or a plain constant, which Hamilton takes as one) binds the parameter: no dependency
    return derive(node, name, params=tuple(_unique(params)), span=span, doc=doc)


def _renamed(param: ParamSpec, source: Source, annotation: TypeRef | None, tools: SourceTools) -> ParamSpec:
    span = tools.string_span(source.node) if source.node is not None else param.span
    return ParamSpec(source.name, annotation, False, param.kind, span, param.annotation_span)


def _unique(params: list[ParamSpec]) -> list[ParamSpec]:
    if len({param.name for param in params}) == len(params):
        return params
    seen: dict[str, ParamSpec] = {}
    for param in params:
        seen.setdefault(param.name, param)
    return list(seen.values())


def _item_type(annotation: TypeRef | None) -> TypeRef | None:
    if annotation is None or annotation.is_opaque or not annotation.args:
        return opaque(str(annotation) if annotation else "")
    return annotation.args[-1] if annotation.name in ("dict", "collections.abc.Mapping") else annotation.args[0]


def _key_span(call: ast.Call, name: str, tools: SourceTools) -> Span | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return tools.keyword_span(keyword)
        if keyword.arg is None and isinstance(keyword.value, ast.Dict):
            for key in keyword.value.keys:
                if isinstance(key, ast.Constant) and key.value == name:
                    return tools.string_span(key)
    return None


def extract(node: NodeSpec, modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    """``node`` and the nodes ``extract_columns``/``extract_fields``/``unpack_fields`` take out of it."""
    fields = _fields(node, modifier, tools)
    param = ParamSpec(node.name, node.returns, False, _KEYWORD_ONLY, node.span, node.span)
    made = [derive(node, name, params=(param,), returns=returns, span=span, doc="") for name, returns, span in fields]
    return [node, *made]


def _fields(node: NodeSpec, modifier: Modifier, tools: SourceTools) -> list[tuple[str, TypeRef | None, Span]]:
    args = modifier.args
    if modifier.name == "extract_fields":
        fields = args[0] if args else keyword_nodes(modifier.call).get("fields") if modifier.call else None
        if isinstance(fields, ast.Dict):
            found: list[tuple[str, TypeRef | None, Span]] = []
            for key, annotation in zip(fields.keys, fields.values, strict=True):
                if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                    raise NotLiteral(fields)
                found.append((key.value, tools.annotation(annotation), tools.string_span(key)))
            return found
        if isinstance(fields, ast.Call) and tools.qualify(fields.func) in ("dict", "builtins.dict") and not fields.args:
            if any(keyword.arg is None for keyword in fields.keywords):
                raise NotLiteral(fields)
            return [(k.arg or "", tools.annotation(k.value), tools.keyword_span(k)) for k in fields.keywords]
        if isinstance(fields, ast.List | ast.Tuple):
            return [(name, opaque(), span) for name, span in _strings(fields.elts, tools)]
        raise NotLiteral(fields if fields is not None else modifier.expr)
    names = _strings(_unstarred(args, tools), tools)
    if modifier.name == "extract_columns":
        return [(name, _SERIES, span) for name, span in names]
    items = node.returns.args if node.returns is not None and node.returns.name == "tuple" else ()
    variadic = len(items) == 2 and items[1].is_opaque and items[1].text == "..."
    types = [items[0] if variadic else items[i] if i < len(items) else opaque() for i in range(len(names))]
    return [(name, typ, span) for (name, span), typ in zip(names, types, strict=True)]


def _unstarred(args: list[ast.expr], tools: SourceTools) -> list[ast.expr]:
    """``*COLUMNS`` of a list or tuple the module assigns once: its items."""
    found: list[ast.expr] = []
    for arg in args:
        value = tools.constant(arg.value) if isinstance(arg, ast.Starred) else None
        if isinstance(arg, ast.Starred) and not isinstance(value, ast.List | ast.Tuple):
            raise NotLiteral(arg)
        found.extend(value.elts if isinstance(value, ast.List | ast.Tuple) else [arg])
    return found


def _strings(nodes: list[ast.expr], tools: SourceTools) -> list[tuple[str, Span]]:
    found = []
    for item in nodes:
        if not isinstance(item, ast.Constant) or not isinstance(item.value, str):
            raise NotLiteral(item)
        found.append((item.value, tools.string_span(item)))
    return found
