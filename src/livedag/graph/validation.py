"""Graph validation: every check that yields a ``Problem``, each a small function over the graph.

Checks never raise and never guess: where a node is decorated by something the core does not model,
or a type cannot be seen through, they stay silent rather than report a false error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from livedag.graph.problems import Problem, ProblemCode, RelatedSpan
from livedag.graph.spec import DecoratorSpec, NodeSpec, ParamKind, ParamSpec
from livedag.graph.topology import CycleError, find_cycles, topological_order
from livedag.graph.types import TypeRef, accepts, compatible

TYPE_CHECKING = False  # not imported from typing: `import livedag` stays light (mypy knows the name)
if TYPE_CHECKING:
    import difflib

    from livedag.graph.model import Graph

__all__ = ["validate"]

_PARAM_KIND_ADVICE = {
    ParamKind.VAR_POSITIONAL: "`*{name}` cannot be filled from the graph: name each dependency as its own parameter",
    ParamKind.VAR_KEYWORD: "`**{name}` cannot be filled from the graph: name each dependency as its own parameter",
    ParamKind.POSITIONAL_ONLY: (
        "`{name}` is positional-only, but nodes are called with keyword arguments: remove the `/`"
    ),
}


def validate(graph: Graph) -> list[Problem]:
    problems: list[Problem] = []
    for spec in graph.nodes.values():
        problems.extend(_signature_problems(spec, graph))
    problems.extend(_cycle_problems(graph))
    problems.extend(_type_mismatches(graph))
    problems.extend(_input_conflicts(graph))
    problems.extend(_possible_typos(graph))
    return problems


def _where(spec: NodeSpec) -> str:
    if spec.span is None:
        return f"node `{spec.name}`"
    return f"node `{spec.name}` ({spec.location})"


def _signature_problems(spec: NodeSpec, graph: Graph) -> Iterator[Problem]:
    for decorator in spec.decorators:
        yield Problem(
            ProblemCode.UNKNOWN_DECORATOR, _decorator_note(spec, decorator), decorator.span or spec.span, (spec.name,)
        )
    if spec.opaque:
        return
    for variant in spec.variants or (spec,):
        yield from _annotation_problems(variant, graph)


def _decorator_note(spec: NodeSpec, decorator: DecoratorSpec) -> str:
    if decorator.reason:
        return (
            f"{_where(spec)} is decorated with `{decorator.name}`, whose nodes livedag cannot know from source: "
            f"{decorator.reason}; the node is kept as written and not checked (Graph.from_modules expands it "
            "with Hamilton)"
        )
    return (
        f"{_where(spec)} is decorated with `{decorator.name}`, which livedag does not model: its "
        "signature is taken as written, its types are not checked, and names it may create are "
        "not reported as typos"
    )


def _annotation_problems(spec: NodeSpec, graph: Graph) -> Iterator[Problem]:
    for param in spec.params:
        if not param.kind.supported:
            advice = _PARAM_KIND_ADVICE[param.kind].format(name=param.name)
            yield Problem(ProblemCode.UNSUPPORTED_PARAMETER, f"{_where(spec)}: {advice}", param.span, (spec.name,))
        elif param.annotation is None:
            yield Problem(
                ProblemCode.MISSING_ANNOTATION,
                f"parameter `{param.name}` of {_where(spec)} has no type annotation: add one, "
                f"e.g. `{param.name}: {_suggested_type(graph, param.name)}` (nodes need types to be checked "
                "against their producers)",
                param.span,
                (spec.name,),
            )
    if spec.returns is None:
        yield Problem(
            ProblemCode.MISSING_ANNOTATION,
            f"{_where(spec)} has no return annotation: add one, e.g. `def {spec.origin or spec.name}(...) -> int:` "
            "(it is the type of the node)",
            spec.span,
            (spec.name,),
        )


def _suggested_type(graph: Graph, name: str) -> str:
    """What the node ``name`` returns, when there is such a node with a return annotation; else ``int``."""
    producer = graph.nodes.get(name)
    produced = producer.output_type if producer is not None and not producer.opaque else None
    return produced.display() if produced is not None and not produced.is_opaque else "int"


def _cycle_problems(graph: Graph) -> Iterator[Problem]:
    """One problem per node of each cycle, at the parameter that closes it.

    Nodes decorated by something unknown are left out: a decorator may rename or drop their
    parameters, so a cycle through one might not exist. So are the dependencies of a ``config.when`` family
    (no config) that only some of its variants have: the config that picks that variant may leave out
    another node of the cycle.
    """
    dependencies = {
        name: [dep for dep in _certain_dependencies(graph, spec) if not graph.nodes[dep].opaque]
        for name, spec in graph.nodes.items()
        if not spec.opaque
    }
    try:
        topological_order(dependencies)
        return
    except CycleError:
        pass
    for cycle in find_cycles(dependencies):
        path = " -> ".join(f"`{name}`" for name in cycle)
        members = cycle[:-1]
        for index, name in enumerate(members):
            spec = graph.nodes[name]
            needed = cycle[index + 1]
            param = spec.param(needed)
            related = tuple(
                RelatedSpan(span, f"`{other}` is part of the cycle")
                for other in members
                if other != name and (span := graph.nodes[other].span) is not None
            )
            yield Problem(
                ProblemCode.CYCLE,
                f"{_where(spec)} is in a cycle: {path} (each needs the next). Break it by removing "
                f"one of these dependencies, e.g. parameter `{needed}` of `{name}`",
                (param.span if param else None) or spec.span,
                tuple(members),
                related,
            )


def _certain_dependencies(graph: Graph, spec: NodeSpec) -> list[str]:
    """The nodes ``spec`` needs whichever of its variants the config picks."""
    needed = graph.node_dependencies(spec.name)
    if len(spec.variants) < 2:
        return list(needed)
    return [name for name in needed if all(variant.param(name) is not None for variant in spec.variants)]


def _type_mismatches(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes.values():
        if node.opaque:
            continue
        for spec in node.variants or (node,):  # every variant of a `@config.when` family is checked
            for param in spec.params:
                producer = graph.nodes.get(param.name)
                if producer is None or producer.opaque or param.annotation is None or not param.kind.supported:
                    continue
                produced = producer.output_type
                wanted = param.annotation.item() if param.annotation.is_collect else param.annotation
                if produced is None or accepts(wanted, produced):
                    continue
                yield _mismatch(spec, param, wanted, producer, produced)


def _mismatch(spec: NodeSpec, param: ParamSpec, wanted: TypeRef, producer: NodeSpec, produced: TypeRef) -> Problem:
    related = (
        (RelatedSpan(producer.returns_span or producer.span, f"`{producer.name}` returns `{produced}`"),)
        if producer.span
        else ()
    )
    collected = f" (each item of `{param.annotation}` is a `{wanted}`)" if wanted is not param.annotation else ""
    return Problem(
        ProblemCode.TYPE_MISMATCH,
        f"parameter `{param.name}: {param.annotation}` of {_where(spec)} cannot take the "
        f"`{produced}` that {_where(producer)} returns{collected}: change one of the two annotations so "
        "they agree",
        param.annotation_span or param.span or spec.span,
        (spec.name, producer.name),
        related,
    )


def _input_conflicts(graph: Graph) -> Iterator[Problem]:
    for name, external in graph.inputs.items():
        typed = [(node, param) for node, param in _consumers(graph, name, external.consumers) if param.annotation]
        # Compare each distinct annotation once: a 300-consumer input usually has one or two types.
        distinct = list(dict.fromkeys(param.annotation for _, param in typed if param.annotation is not None))
        if len(distinct) < 2:
            continue
        clashes = {a: {b for b in distinct if not compatible(a, b)} for a in distinct}
        for node, param in typed:
            wanted = clashes.get(param.annotation) if param.annotation is not None else None
            if not wanted:
                continue
            others = [(other, p) for other, p in typed if p.annotation in wanted]
            yield _input_conflict(name, node, param, others)


def _input_conflict(name: str, node: NodeSpec, param: ParamSpec, others: list[tuple[NodeSpec, ParamSpec]]) -> Problem:
    listed = ", ".join(f"`{other.name}` wants `{p.annotation}`" for other, p in others)
    related: list[RelatedSpan] = []
    for other, p in others:
        span = p.annotation_span or p.span
        if span is not None:
            related.append(RelatedSpan(span, f"`{other.name}` needs `{name}: {p.annotation}`"))
    return Problem(
        ProblemCode.INPUT_TYPE_CONFLICT,
        f"external input `{name}` is needed as `{param.annotation}` by {_where(node)}, but {listed}: "
        "one value cannot be both; make the annotations agree",
        param.annotation_span or param.span,
        (node.name, *(other.name for other, _ in others)),
        tuple(related),
    )


def _consumers(graph: Graph, name: str, consumers: Sequence[str]) -> Iterator[tuple[NodeSpec, ParamSpec]]:
    """The non-opaque consumers of input ``name`` with the parameter through which they take it."""
    for consumer in consumers:
        spec = graph.nodes[consumer]
        param = spec.param(name)
        if not spec.opaque and param is not None and param.kind.supported:
            yield spec, param


def _possible_typos(graph: Graph) -> Iterator[Problem]:
    created = _names_decorators_may_create(graph)
    index: _NameIndex | None = None
    for name, external in graph.inputs.items():
        if name in created or len(name) < 3:
            continue
        index = index or _NameIndex(graph.nodes)
        match = index.closest(name)
        if match is None or graph.nodes[match].opaque or _parallel_idiom(name, graph.nodes[match]):
            continue
        match_span = graph.nodes[match].span
        for spec in (graph.nodes[consumer] for consumer in external.consumers):
            if spec.opaque:
                continue  # a decorator may map this parameter to something else entirely
            param = spec.param(name)
            yield Problem(
                ProblemCode.POSSIBLE_TYPO,
                f"`{name}` (a parameter of {_where(spec)}) is produced by no node, so it is an external "
                f"input; did you mean `{match}`? If `{name}` really is an input, pass it when running",
                (param.span if param else None) or spec.span,
                (spec.name, match),
                (RelatedSpan(match_span, f"node `{match}`"),) if match_span else (),
            )


def _parallel_idiom(name: str, node: NodeSpec) -> bool:
    """``urls`` (an input) next to ``url`` (the ``Parallelizable`` node yielding each of them) is Hamilton's
    idiom, not a typo: one name is the other's plural."""
    if node.returns is None or not node.returns.is_parallelizable:
        return False
    single, plural = sorted((name, node.name), key=len)
    return plural in (single + "s", single + "es", single.removesuffix("y") + "ies", single + "_list")


