"""Plans: what one kind of run executes, computed once per (outputs, input names, override names).

A plan is everything about a run that does not depend on the values: which nodes run (the outputs'
upstream, cut at overrides), in which order, where each argument comes from (a slot in one flat
value list), how each node is run (inline, in a task, in a thread) and which input types to check.
The scheduler only indexes lists; nothing on its hot path looks a name up.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from livedag.execution.checks import InputCheck, blocking_problems, input_checks
from livedag.execution.errors import InvalidRunError, where
from livedag.graph import CycleError, Graph, NodeKind, NodeSpec, ParamKind
from livedag.graph.parallel import Block, ParallelError, find_blocks
from livedag.graph.topology import topological_order

__all__ = [
    "EXPAND",
    "INLINE",
    "SUBMIT",
    "TASK",
    "THREAD",
    "NodeOptions",
    "Plan",
    "PlanBlock",
    "PlannedNode",
    "build_plan",
    "resolve_options",
]

# How a node is run. INLINE: called directly by the scheduler (sync nodes, the default);
# TASK: a coroutine in an asyncio task (async nodes, and sync nodes that need awaiting around
# them: backoff between retries); THREAD: a sync node in a worker thread (in_thread or timeout);
# SUBMIT: handed to a non-inline executor (threads, processes, Ray, Dask).
INLINE, TASK, THREAD, SUBMIT = 0, 1, 2, 3


class _Expand(tuple[int, ...]):
    """The type of ``EXPAND``: an empty tuple the scheduler recognises by identity."""

    __slots__ = ()


EXPAND: tuple[int, ...] = _Expand()
"""The ``dependents`` of a ``Parallelizable`` node: releasing it expands its block instead."""

_OPTION_KEYS = frozenset({"timeout", "retries", "backoff", "in_thread"})


@dataclass(frozen=True, slots=True)
class NodeOptions:
    timeout: float | None = None
    retries: int = 0
    backoff: float = 0.0
    in_thread: bool = False


def resolve_options(spec: NodeSpec, defaults: NodeOptions, overrides: Mapping[str, Any] | None) -> NodeOptions:
    """Driver defaults, then ``@livedag.node(...)``, then the driver's ``node_options`` entry."""
    merged: dict[str, Any] = {
        "timeout": defaults.timeout,
        "retries": defaults.retries,
        "backoff": defaults.backoff,
        "in_thread": defaults.in_thread,
    }
    merged.update(spec.options)
    merged.update(overrides or {})
    return NodeOptions(
        timeout=merged["timeout"],
        retries=int(merged["retries"] or 0),
        backoff=float(merged["backoff"] or 0.0),
        in_thread=bool(merged["in_thread"]),
    )


def check_option_mapping(name: str, options: Mapping[str, Any]) -> None:
    unknown = set(options) - _OPTION_KEYS
    if unknown:
        raise ValueError(f"node_options[{name!r}]: unknown option(s) {sorted(unknown)}; use {sorted(_OPTION_KEYS)}")
    timeout = options.get("timeout")
    if timeout is not None and timeout <= 0:
        raise ValueError(f"node_options[{name!r}]: timeout must be a positive number of seconds")
    if (options.get("retries") or 0) < 0:
        raise ValueError(f"node_options[{name!r}]: retries must be 0 or more")


