"""``@config.when`` and its family, as Hamilton resolves them, and the one-node view of a family when
there is no config at all (the editor's default).

With a config, a function is in the graph when every ``config.*`` on it holds, under the name before its
last ``__`` (or the ``name=`` given); a missing key reads as ``None``, as ``config.get`` does. With no
config every variant is kept: ``merge_families`` makes one node of the variants that share a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from livedag.graph.modifiers.context import derive, evolve
from livedag.graph.spec import NodeSpec, ParamSpec
from livedag.graph.types import union

__all__ = ["CONDITION_TAG", "Condition", "merge_families", "sanitize"]

CONDITION_TAG = "livedag.when"
"""A variant's condition as text (``kind == 'pdf'``); livedag's own, on variants only (not Hamilton's)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``config.when*`` decorator: its kind and its key -> value (or values) pairs."""

    kind: str
    pairs: tuple[tuple[str, Any], ...]

    def holds(self, config: Mapping[str, Any]) -> bool:
        values = [(config.get(key), wanted) for key, wanted in self.pairs]
        if self.kind == "config.when":
            return all(wanted == got for got, wanted in values)
        if self.kind == "config.when_not":
            return all(wanted != got for got, wanted in values)
        if self.kind == "config.when_in":
            return all(got in wanted for got, wanted in values)
        return all(got not in wanted for got, wanted in values)

    def text(self) -> str:
        operator = {"config.when": "==", "config.when_not": "!=", "config.when_in": "in"}.get(self.kind, "not in")
        return " and ".join(f"{key} {operator} {wanted!r}" for key, wanted in self.pairs)


def sanitize(name: str) -> str:
    """Hamilton's ``sanitize_function_name``: the part of the name before its last ``__``."""
    index = name.rfind("__")
    return name[:index] if index != -1 else name


def merge_families(specs: list[NodeSpec]) -> list[NodeSpec]:
    """Variants (nodes carrying a condition) that share a name become one node listing them."""
    families: dict[str, list[NodeSpec]] = {}
    for spec in specs:
        if CONDITION_TAG in spec.tags:
            families.setdefault(spec.name, []).append(spec)
    if not families:
        return specs
    merged: list[NodeSpec] = []
    done: set[str] = set()
    for spec in specs:
        if CONDITION_TAG not in spec.tags:
            merged.append(spec)
        elif spec.name not in done:
            done.add(spec.name)
            merged.append(_family(families[spec.name]))
    return merged


def _family(variants: list[NodeSpec]) -> NodeSpec:
    first = variants[0]
    if len(variants) == 1:  # a function that exists under some configs only: its own node, listed as a variant
        tags = dict(first.tags)
        tags.pop(CONDITION_TAG, None)
        return derive(first, first.name, tags=tags, variants=(first,))
    params: dict[str, ParamSpec] = {}
    for variant in variants:
        for param in variant.params:
            params.setdefault(param.name, param)
    # A parameter is required of the family only when every variant requires it.
    merged = tuple(
        evolve(param, has_default=not all(_requires(v, name) for v in variants)) for name, param in params.items()
    )
    returns = [v.returns for v in variants]
    common = {key: value for key, value in first.tags.items() if all(v.tags.get(key) == value for v in variants)}
    common.pop(CONDITION_TAG, None)
    return evolve(
        first,
        params=merged,
        returns=None if any(r is None for r in returns) else union([r for r in returns if r is not None]),
        returns_span=first.returns_span if len(variants) == 1 else None,
        tags=common,
        function=None,
        variants=tuple(variants),
    )


def _requires(variant: NodeSpec, name: str) -> bool:
    param = variant.param(name)
    return param is not None and not param.has_default
