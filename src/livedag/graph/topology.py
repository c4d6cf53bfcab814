"""Order and reachability over a dependency mapping ``node -> nodes it needs``.

Everything here is iterative: a 10,000-node chain must not hit Python's recursion limit (Hamilton's
recursive walk does). Inputs are plain mappings so the functions are trivially table-tested.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["CycleError", "closure", "find_cycles", "reverse", "topological_order"]

Dependencies = Mapping[str, Sequence[str]]


class CycleError(ValueError):
    """Raised when an order is asked of a graph with a cycle; ``cycle`` is the path, first node repeated."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__(f"the graph has a cycle: {' -> '.join(cycle)}")


def reverse(dependencies: Dependencies) -> dict[str, list[str]]:
    """``node -> nodes that need it``, for every node of ``dependencies``."""
    dependents: dict[str, list[str]] = {name: [] for name in dependencies}
    for name, needs in dependencies.items():
        for need in needs:
            if need in dependents:
                dependents[need].append(name)
    return dependents


def topological_order(dependencies: Dependencies) -> list[str]:
    """Kahn's algorithm; ties keep the mapping's order, so the result is deterministic."""
    remaining = {name: sum(1 for need in needs if need in dependencies) for name, needs in dependencies.items()}
    dependents = reverse(dependencies)
    ready = deque(name for name, count in remaining.items() if count == 0)
    order: list[str] = []
    while ready:
        name = ready.popleft()
        order.append(name)
        for dependent in dependents[name]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                ready.append(dependent)
    if len(order) != len(remaining):
        raise CycleError(find_cycles(dependencies)[0])
    return order


def closure(edges: Mapping[str, Sequence[str]], start: Iterable[str]) -> set[str]:
    """Every name reachable from ``start`` along ``edges`` (``start`` included)."""
    seen: set[str] = set()
    pending = list(start)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(edges.get(name, ()))
    return seen


def find_cycles(dependencies: Dependencies) -> list[list[str]]:
    """One cycle path per strongly connected component that has one, e.g. ``[a, b, c, a]``."""
    cycles: list[list[str]] = []
    position = {name: index for index, name in enumerate(dependencies)}
    for component in _strongly_connected(dependencies):
        members = set(component)
        first = min(component, key=position.__getitem__)
        if len(component) == 1 and first not in dependencies[first]:
            continue
        cycles.append(_cycle_through(first, members, dependencies))
    return cycles


def _cycle_through(start: str, members: set[str], dependencies: Dependencies) -> list[str]:
    """A shortest path from ``start`` back to itself inside one component (breadth first)."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for need in dependencies[name]:
            if need == start:
                backwards = [name]
                while backwards[-1] != start:
                    backwards.append(previous[backwards[-1]])
                return [*reversed(backwards), start]
            if need in members and need not in previous:
                previous[need] = name
                queue.append(need)
    return [start, start]


def _strongly_connected(dependencies: Dependencies) -> list[list[str]]:
    """Tarjan's algorithm with an explicit stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in dependencies:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            name, position = work.pop()
            if position == 0:
                index[name] = low[name] = counter
                counter += 1
                stack.append(name)
                on_stack.add(name)
            needs = [need for need in dependencies[name] if need in dependencies]
            if position < len(needs):
                work.append((name, position + 1))
                need = needs[position]
                if need not in index:
                    work.append((need, 0))
                elif need in on_stack:
                    low[name] = min(low[name], index[need])
                continue
            for need in needs:
                if need in on_stack:
                    low[name] = min(low[name], low[need])
            if low[name] == index[name]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == name:
                        break
                components.append(component)
    return components
