"""Dynamic parallelism at run time: a ``Parallelizable`` node's block copied once per item.

``FanOut`` is the part of ``RunInFlight`` (a mixin: same object, same slots) that turns a finished
expanding node into per-item copies of its block's planned nodes, appended to the run's arrays, and
that gathers the copies' values into the list a ``Collect`` node receives (in item order). The
topology (which nodes expand, collect, and lie between) comes from ``graph.parallel`` via the plan.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any

from livedag.execution.executor import NodeExecutor
from livedag.execution.plan import EXPAND, Plan, PlanBlock, PlannedNode
from livedag.execution.states import DONE, FAILED, PENDING, VALUE

__all__ = ["FanOut"]


class FanOut:
    """Expansion and gathering over the run's arrays, which grow in place (never rebound)."""

    __slots__ = ()
    plan: Plan
    executor: NodeExecutor
    values: list[Any]
    nodes: list[PlannedNode | None] | tuple[PlannedNode, ...]
    remaining: list[int]
    status: list[int]
    in_task: list[bool] | tuple[bool, ...]
    started: list[float]
    took: list[float]
    copies: dict[int, list[int]]
    counts: dict[int, int]
    errors: dict[int, tuple[BaseException, str]]

    def _dependents(self, i: int) -> tuple[int, ...]:
        node = self.node(i)
        if node.dependents is not EXPAND:
            return node.dependents
        block = self.plan.blocks[i]
        return (*block.nodes, block.collector)

    def node(self, i: int) -> PlannedNode:
        node = self.nodes[i]
        assert node is not None, f"slot {i} holds a value, not a node"
        return node

    def _expand(self, i: int) -> list[int]:
        """Copy node ``i``'s block once per item; the copies (and collector) to release, as ``dependents``.

        A copy's ``remaining`` counts its dependencies inside the block; a root's is 1, and the ready
        loop's decrement of the returned roots makes them ready.
        """
        block = self.plan.blocks[i]
        value = self.values[i]
        remote = self.executor.remote
        if remote and block.whole and not block.nodes:
            items: list[Any] = []  # nothing runs per item: the value stays one handle
        elif remote:  # the value becomes its items' handles, fetched one by one
            items = self.values[i] = self.executor.split(value, self.counts.get(i, 0))
            self.copies.setdefault(i, [])
        else:
            items = value = self.values[i] = value if type(value) is list else list(value)
        if block.whole:  # Hamilton's: a Collect parameter naming this node takes its whole value, as one item
            self.values[block.collected] = [value]
        release: list[int] = []
        for k, item in enumerate(items):
            release.extend(self._copy_block(block, k, item))
        collector = block.collector
        if block.whole or not items:
            release.append(collector)  # the collector counted ``i`` (or the block) once
        else:
            self.remaining[collector] += len(items) - 1
        for template in block.nodes:
            self.copies.setdefault(template, [])
        return release

    def _copy_block(self, block: PlanBlock, k: int, item: Any) -> list[int]:
        mapping = {block.expander: self._slot(None, item, VALUE, False)}
        for template in block.nodes:
            mapping[template] = self._slot(None, None, PENDING, self.in_task[template])
        roots: list[int] = []
        for template in block.nodes:
            original = self.node(template)
            j = mapping[template]
            kwargs = tuple((key, mapping.get(slot, slot)) for key, slot in original.kwargs)
            inside = sum(1 for _, slot in original.kwargs if slot in mapping and slot != block.expander)
            copy = dataclasses.replace(
                original,
                index=j,
                name=f"{original.name}[{k}]",
                kwargs=kwargs,
                template=template,
                slot0=kwargs[0][1] if kwargs else -1,
                dependents=tuple(mapping.get(d, d) for d in original.dependents),
                getter=operator.itemgetter(*(slot for _, slot in kwargs)) if original.getter is not None else None,
                task_name=f"livedag:{original.name}[{k}]",
            )
            self.nodes[j] = copy  # type: ignore[index]  # a list whenever the plan has blocks
            self.copies.setdefault(template, []).append(j)
            self.remaining[j] = inside or 1  # a root's one count is the ready loop's to take
            if not inside:
                roots.append(j)
        return roots

    def _slot(self, node: PlannedNode | None, value: Any, state: int, in_task: bool) -> int:
        j = len(self.values)
        self.values.append(value)
        self.nodes.append(node)  # type: ignore[union-attr]  # a list whenever the plan has blocks
        self.remaining.append(0)
        self.status.append(state)
        self.in_task.append(in_task)  # type: ignore[union-attr]
        self.started.append(0.0)
        self.took.append(0.0)
        return j

    def gather(self, template: int) -> None:
        """Set a block node's value (and state) from its copies: the list a ``Collect`` receives."""
        copies = self.copies.get(template)
        if copies is None or self.status[template] != PENDING:  # gathered already (values may be fetched)
            return
        states = [self.status[j] for j in copies]
        if all(state == DONE for state in states):
            self.values[template] = [self.values[j] for j in copies]
            self.status[template] = DONE
            if copies:
                self.started[template] = min(self.started[j] for j in copies)
                self.took[template] = max(self.started[j] + self.took[j] for j in copies) - self.started[template]
        elif FAILED in states:
            first = copies[states.index(FAILED)]
            self.status[template] = FAILED
            self.errors[template] = self.errors[first]
            self.started[template], self.took[template] = self.started[first], self.took[first]
