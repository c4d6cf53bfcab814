"""Notebook caching: which nodes can reuse their last value instead of running again.

A node's *key* is its fingerprint (``livedag.graph.fingerprints``): its source chained with the keys of
everything it depends on; an external input's key is a version number that changes when the notebook
variable's value changes (neither the same object nor equal). A node whose key is unchanged since it last
finished keeps that value: it is handed to the driver as an override and shows as ``cached``. Editing a
cell changes the source of its nodes, so exactly those nodes and their dependents run again.

Pure bookkeeping: no IPython, no driver. A node's source includes the notebook-defined helpers,
classes and constants it reads (``kernel.fingerprint``); what that does not track is listed there, and
the ``--force`` option runs everything.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from livedag.graph import Graph, NodeSpec
from livedag.graph.fingerprints import node_fingerprints
from livedag.kernel.fingerprint import fingerprint

__all__ = ["ResultCache", "source_fingerprint"]

_MISSING = object()


@dataclass(slots=True)
class _Entry:
    key: str
    value: Any


class ResultCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._inputs: dict[str, tuple[int, Any]] = {}

    def keys(self, graph: Graph, inputs: Mapping[str, Any]) -> dict[str, str]:
        """Every node's key for this graph and these input values (input versions are updated)."""
        input_keys = {name: self._input_key(name, inputs.get(name, _MISSING)) for name in graph.inputs}
        return node_fingerprints(graph, source_fingerprint, input_keys.__getitem__)

    def overrides(self, keys: Mapping[str, str], wanted: set[str] | None = None) -> dict[str, Any]:
        """Last values of the nodes whose key did not change (limited to ``wanted`` when given)."""
        return {
            name: entry.value
            for name, entry in self._entries.items()
            if keys.get(name) == entry.key and (wanted is None or name in wanted)
        }

    def store(self, keys: Mapping[str, str], values: Mapping[str, Any], failed: Iterable[str] = ()) -> None:
        """Remember the values a run computed (or reused) under the keys it started with."""
        for name, value in values.items():
            if name in keys:
                self._entries[name] = _Entry(keys[name], value)
        for name in failed:
            self._entries.pop(name, None)

    def forget(self, *names: str) -> None:
        for name in names or list(self._entries):
            self._entries.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def _input_key(self, name: str, value: Any) -> str:
        if value is _MISSING:
            return "default"
        version, previous = self._inputs.get(name, (0, _MISSING))
        if previous is _MISSING or not _same(previous, value):
            version += 1
            self._inputs[name] = (version, _snapshot(value))
        return f"v{version}"


_PLAIN = (list, dict, set, tuple, frozenset, str, bytes, int, float, complex, bool, type(None))


def _snapshot(value: Any) -> Any:
    """A copy of plain data (so a list changed in place counts as changed); other objects as they are."""
    if isinstance(value, _PLAIN) and type(value) in _PLAIN:
        try:
            return copy.deepcopy(value)
        except Exception:  # noqa: BLE001 - uncopyable contents: compare the object itself
            return value
    return value


def _same(old: Any, new: Any) -> bool:
    if old is new and type(old) not in _PLAIN:
        return True  # an object mutated in place is not seen: documented, `--force` recomputes
    try:
        return type(old) is type(new) and bool(old == new)
    except Exception:  # noqa: BLE001 - arrays and odd objects: treat as changed
        return False


def source_fingerprint(spec: NodeSpec) -> str:
    """The node's source, the notebook helpers, classes and constants it uses (``fingerprint``), its options."""
    if spec.function is None:
        return f"static:{spec.name}"
    return f"{spec.name}\n{fingerprint(spec.function)}\n{sorted(spec.options.items())!r}"
