"""A modifier's arguments read from source as literals: constants, containers, and Hamilton's
``source(...)``, ``value(...)`` and ``group(...)`` helpers. Anything computed at import (a name, a call
to something else) raises ``NotLiteral``: the modifier then stays opaque, with one info note."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from livedag.graph.modifiers.names import canonical_helper

__all__ = ["Group", "NotLiteral", "Qualify", "Source", "Value", "keyword_nodes", "keywords", "literal"]

Qualify = Callable[[ast.expr], "str | None"]
"""An expression naming something -> its qualified name through the module's imports."""


class NotLiteral(Exception):
    """An argument that only running the module could tell."""

    def __init__(self, node: ast.AST | str) -> None:
        """``node``: the expression (named in the note), or a description of what cannot be read."""
        text = node if isinstance(node, str) else ast.unparse(node) if isinstance(node, ast.expr) else ""
        super().__init__(text or type(node).__name__)
        self.node = node


@dataclass(frozen=True, slots=True)
class Source:
    """``source("name")``: the parameter takes the node or input ``name``."""

    name: str
    node: ast.Constant | None = None


@dataclass(frozen=True, slots=True)
class Value:
    """``value(x)``: the parameter is bound to a constant."""

    value: Any


@dataclass(frozen=True, slots=True)
class Group:
    """``group(source("a"), source("b"))``: the parameter takes a list (or dict) of dependencies."""

    items: tuple[Any, ...]


def literal(node: ast.expr, qualify: Qualify) -> Any:
    """The value of ``node`` as Hamilton would see it, or ``NotLiteral``."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call):  # `source(...)`, `value(...)`, `dict(...)`: the most common after constants
        return _helper(node, qualify)
    if isinstance(node, ast.Tuple):
        return tuple(literal(item, qualify) for item in node.elts)
    if isinstance(node, ast.List):
        return [literal(item, qualify) for item in node.elts]
    if isinstance(node, ast.Set):
        return {literal(item, qualify) for item in node.elts}
    if isinstance(node, ast.Dict):
        if None in node.keys:
            raise NotLiteral(node)  # `{**other}`
        return {literal(k, qualify): literal(v, qualify) for k, v in zip(node.keys, node.values, strict=True) if k}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = literal(node.operand, qualify)
        if isinstance(operand, int | float):
            return -operand if isinstance(node.op, ast.USub) else operand
    raise NotLiteral(node)


def _helper(node: ast.Call, qualify: Qualify) -> Any:
    helper = canonical_helper(qualify(node.func))
    if helper == "dict" or (isinstance(node.func, ast.Name) and node.func.id == "dict" and helper is None):
        if node.args or any(keyword.arg is None for keyword in node.keywords):
            raise NotLiteral(node)
        return {keyword.arg: literal(keyword.value, qualify) for keyword in node.keywords}
    if helper == "source" and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
        name = node.args[0].value
        if isinstance(name, str):
            return Source(name, node.args[0])
    if helper == "value" and len(node.args) == 1:
        return Value(literal(node.args[0], qualify))
    if helper == "group" and not node.keywords:
        return Group(tuple(literal(item, qualify) for item in node.args))
    if helper == "group" and not node.args:
        return Group(tuple(literal(keyword.value, qualify) for keyword in node.keywords))
    raise NotLiteral(node)


def keywords(call: ast.Call, qualify: Qualify) -> dict[str, Any]:
    """A call's keyword arguments as literals (``**{"a": 1}`` included)."""
    found: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            expanded = literal(keyword.value, qualify)
            if not isinstance(expanded, dict) or not all(isinstance(key, str) for key in expanded):
                raise NotLiteral(keyword.value)
            found.update(expanded)
        else:
            found[keyword.arg] = literal(keyword.value, qualify)
    return found


def keyword_nodes(call: ast.Call) -> dict[str, ast.expr]:
    """A call's keyword arguments as expressions (``**{"a": x}`` with a literal dict included)."""
    found: dict[str, ast.expr] = {}
    for keyword in call.keywords:
        if keyword.arg is not None:
            found[keyword.arg] = keyword.value
        elif isinstance(keyword.value, ast.Dict) and all(
            isinstance(key, ast.Constant) and isinstance(key.value, str) for key in keyword.value.keys
        ):
            for key, item in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found[key.value] = item
        else:
            raise NotLiteral(keyword.value)
    return found