@dataclass(frozen=True, slots=True, eq=False)
class PlannedNode:
    index: int
    name: str
    spec: NodeSpec
    function: Callable[..., Any]
    kind: NodeKind
    mode: int
    direct: bool
    """An async node with no timeout or retries: its coroutine is the task, no wrapper."""
    nargs: int
    """-1: call with keywords (``kwargs``); otherwise the number of positional arguments."""
    slot0: int
    getter: Callable[[list[Any]], Any] | None
    """``itemgetter`` of the argument slots when there are two or more positional arguments."""
    kwargs: tuple[tuple[str, int], ...]
    dependents: tuple[int, ...]
    options: NodeOptions
    task_name: str
    fanout: tuple[int, ...] = ()
    """A ``Parallelizable`` node's real dependents (its ``dependents`` is ``EXPAND``)."""
    collects: int = -1
    """A ``Collect`` node: the index of the node whose per-item values its ``Collect`` parameter takes."""
    gather: int = -1
    """A ``Collect`` node: the position of that parameter among its arguments."""
    template: int = -1
    """A per-item copy: the index of the block node it copies."""

    @property
    def expands(self) -> bool:
        return self.dependents is EXPAND

    def arguments(self, values: list[Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Positional and keyword arguments, for the paths that are not the inline hot loop."""
        if self.nargs < 0:
            return (), {key: values[slot] for key, slot in self.kwargs}
        return tuple(values[slot] for _, slot in self.kwargs), {}


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    nodes: tuple[PlannedNode, ...]
    """In topological order; ``nodes[i].index == i`` and slot ``i`` of the value list is node ``i``."""
    indegree: tuple[int, ...]
    roots: tuple[int, ...]
    slot_count: int
    input_slots: tuple[tuple[str, int], ...]
    override_slots: tuple[tuple[str, int], ...]
    """Overridden nodes (and inputs given as overrides) the plan reads; nodes among them are ``cached``."""
    cached: tuple[str, ...]
    outputs: tuple[tuple[str, int], ...]
    checks: tuple[InputCheck, ...]
    needs_loop: bool
    """False when every node runs inline: the run needs no event loop at all."""
    in_task: tuple[bool, ...]
    """Per node: runs as an asyncio task (anything not inline)."""
    blocks: dict[int, PlanBlock]
    """``Parallelizable`` node index -> its block (empty without dynamic parallelism)."""

    def names(self) -> tuple[str, ...]:
        return tuple(node.name for node in self.nodes)


@dataclass(frozen=True, slots=True)
class PlanBlock:
    """A ``graph.parallel.Block`` as plan indices: what one item of ``expander`` runs."""

    expander: int
    collector: int
    collected: int
    """The node whose per-item values the collector takes; with ``whole``, a value slot of its own."""
    nodes: tuple[int, ...]
    """The block's nodes in topological order (templates: only their per-item copies run)."""
    whole: bool = False
    """The ``Collect`` parameter names the expander itself: as in Hamilton, it gets the expander's whole
    value as its one item (``[[a, b, c]]``), in slot ``collected``."""


def fanout_edges(blocks: Iterable[Block]) -> set[tuple[str, str]]:
    """(consumer, producer) edges whose types differ by design: ``Parallelizable[T]`` -> ``T``, items -> ``Collect``."""
    return {
        edge for block in blocks for edge in ((name, block.expander) for name in (*block.nodes, block.collector))
    } | {(block.collector, block.param) for block in blocks}


def build_plan(
    graph: Graph,
    outputs: tuple[str, ...] | None,
    input_names: frozenset[str],
    override_names: frozenset[str],
    options: Callable[[NodeSpec], NodeOptions],
    submit: bool = False,
) -> Plan:
    """The plan, or ``InvalidRunError`` listing every name-level issue (types are checked per run).

    ``submit``: every node is handed to the executor (one that does not run sync nodes inline).
    """
    wanted = tuple(graph.nodes) if outputs is None else outputs
    known = [*graph.nodes, *graph.inputs]
    unknown = [name for name in wanted if name not in graph.nodes and name not in graph.inputs]
    unknown_overrides = sorted(name for name in override_names if name not in graph.nodes and name not in graph.inputs)
    running = graph.running_nodes(wanted, override_names)
    missing = graph.missing_inputs(input_names, wanted, override_names)
    try:
        blocks = find_blocks(running, {name: graph.node_dependencies(name) for name in running}, graph.nodes)
    except ParallelError as error:
        raise InvalidRunError(other=[f"{error} ({where(graph.nodes[error.node])})"]) from error
    problems = blocking_problems(graph, set(running), fanout_edges(blocks))
    static = [
        f"node `{name}` has no function to call (the graph was built from source text): build the "
        "Driver from the module or functions"
        for name in running
        if graph.nodes[name].function is None
    ]
    if unknown or unknown_overrides or missing or problems or static:
        raise InvalidRunError(
            unknown_outputs=unknown,
            unknown_overrides=unknown_overrides,
            missing_inputs=missing,
            problems=problems,
            other=static,
            known=known,
        )
    try:
        order = topological_order({name: graph.node_dependencies(name) for name in running})
    except CycleError as error:  # an opaque node's cycle: validation leaves those out
        raise InvalidRunError(other=[str(error)]) from error
    return _assemble(graph, order, wanted, input_names, override_names, options, blocks, submit)


def _assemble(
    graph: Graph,
    order: list[str],
    wanted: tuple[str, ...],
    input_names: frozenset[str],
    override_names: frozenset[str],
    options: Callable[[NodeSpec], NodeOptions],
    blocks: tuple[Block, ...] = (),
    submit: bool = False,
) -> Plan:
    slots = {name: index for index, name in enumerate(order)}
    extra: dict[str, int] = {}

    def slot_of(name: str) -> int:
        if name in slots:
            return slots[name]
        if name not in extra:
            extra[name] = len(order) + len(extra)
        return extra[name]

    given = input_names | override_names
    dependents: list[list[int]] = [[] for _ in order]
    indegree = [0] * len(order)
    arguments: list[tuple[bool, tuple[tuple[str, int], ...]]] = []
    for index, name in enumerate(order):
        spec = graph.nodes[name]
        params = [p for p in spec.params if p.kind.supported and (p.name in slots or p.name in given)]
        for param in params:
            if param.name in slots:
                dependents[slots[param.name]].append(index)
                indegree[index] += 1
        positional = all(p.kind is ParamKind.POSITIONAL_OR_KEYWORD for p in params) and len(params) == len(
            [p for p in spec.params if p.kind.supported]
        )
        arguments.append((positional, tuple((p.name, slot_of(p.name)) for p in params)))
    for name in wanted:
        slot_of(name)
    for block in blocks:  # what a block node takes from outside is done before the expansion
        expander = slots[block.expander]
        for name in block.outside:
            if expander not in dependents[slots[name]]:
                dependents[slots[name]].append(expander)
                indegree[expander] += 1
    nodes = [
        _planned(
            graph.nodes[name], index, positional, kwargs, tuple(dependents[index]), options(graph.nodes[name]), submit
        )
        for index, (name, (positional, kwargs)) in enumerate(zip(order, arguments, strict=True))
    ]
    planned_blocks = _plan_blocks(nodes, blocks, slots, slot_of)
    return Plan(
        nodes=tuple(nodes),
        indegree=tuple(indegree),
        roots=tuple(index for index, count in enumerate(indegree) if count == 0),
        slot_count=len(order) + len(extra),
        input_slots=tuple(
            (name, slot) for name, slot in extra.items() if name in input_names and name not in override_names
        ),
        override_slots=tuple((name, slot) for name, slot in extra.items() if name in override_names),
        cached=tuple(name for name in extra if name in override_names and name in graph.nodes),
        outputs=tuple((name, slot_of(name)) for name in wanted),
        checks=input_checks(graph, order, input_names - override_names, slot_of),
        needs_loop=any(node.mode != INLINE for node in nodes),
        in_task=tuple(node.mode != INLINE for node in nodes),
        blocks=planned_blocks,
    )


def _plan_blocks(
    nodes: list[PlannedNode], blocks: tuple[Block, ...], slots: dict[str, int], slot_of: Callable[[str], int]
) -> dict[int, PlanBlock]:
    """Mark expanders (``EXPAND``) and collectors (a task: its ``Collect`` argument is gathered first).

    A collector whose ``Collect`` parameter names the expander reads a slot of its own (named so that no
    input can take it): Hamilton hands such a parameter the expander's whole value, as one item.
    """
    planned: dict[int, PlanBlock] = {}
    for block in blocks:
        expander, collector = slots[block.expander], slots[block.collector]
        whole = block.param == block.expander
        collected = slot_of(f"{block.expander}[*]") if whole else slots[block.param]
        members = tuple(slots[name] for name in block.nodes)
        planned[expander] = PlanBlock(expander, collector, collected, members, whole)
        node = nodes[expander]
        nodes[expander] = dataclasses.replace(node, dependents=EXPAND, fanout=node.dependents)
        node = nodes[collector]
        position = next(k for k, (key, _) in enumerate(node.kwargs) if key == block.param)
        kwargs = tuple((key, collected if k == position else slot) for k, (key, slot) in enumerate(node.kwargs))
        nodes[collector] = dataclasses.replace(
            node,
            kwargs=kwargs,
            slot0=kwargs[0][1],
            getter=operator.itemgetter(*(slot for _, slot in kwargs)) if node.getter is not None else None,
            collects=collected,
            gather=position,
            mode=node.mode if node.mode != INLINE else TASK,
            direct=False,
        )
    return planned


def _planned(
    spec: NodeSpec,
    index: int,
    positional: bool,
    kwargs: tuple[tuple[str, int], ...],
    dependents: tuple[int, ...],
    options: NodeOptions,
    submit: bool = False,
) -> PlannedNode:
    assert spec.function is not None
    if submit:
        mode = SUBMIT
    elif spec.kind.is_async:
        mode = TASK
    elif options.in_thread or options.timeout is not None:
        mode = THREAD
    elif options.retries and options.backoff > 0:
        mode = TASK
    else:
        mode = INLINE
    nargs = len(kwargs) if positional else -1
    return PlannedNode(
        index=index,
        name=spec.name,
        spec=spec,
        function=spec.function,
        kind=spec.kind,
        mode=mode,
        direct=spec.kind is NodeKind.ASYNC and options.timeout is None and not options.retries and not submit,
        nargs=nargs,
        slot0=kwargs[0][1] if kwargs else -1,
        getter=operator.itemgetter(*(slot for _, slot in kwargs)) if positional and len(kwargs) >= 2 else None,
        kwargs=kwargs,
        dependents=dependents,
        options=options,
        task_name=f"livedag:{spec.name}",
    )
