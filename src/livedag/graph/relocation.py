"""The same graph at other lines: node specs and problems moved, never read or validated again.

Pressing Enter in a body moves every later function of the file down a line and changes no fact of the
graph: the nodes, their types and edges are what they were, so its problems are the ones already found,
each at its node's new line. :func:`node_shifts` tells whether new specs are old ones only moved (and by
how many lines each), :func:`relocate` moves problems accordingly, :func:`moved_spec` moves a spec, and
:func:`shifted` moves one lazily (a :class:`MovedSpec`, which moves its places when they are first read).
Anything these cannot account for exactly (a problem at a place that belongs to no node, a line number in
a message that is no node's) makes them answer ``None``: the caller then validates the graph again.

Every span of a node moves with it as one piece, but for the end of its definition (a body that grew).
Validation reads no definition span, so where a body ends never changes a problem.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

from livedag.graph.problems import Problem, RelatedSpan
from livedag.graph.spec import DecoratorSpec, NodeSpec, ParamSpec, Span

__all__ = ["MovedSpec", "NodeShifts", "moved_span", "moved_spec", "node_shifts", "relocate", "shifted"]

Origin = tuple[NodeSpec, int] | None
"""What a spec was made from: an earlier spec moved by a number of lines, or ``None`` (read afresh)."""


_SPAN_FIELDS = ("path", "line", "column", "end_line", "end_column")
_SET_PATH, _SET_LINE, _SET_COLUMN, _SET_END_LINE, _SET_END_COLUMN = (
    Span.__dict__[name].__set__ for name in _SPAN_FIELDS
)
_new_span = Span.__new__


def moved_span(span: Span | None, lines: int) -> Span | None:
    """``span`` ``lines`` lines further down. Spans are the most numerous objects moved: their slots are set
    directly (what the frozen dataclass's ``__init__`` does, at half the cost)."""
    if span is None or lines == 0:
        return span
    moved = _new_span(Span)
    _SET_PATH(moved, span.path)
    _SET_LINE(moved, span.line + lines)
    _SET_COLUMN(moved, span.column)
    _SET_END_LINE(moved, span.end_line + lines)
    _SET_END_COLUMN(moved, span.end_column)
    return moved


_P_NAME, _P_ANNOTATION, _P_DEFAULT, _P_KIND, _P_SPAN, _P_ANNOTATION_SPAN = (
    ParamSpec.__dict__[name].__set__
    for name in ("name", "annotation", "has_default", "kind", "span", "annotation_span")
)
_new_param = ParamSpec.__new__
_NODE_FIELDS = (
    *("name", "params", "returns", "kind", "module", "span", "definition_span", "returns_span", "doc"),
    *("decorators", "options", "function", "tags", "origin", "variants"),
)
(
    _N_NAME,
    _N_PARAMS,
    _N_RETURNS,
    _N_KIND,
    _N_MODULE,
    _N_SPAN,
    _N_DEFINITION,
    _N_RETURNS_SPAN,
    _N_DOC,
    _N_DECORATORS,
    _N_OPTIONS,
    _N_FUNCTION,
    _N_TAGS,
    _N_ORIGIN,
    _N_VARIANTS,
) = (NodeSpec.__dict__[name].__set__ for name in _NODE_FIELDS)
_new_node = NodeSpec.__new__


def _moved_param(param: ParamSpec, lines: int) -> ParamSpec:
    moved = _new_param(ParamSpec)
    _P_NAME(moved, param.name)
    _P_ANNOTATION(moved, param.annotation)
    _P_DEFAULT(moved, param.has_default)
    _P_KIND(moved, param.kind)
    _P_SPAN(moved, moved_span(param.span, lines))
    _P_ANNOTATION_SPAN(moved, moved_span(param.annotation_span, lines))
    return moved


def _moved_decorator(decorator: DecoratorSpec, lines: int) -> DecoratorSpec:
    return DecoratorSpec(decorator.name, decorator.string_args, moved_span(decorator.span, lines), decorator.reason)


def moved_spec(spec: NodeSpec, lines: int) -> NodeSpec:
    """The spec of the same text ``lines`` lines further down (its variants too): every span moved.

    Built slot by slot, as the frozen dataclass's own ``__init__`` does (``dataclasses.replace`` costs four
    times as much, and a large file moves thousands of specs per keystroke); a test checks that every field
    of the four classes is set here."""
    if lines == 0:
        return spec
    moved = _new_node(NodeSpec)
    _N_NAME(moved, spec.name)
    _N_PARAMS(moved, tuple([_moved_param(param, lines) for param in spec.params]))
    _N_RETURNS(moved, spec.returns)
    _N_KIND(moved, spec.kind)
    _N_MODULE(moved, spec.module)
    _N_SPAN(moved, moved_span(spec.span, lines))
    _N_DEFINITION(moved, moved_span(spec.definition_span, lines))
    _N_RETURNS_SPAN(moved, moved_span(spec.returns_span, lines))
    _N_DOC(moved, spec.doc)
    _N_DECORATORS(moved, tuple([_moved_decorator(d, lines) for d in spec.decorators]) if spec.decorators else ())
    _N_OPTIONS(moved, spec.options)
    _N_FUNCTION(moved, spec.function)
    _N_TAGS(moved, spec.tags)
    _N_ORIGIN(moved, spec.origin)
    _N_VARIANTS(moved, tuple([moved_spec(variant, lines) for variant in spec.variants]) if spec.variants else ())
    return moved


def _same_but_where_body_ends(moved: NodeSpec, new: NodeSpec) -> bool:
    if moved == new:
        return True
    span, other = moved.definition_span, new.definition_span
    if span is None or other is None or span.line != other.line:
        return False
    return moved_spec_with_definition(moved, other) == new


def moved_spec_with_definition(spec: NodeSpec, definition: Span) -> NodeSpec:
    """``spec`` with another definition span (where its body ends)."""
    return NodeSpec(
        spec.name,
        spec.params,
        spec.returns,
        spec.kind,
        spec.module,
        spec.span,
        definition,
        spec.returns_span,
        spec.doc,
        spec.decorators,
        spec.options,
        spec.function,
        spec.tags,
        spec.origin,
        spec.variants,
    )


class NodeShifts:
    """How many lines each old node moved. The tables by file (the first line of each old node's definition,
    sorted; the old specs in that order; how far each moved) are built when a problem is first relocated."""

    def __init__(self, old: Sequence[NodeSpec], lines: list[int]) -> None:
        self._old = old
        self._lines = lines
        self._tables: tuple[dict[str, list[int]], dict[str, list[NodeSpec]], dict[str, list[int]]] | None = None
        self._unsure = False

    def tables(self) -> tuple[dict[str, list[int]], dict[str, list[NodeSpec]], dict[str, list[int]]]:
        if self._tables is None:
            starts: dict[str, list[int]] = {}
            nodes: dict[str, list[NodeSpec]] = {}
            lines: dict[str, list[int]] = {}
            for before, shift in zip(self._old, self._lines, strict=True):
                definition = _line_of(before, "definition_span") or _line_of(before, "span")
                if definition is None:
                    continue  # a node without a place in a file: no problem can be at it
                path, line = definition
                starts.setdefault(path, []).append(line)
                nodes.setdefault(path, []).append(before)
                lines.setdefault(path, []).append(shift)
            # not in file order (a node defined twice): relocating by position would be unsure
            self._unsure = any(any(a > b for a, b in itertools.pairwise(found)) for found in starts.values())
            self._tables = (starts, nodes, lines)
        return self._tables

    def paths(self) -> list[str]:
        return list(self.tables()[0])

    def moved(self, path: str) -> bool:
        return any(self.tables()[2].get(path, ()))

    def owns(self, span: Span) -> int | None:
        """How far the old node holding ``span`` (one of that node's own places) moved; ``None`` when no node
        has it. Several nodes made by one function (Hamilton's modifiers) start at the same line."""
        all_starts, nodes, lines = self.tables()
        starts = all_starts.get(span.path)
        if not starts or self._unsure:
            return None
        index = bisect.bisect_right(starts, span.line) - 1
        while index >= 0:
            if any(span == own for own in _spans_of(nodes[span.path][index])):
                return lines[span.path][index]
            if index == 0 or starts[index - 1] != starts[index]:
                return None
            index -= 1
        return None

    def named_lines(self, path: str) -> dict[int, int]:
        """The line of each old node's name in ``path`` (what messages name) -> how far it moved."""
        _, nodes, lines = self.tables()
        found = zip(nodes.get(path, ()), lines.get(path, ()), strict=True)
        return {place[1]: shift for spec, shift in found if (place := _line_of(spec, "span")) is not None}


def _line_of(spec: NodeSpec, field: str) -> tuple[str, int] | None:
    """The path and first line of one of the spec's places, read without moving a ``MovedSpec``'s places."""
    lines = 0
    if type(spec) is MovedSpec:
        lines, spec = spec._lines, spec._base
    span: Span | None = getattr(spec, field)
    return None if span is None else (span.path, span.line + lines)


def node_shifts(old: Sequence[NodeSpec], new: Sequence[NodeSpec], origins: Sequence[Origin]) -> NodeShifts | None:
    """Whether ``new`` is ``old`` with nodes only moved, each by a whole number of lines (and bodies grown or
    shrunk); ``None`` when any fact differs. ``origins[i]`` says what ``new[i]`` was made from (the resolver
    knows it): a spec made by moving ``old[i]`` needs no comparing; one read afresh is compared."""
    if len(old) != len(new) or len(origins) != len(new):
        return None
    lines: list[int] = []
    for before, after, origin in zip(old, new, origins, strict=True):
        if before is after:
            lines.append(0)
        elif origin is not None and origin[0] is before:
            lines.append(origin[1])
        elif before.span is None or after.span is None or before.definition_span is None:
            if before != after:
                return None
            lines.append(0)
        else:
            shift = after.span.line - before.span.line
            if not _same_but_where_body_ends(moved_spec(before, shift), after):
                return None
            lines.append(shift)
    return NodeShifts(old, lines)


def _spans_of(spec: NodeSpec) -> Iterable[Span | None]:
    yield spec.span
    yield spec.returns_span
    for param in spec.params:
        yield param.span
        yield param.annotation_span
    for decorator in spec.decorators:
        yield decorator.span
    for variant in spec.variants:
        yield from _spans_of(variant)


def _relocated_span(span: Span, shifts: NodeShifts) -> Span | None:
    if not shifts.moved(span.path):
        return span
    shift = shifts.owns(span)
    if shift is None:
        return None  # a place that is no node's: validate again
    return moved_span(span, shift)


def _message_mover(shifts: NodeShifts) -> tuple[re.Pattern[str] | None, dict[str, dict[int, int]]]:
    moved = [path for path in shifts.paths() if shifts.moved(path)]
    if not moved:
        return None, {}
    pattern = re.compile("(" + "|".join(re.escape(path) for path in sorted(moved, key=len, reverse=True)) + r"):(\d+)")
    return pattern, {path: shifts.named_lines(path) for path in moved}


def relocate(problems: Iterable[Problem], shifts: NodeShifts) -> list[Problem] | None:
    """The problems at their nodes' new places, with the ``path:line`` of every node their messages name
    moved too; ``None`` when a place or a line named is not a node's (validate again)."""
    problems = list(problems)
    if not problems:
        return []
    pattern, by_line = _message_mover(shifts)
    unknown = False

    def moved_location(match: re.Match[str]) -> str:
        nonlocal unknown
        line = int(match.group(2))
        shift = by_line[match.group(1)].get(line)
        if shift is None:
            unknown = True
            return match.group(0)
        return f"{match.group(1)}:{line + shift}"

    result: list[Problem] = []
    for problem in problems:
        span = problem.span
        if span is not None:
            span = _relocated_span(span, shifts)
            if span is None:
                return None
        related: list[RelatedSpan] = []
        for item in problem.related:
            moved = _relocated_span(item.span, shifts)
            if moved is None:
                return None
            note = pattern.sub(moved_location, item.message) if pattern is not None else item.message
            related.append(item if moved is item.span and note == item.message else RelatedSpan(moved, note))
        message = pattern.sub(moved_location, problem.message) if pattern is not None else problem.message
        if unknown:
            return None
        if (
            span is problem.span
            and message == problem.message
            and all(a is b for a, b in zip(related, problem.related, strict=True))
        ):
            result.append(problem)
        else:
            result.append(Problem(problem.code, message, span, problem.nodes, tuple(related)))
    return result


class MovedSpec(NodeSpec):
    """A spec moved down some lines, made in constant time: its places are moved when first read.

    Pressing Enter in a 5,000-node file moves 2,500 specs; moving each eagerly (about 5 µs: a spec, its
    parameters, seven spans) was half of what an edit cost, and most of them are never read before the
    next keystroke moves them again. A ``MovedSpec`` keeps the spec it moves and by how many lines; moving it
    again moves that same spec further. It equals, hashes and pickles as the plain spec it stands for, and
    ``dataclasses.replace`` on it makes a plain spec."""

    __slots__ = ("_base", "_lines", "_moved")
    _base: NodeSpec
    _lines: int
    _moved: NodeSpec | None

    def __new__(cls, *args: Any, **kwargs: Any) -> NodeSpec:  # type: ignore[misc]
        return NodeSpec(*args, **kwargs)  # ``replace(moved, ...)`` builds its class with every field

    def materialized(self) -> NodeSpec:
        """The plain spec this one stands for (made once)."""
        moved = self._moved
        if moved is None:
            moved = moved_spec(self._base, self._lines)
            _SET_MOVED(self, moved)
        return moved

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MovedSpec):
            other = other.materialized()
        return self.materialized() == other if isinstance(other, NodeSpec) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.materialized())

    def __repr__(self) -> str:
        return repr(self.materialized())

    def __reduce__(self) -> str | tuple[Any, ...]:
        return self.materialized().__reduce__()


for _name in ("name", "returns", "kind", "module", "doc", "options", "function", "tags", "origin"):
    setattr(MovedSpec, _name, property(operator.attrgetter(f"_base.{_name}")))  # what moving never changes


def _moved_field(name: str) -> property:
    def read(self: MovedSpec) -> Any:
        return getattr(self.materialized(), name)

    return property(read)


for _name in ("span", "definition_span", "returns_span", "params", "decorators", "variants"):
    setattr(MovedSpec, _name, _moved_field(_name))  # what moving changes: read from the moved spec
_new_moved = object.__new__
_SET_BASE, _SET_LINES, _SET_MOVED = (MovedSpec.__dict__[name].__set__ for name in ("_base", "_lines", "_moved"))


def shifted(spec: NodeSpec, lines: int) -> NodeSpec:
    """``spec`` ``lines`` lines further down, moved lazily (see ``MovedSpec``)."""
    if lines == 0:
        return spec
    if type(spec) is MovedSpec:
        lines += spec._lines
        spec = spec._base
        if lines == 0:
            return spec
    moved = _new_moved(MovedSpec)
    _SET_BASE(moved, spec)
    _SET_LINES(moved, lines)
    _SET_MOVED(moved, None)
    return moved
