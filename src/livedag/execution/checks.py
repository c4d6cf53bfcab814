"""What is checked before a run starts: missing inputs, graph errors, and input value types.

Types are judged with the core's one rule (``livedag.graph.types.accepts``) on the ``TypeRef`` of
the value's class, so a value is refused only when the core can see that it does not fit: unknown,
opaque or generic-argument details never reject a value. Two allowances follow PEP 484's numeric
tower (an ``int`` where a ``float`` or ``complex`` is expected, a ``float`` where a ``complex`` is)
and ``None`` is accepted for a parameter that has a default (usually ``None``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from livedag.execution.errors import InputTypeIssue
from livedag.graph import Graph, Problem, ProblemCode, TypeRef, accepts
from livedag.graph.runtime_types import type_ref_from_annotation

__all__ = ["InputCheck", "blocking_problems", "input_checks", "value_fits"]

# Graph errors that make a run impossible or meaningless; a missing annotation does not.
_BLOCKING = frozenset(
    {
        ProblemCode.SYNTAX_ERROR,
        ProblemCode.CYCLE,
        ProblemCode.DUPLICATE_NODE,
        ProblemCode.UNSUPPORTED_PARAMETER,
        ProblemCode.TYPE_MISMATCH,
    }
)
_NUMERIC_TOWER = {"float": frozenset({"int"}), "complex": frozenset({"int", "float"})}
_VALUE_REFS: dict[type, TypeRef] = {}


def blocking_problems(
    graph: Graph, running: set[str], fanout: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """Graph errors about the running nodes (a type mismatch only when both its ends run).

    ``fanout`` holds the (consumer, producer) edges of dynamic parallelism, where a ``Parallelizable[T]``
    feeds a ``T`` and ``T`` items feed a ``Collect[T]``: a type mismatch reported there is not one.
    """
    return [
        problem
        for problem in graph.problems
        if problem.code in _BLOCKING
        and not (problem.code is ProblemCode.TYPE_MISMATCH and problem.nodes in fanout)
        and (
            not problem.nodes
            or (
                running.issuperset(problem.nodes)
                if problem.code is ProblemCode.TYPE_MISMATCH
                else bool(running.intersection(problem.nodes))
            )
        )
    ]


def _value_ref(cls: type) -> TypeRef:
    ref = _VALUE_REFS.get(cls)
    if ref is None:
        ref = _VALUE_REFS[cls] = type_ref_from_annotation(cls)
    return ref


def value_fits(value: Any, expected: TypeRef, none_default: bool = False) -> bool:
    if value is None and none_default:
        return True
    actual = _value_ref(type(value))
    if accepts(expected, actual):
        return True
    ancestors = actual.ancestors or frozenset({actual.name})
    targets = expected.args if expected.is_union else (expected,)
    return any(ancestors & _NUMERIC_TOWER.get(target.name, frozenset()) for target in targets)


@dataclass(slots=True, eq=False)
class InputCheck:
    """The type one input value must have, for the nodes that take it."""

    input: str
    slot: int
    expected: TypeRef
    none_default: bool
    nodes: tuple[str, ...]
    accepted: set[type] = field(default_factory=set)
    """Value classes already found to fit: the per-run check is then one set lookup."""

    def issue(self, value: Any) -> InputTypeIssue | None:
        cls = type(value)
        if cls in self.accepted:
            return None
        if value_fits(value, self.expected, self.none_default):
            self.accepted.add(cls)  # the verdict depends on the class only (``None`` included)
            return None
        return InputTypeIssue(self.input, _value_ref(cls).display(), str(self.expected), self.nodes)


def input_checks(
    graph: Graph, running: Iterable[str], input_names: frozenset[str], slot_of: Callable[[str], int]
) -> tuple[InputCheck, ...]:
    """One check per (input, annotation) among the running nodes' parameters."""
    grouped: dict[tuple[str, TypeRef, bool], list[str]] = {}
    for name in running:
        spec = graph.nodes[name]
        if spec.opaque:
            continue
        for param in spec.params:
            if param.name in input_names and param.annotation is not None and param.kind.supported:
                key = (param.name, param.annotation, param.has_default)
                grouped.setdefault(key, []).append(name)
    return tuple(
        InputCheck(input_name, slot_of(input_name), expected, has_default, tuple(users))
        for (input_name, expected, has_default), users in grouped.items()
        if not (expected.is_any or expected.is_opaque)
    )
