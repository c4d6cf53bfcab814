"""Dynamic parallelism's topology (Hamilton's ``Parallelizable[T]`` / ``Collect[T]``), stdlib only.

A node whose return annotation is ``Parallelizable[T]`` *expands*: each item it yields runs the
nodes between it and the one node that takes a ``Collect[T]`` parameter (the *block*) once. The
collector receives the values of its ``Collect`` parameter's node, one per item, in item order.

This module owns only "which nodes expand, which collect, which nodes are in the block between",
as names; the driver turns a ``Block`` into copies of planned nodes at run time. The rules follow
Hamilton's: every expander reaches exactly one collector; a block node is needed only inside its
block (or by the collector); blocks do not nest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from livedag.graph.spec import NodeSpec

__all__ = ["COLLECT", "PARALLELIZABLE", "Block", "ParallelError", "collect_param", "find_blocks", "is_expander"]

PARALLELIZABLE = "hamilton.htypes.Parallelizable"
COLLECT = "hamilton.htypes.Collect"


class ParallelError(ValueError):
    """A ``Parallelizable``/``Collect`` layout the driver cannot run; ``node`` is the node at fault."""

    def __init__(self, node: str, message: str) -> None:
        self.node = node
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Block:
    """One expander, its collector, and the nodes run once per item (in the order given)."""

    expander: str
    collector: str
    param: str
    """The collector's ``Collect[T]`` parameter; its name is the node whose per-item values it takes."""
    nodes: tuple[str, ...]
    outside: tuple[str, ...]
    """Nodes outside the block that block nodes take: they must be done before the expansion."""


def is_expander(spec: NodeSpec) -> bool:
    return spec.returns is not None and spec.returns.name == PARALLELIZABLE


def collect_param(spec: NodeSpec) -> str | None:
    """The name of ``spec``'s ``Collect[T]`` parameter, if it has one."""
    for param in spec.params:
        if param.annotation is not None and param.annotation.name == COLLECT:
            return param.name
    return None


def find_blocks(
    order: Sequence[str], dependencies: Mapping[str, Iterable[str]], specs: Mapping[str, NodeSpec]
) -> tuple[Block, ...]:
    """The blocks among ``order`` (node names, dependencies first), or ``ParallelError``.

    ``dependencies`` maps each name in ``order`` to the names (of ``order``) it takes.
    """
    dependents: dict[str, list[str]] = {name: [] for name in order}
    for name in order:
        for dep in dependencies[name]:
            if dep in dependents:
                dependents[dep].append(name)
    collectors = {name: param for name in order if (param := collect_param(specs[name])) is not None}
    blocks = [_block(name, order, dependencies, dependents, collectors) for name in order if is_expander(specs[name])]
    claimed: dict[str, str] = {}
    for block in blocks:
        for name in (*block.nodes, block.expander):
            if name in claimed and claimed[name] != block.expander:
                raise ParallelError(
                    name,
                    f"node `{name}` is inside the Parallelizable block of "
                    f"`{claimed[name]}` and of `{block.expander}`: blocks cannot nest; "
                    "collect the inner block before the outer one expands again",
                )
            claimed[name] = block.expander
    reached = {block.collector for block in blocks}
    for name in collectors:
        if name not in reached:
            raise ParallelError(
                name,
                f"node `{name}` takes a Collect[...] parameter `{collectors[name]}` "
                "that no Parallelizable node feeds: make it a plain list parameter",
            )
    return tuple(blocks)


def _block(
    expander: str,
    order: Sequence[str],
    dependencies: Mapping[str, Iterable[str]],
    dependents: Mapping[str, list[str]],
    collectors: Mapping[str, str],
) -> Block:
    inside: set[str] = set()
    found: set[str] = set()
    pending = list(dependents[expander])
    while pending:  # downstream of the expander, stopping at collectors
        name = pending.pop()
        if name in inside or name in found:
            continue
        if name in collectors:
            found.add(name)
            continue
        inside.add(name)
        pending.extend(dependents[name])
    if len(found) != 1:
        what = "no" if not found else f"{len(found)} ({', '.join(f'`{n}`' for n in sorted(found))})"
        raise ParallelError(
            expander,
            f"Parallelizable node `{expander}` reaches {what} Collect[...] node(s): "
            "exactly one node downstream must take a Collect[...] parameter",
        )
    collector = found.pop()
    param = collectors[collector]
    if param != expander and param not in inside:
        raise ParallelError(
            collector, f"`{collector}` collects `{param}`, which is not between `{expander}` and `{collector}`"
        )
    members = {*inside, expander}
    for name in order:  # dependencies first: the first such node is the one to fix
        if name in inside and collector in dependencies[name]:
            raise ParallelError(
                name,
                f"node `{name}` runs once per item of `{expander}` but also takes "
                f"`{collector}`, which collects those items: take it outside the block",
            )
    collector_inside = [dep for dep in dependencies[collector] if dep in members and dep != param]
    if collector_inside:
        raise ParallelError(
            collector,
            f"`{collector}` takes `{collector_inside[0]}`, which runs once per item: "
            f"it may only take the block through its Collect parameter `{param}`",
        )
    outside = sorted({dep for name in inside for dep in dependencies[name] if dep not in members})
    return Block(expander, collector, param, tuple(name for name in order if name in inside), tuple(outside))
