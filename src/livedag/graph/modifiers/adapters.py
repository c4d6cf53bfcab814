"""``@dataloader``, ``@datasaver``, ``@load_from.<kind>`` and ``@save_to.<kind>`` from source: the nodes and
tags Hamilton's materialisation adds. The loader and saver classes live in Hamilton's registry, so the types
of the nodes they make (and their ``classname`` tags) are known only at runtime: opaque here."""

from __future__ import annotations

from typing import Any

from livedag.graph.modifiers.context import Modifier, SourceTools, derive
from livedag.graph.modifiers.literals import NotLiteral, Source, keywords
from livedag.graph.spec import NodeSpec, ParamKind, ParamSpec
from livedag.graph.types import TypeRef, opaque

__all__ = ["data_adapter"]

_KEYWORD_ONLY = ParamKind.KEYWORD_ONLY


def data_adapter(nodes: list[NodeSpec], modifier: Modifier, tools: SourceTools) -> list[NodeSpec]:
    (node,) = nodes  # a node creator or injector: applied to the function's one node
    if modifier.name == "dataloader":
        return _dataloader(node)
    if modifier.name == "datasaver":
        tags = {
            "hamilton.data_saver": True,
            "hamilton.data_saver.sink": node.name,
            "hamilton.data_saver.classname": f"{node.name}()",
        }
        return [derive(node, node.name, tags={**node.tags, **tags})]
    kind = modifier.qualified.rsplit(".", 1)[-1]
    if modifier.call is None or modifier.call.args:
        raise NotLiteral(modifier.expr)
    arguments = keywords(modifier.call, tools.qualify)
    if modifier.name == "load_from":
        return _load_from(node, kind, arguments)
    return _save_to(node, kind, arguments)


def _dataloader(node: NodeSpec) -> list[NodeSpec]:
    loader = f"{node.name}.loader"
    common = {
        "hamilton.data_loader": True,
        "hamilton.data_loader.node": node.name,
        "hamilton.data_loader.classname": f"{node.name}()",
    }
    items = node.returns.args if node.returns is not None and node.returns.name == "tuple" else ()
    value: TypeRef = items[0] if items else opaque()
    made = derive(
        node,
        loader,
        tags={
            **node.tags,
            **common,
            "hamilton.data_loader.has_metadata": True,
            "hamilton.data_loader.source": "loader",
        },
    )
    param = ParamSpec(loader, node.returns, False, _KEYWORD_ONLY, node.span, node.span)
    selected = derive(
        node,
        node.name,
        params=(param,),
        returns=value,
        tags={
            **node.tags,
            **common,
            "hamilton.data_loader.has_metadata": False,
            "hamilton.data_loader.source": node.name,
        },
    )
    return [made, selected]


def _load_from(node: NodeSpec, kind: str, arguments: dict[str, Any]) -> list[NodeSpec]:
    target = arguments.pop("inject_", None)
    supported = [p for p in node.params if p.kind.supported]
    if target is None and len(supported) == 1:
        target = supported[0].name
    param = node.param(target) if isinstance(target, str) else None
    if param is None:
        raise NotLiteral(f"load_from.{kind}(...) without `inject_=`: which parameter it fills")
    load, select = f"{node.name}.load_data.{param.name}", f"{node.name}.select_data.{param.name}"
    tags = {"hamilton.data_loader": True, "hamilton.data_loader.source": kind, "hamilton.data_loader.node": param.name}
    sources = tuple(
        ParamSpec(value.name, opaque(), False, _KEYWORD_ONLY, node.span, node.span)
        for value in arguments.values()
        if isinstance(value, Source)
    )
    loaded = derive(
        node, load, params=sources, returns=opaque(), tags={**tags, "hamilton.data_loader.has_metadata": True}
    )
    selected = derive(
        node,
        select,
        params=(ParamSpec(load, opaque(), False, _KEYWORD_ONLY, node.span, node.span),),
        returns=param.annotation,
        tags={**tags, "hamilton.data_loader.has_metadata": False},
    )
    params = tuple(
        ParamSpec(select, p.annotation, False, _KEYWORD_ONLY, p.span, p.annotation_span) if p.name == param.name else p
        for p in node.params
    )
    return [loaded, selected, derive(node, node.name, params=params)]


def _save_to(node: NodeSpec, kind: str, arguments: dict[str, Any]) -> list[NodeSpec]:
    name = arguments.pop("output_name_", None) or f"save.{node.name}"
    if not isinstance(name, str):
        raise NotLiteral("save_to(output_name_=...)")
    params = (
        ParamSpec(node.name, node.returns, False, _KEYWORD_ONLY, node.span, node.span),
        *(
            ParamSpec(v.name, opaque(), False, _KEYWORD_ONLY, node.span, node.span)
            for v in arguments.values()
            if isinstance(v, Source)
        ),
    )
    tags = {"hamilton.data_saver": True, "hamilton.data_saver.sink": kind}
    return [node, derive(node, name, params=params, returns=opaque(), tags=tags)]