def _names_decorators_may_create(graph: Graph) -> set[str]:
    """String arguments of unknown decorators, and ``name`` for a decorated ``name__suffix``
    function (Hamilton's ``@config.when`` convention)."""
    names: set[str] = set()
    for spec in graph.nodes.values():
        if not spec.decorators:
            continue
        names.update(text for decorator in spec.decorators for text in decorator.string_args)
        if "__" in spec.name.strip("_"):
            names.add(spec.name.split("__", 1)[0])
    return names


class _NameIndex:
    """Node names by the pairs of adjacent characters in them, so that an input is compared only with the names
    it shares a pair with: ``difflib``'s ratio reaches the cutoff (0.8) for names of 3 characters or more only
    when they share one (a match without two adjacent characters in common costs a character per gap: the ratio
    is at most 2M / (3M - 1), below 0.8 for M >= 3). Names of 1 or 2 characters are always candidates."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_pair: dict[str, list[str]] = {}
        self._short: list[str] = []
        for name in names:
            if len(name) < 3:
                self._short.append(name)
            for pair in _pairs(name):
                self._by_pair.setdefault(pair, []).append(name)

    def closest(self, name: str) -> str | None:
        import difflib  # only needed when a graph has external inputs; keeps `import livedag` light

        candidates = {other for pair in _pairs(name) for other in self._by_pair.get(pair, ())}
        candidates.update(self._short)
        near = [other for other in candidates if abs(len(other) - len(name)) <= 2]
        # get_close_matches breaks ties by name, so the order of `near` does not matter.
        for match in difflib.get_close_matches(name, near, n=3, cutoff=0.8):
            if _misspelt(name, match, difflib.SequenceMatcher):
                return match
        return None


def _pairs(name: str) -> set[str]:
    return {name[index : index + 2] for index in range(len(name) - 1)}


def _misspelt(name: str, match: str, matcher: type[difflib.SequenceMatcher[str]]) -> bool:
    """Close names that differ by a whole word (``max_documents`` and ``raw_documents``, ``item_a`` and
    ``item_b``) are different names, not a typo: every word that differs must itself be close. So are names
    one of which is the other with one more word in front or behind (``seasons`` and ``seasons_1``, ``cabin``
    and ``cabin_t``, ``splits`` and ``n_splits``): a name made from another, as Hamilton's examples name
    columns and features."""
    words, others = name.split("_"), match.split("_")
    if len(words) != len(others):
        shorter, longer = sorted((words, others), key=len)
        derived = len(longer) == len(shorter) + 1 and (
            (longer[1:] == shorter and longer[0]) or (longer[:-1] == shorter and longer[-1])
        )
        return not derived
    return all(a == b or matcher(None, a, b).ratio() >= 0.5 for a, b in zip(words, others, strict=True))
