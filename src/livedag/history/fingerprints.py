"""Fingerprints a run is recorded with: of the graph (its nodes, edges and source) and of its inputs.

Two runs with the same graph fingerprint ran the same code; with the same inputs fingerprint, the same
input values. Both are short sha256 hex digests. Values are hashed through JSON when they are JSON,
else through their ``repr`` (an object whose ``repr`` hides its content cannot be told apart: documented).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import weakref
from collections.abc import Mapping
from typing import Any

from livedag.graph import Graph

__all__ = ["graph_fingerprint", "inputs_fingerprint"]

_LENGTH = 16
_GRAPHS: weakref.WeakKeyDictionary[Graph, str] = weakref.WeakKeyDictionary()


def graph_fingerprint(graph: Graph) -> str:
    """Over every node's name, dependencies and source text (its code's bytes when there is no source).

    Computed once per ``Graph`` (graphs are immutable).
    """
    known = _GRAPHS.get(graph)
    if known is None:
        known = _GRAPHS[graph] = _digest(graph)
    return known


def _digest(graph: Graph) -> str:
    digest = hashlib.sha256()
    for name in sorted(graph.nodes):
        spec = graph.nodes[name]
        digest.update(f"\0{name}\0{','.join(graph.dependencies(name))}\0".encode())
        digest.update(_source(spec.function).encode("utf-8", "replace"))
    return digest.hexdigest()[:_LENGTH]


def _source(function: Any) -> str:
    if function is None:
        return ""
    target = inspect.unwrap(function)
    try:
        return inspect.getsource(target)
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        return repr((code.co_code, code.co_consts)) if code is not None else repr(target)


def inputs_fingerprint(inputs: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    for name in sorted(inputs):
        digest.update(f"\0{name}=".encode())
        digest.update(_value_text(inputs[name]).encode("utf-8", "replace"))
    return digest.hexdigest()[:_LENGTH]


def _value_text(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        try:
            return f"{type(value).__qualname__}:{value!r}"
        except Exception:  # noqa: BLE001 - a broken __repr__ must not break recording
            return f"{type(value).__qualname__}:<unrepresentable>"
