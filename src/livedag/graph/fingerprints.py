"""Node fingerprints: a hash that changes when a node's own code or anything upstream of it changes.

The one rule behind the notebook's cache (a node keeps its value while its fingerprint holds) and the
editor's stale results (a result is stale once the node's fingerprint moves on). A node's fingerprint
hashes its own part (what "own code" means is the caller's: the notebook hashes the live function and the
helpers it reads, the editor the definition's text), then each dependency in parameter order: an upstream
node's fingerprint, or an external input's key (a version, a JSON text). Editing one node therefore
changes it and everything downstream of it at once, and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from livedag.graph.model import Graph
from livedag.graph.spec import NodeSpec
from livedag.graph.topology import CycleError

__all__ = ["node_fingerprints"]

_LENGTH = 16


def node_fingerprints(graph: Graph, own: Callable[[NodeSpec], str], input_key: Callable[[str], str]) -> dict[str, str]:
    """Node name -> fingerprint (16 hex digits). A node on a cycle, or downstream of one, gets none: it has
    no stable upstream to be current against."""
    try:
        order = graph.topological_order()
    except CycleError as error:
        on_cycle = set(error.cycle)
        order = [name for name in graph.nodes if name not in on_cycle]
    nodes = graph.nodes
    result: dict[str, str] = {}
    for name in order:
        digest = hashlib.sha256(own(nodes[name]).encode("utf-8", "replace"))
        for dependency in graph.dependencies(name):
            if dependency in nodes:
                upstream = result.get(dependency)
                if upstream is None:
                    break
                digest.update(f"\0node {dependency}={upstream}".encode())
            else:
                digest.update(f"\0input {dependency}={input_key(dependency)}".encode("utf-8", "replace"))
        else:
            result[name] = digest.hexdigest()[:_LENGTH]
    return result
