"""``Graph``: the immutable, read-only view every part of livedag shares.

Built from node specs only (``Graph.from_specs``); the other constructors just produce specs, from
live functions or from source text, and hand them here. That is what keeps the editor and the
notebook from ever disagreeing about a graph.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType, ModuleType

from livedag.graph.problems import Problem, ProblemCode, RelatedSpan, Severity
from livedag.graph.spec import NodeSpec
from livedag.graph.static import parse_module, specs_from_parsed
from livedag.graph.topology import closure, reverse, topological_order

TYPE_CHECKING = False  # not imported from typing: `import livedag` stays light (mypy knows the name)
if TYPE_CHECKING:
    import os
    from typing import Any

__all__ = ["ExternalInput", "Graph", "UnknownNodeError"]


class UnknownNodeError(KeyError):
    """A name asked for that is neither a node nor an external input of the graph."""

    def __init__(self, names: list[str], known: Iterable[str]) -> None:
        import difflib  # only when a name is unknown

        self.names = names
        suggestions = []
        for name in names:
            close = difflib.get_close_matches(name, list(known), n=1)
            suggestions.append(f"`{name}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
        self.message = f"not in the graph: {', '.join(suggestions)}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class ExternalInput:
    """A name some node needs that no node produces: a value the caller must (or may) provide."""

    name: str
    consumers: tuple[str, ...]
    required: bool
    """False when every consumer has a default for it."""


class Graph:
    """Nodes, external inputs, edges and problems of one dataflow. Immutable once built."""

    def __init__(
        self,
        specs: Iterable[NodeSpec],
        problems: Iterable[Problem] = (),
        config: Mapping[str, Any] | None = None,
        *,
        _edges_of: Graph | None = None,
    ) -> None:
        nodes: dict[str, NodeSpec] = {}
        build_problems = list(problems)
        with _collector_paused():  # ``specs`` is often a generator resolving live functions as it goes
            for spec in specs:
                if config is not None and spec.name in config:
                    continue  # Hamilton's rule: a config key replaces the node of its name (it becomes an input)
                if spec.name in nodes:
                    build_problems.append(_duplicate(nodes[spec.name], spec))
                    continue
                nodes[spec.name] = spec
        self._nodes = MappingProxyType(nodes)
        self._dependencies: dict[str, tuple[str, ...]]
        self._inputs: Mapping[str, ExternalInput]
        if _edges_of is not None:  # the same nodes at other lines: the same edges and inputs (Graph.moved)
            self._dependencies, self._inputs = _edges_of._dependencies, _edges_of._inputs
        else:
            self._dependencies = {
                name: tuple(p.name for p in spec.params if p.kind.supported) for name, spec in nodes.items()
            }
            self._inputs = MappingProxyType(_external_inputs(nodes))
        self._build_problems = tuple(build_problems)
        self.config: Mapping[str, Any] | None = None if config is None else MappingProxyType(dict(config))
        """The Hamilton config the graph was resolved with (``None``: none given)."""

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def from_specs(
        cls, specs: Iterable[NodeSpec], problems: Iterable[Problem] = (), config: Mapping[str, Any] | None = None
    ) -> Graph:
        return cls(specs, problems, config)

    def moved(self, specs: Iterable[NodeSpec], problems: Iterable[Problem]) -> Graph:
        """This graph with its nodes at other lines: ``specs`` are its specs moved (the same nodes, edges and
        inputs), ``problems`` every one of its problems (build problems included) moved along with them (see
        ``graph.relocation``). Nothing is validated again."""
        graph = Graph(specs, (), self.config, _edges_of=self)
        graph.__dict__["problems"] = tuple(problems)  # what the cached ``problems`` property would hold
        return graph

    # Runtime resolution (inspect, typing) is imported on first use: the editor and the CLI never need it.
    # ``config`` is Hamilton's: it chooses ``@config.when`` variants (at runtime ``None`` means ``{}``, as in
    # Hamilton's driver); Hamilton itself is imported only for functions that use its modifiers.
    @classmethod
    def from_functions(cls, *functions: Callable[..., Any], config: Mapping[str, Any] | None = None) -> Graph:
        from livedag.graph.runtime import specs_from_functions

        problems: list[Problem] = []
        return cls(specs_from_functions(functions, config, problems), problems, config)

    @classmethod
    def from_modules(cls, *modules: ModuleType, config: Mapping[str, Any] | None = None) -> Graph:
        from livedag.graph.runtime import functions_in_module, specs_from_functions

        problems: list[Problem] = []
        functions = [fn for module in modules for fn in functions_in_module(module)]
        return cls(specs_from_functions(functions, config, problems), problems, config)

    @classmethod
    def from_namespace(
        cls, namespace: Mapping[str, Any], module_name: str | None = None, config: Mapping[str, Any] | None = None
    ) -> Graph:
        """A notebook's globals: every public function in it (defined in ``module_name`` if given)."""
        from livedag.graph.runtime import functions_in_namespace, specs_from_functions

        problems: list[Problem] = []
        functions = functions_in_namespace(namespace, module_name)
        return cls(specs_from_functions(functions, config, problems), problems, config)

    @classmethod
    def from_sources(cls, sources: Mapping[str, str], config: Mapping[str, Any] | None = None) -> Graph:
        """``{path: text}`` resolved statically: nothing is imported or executed. With no ``config``, each
        ``@config.when`` family is one node listing its variants; with one, Hamilton's choice is made."""
        with _collector_paused():
            parsed = [parse_module(path, text) for path, text in sources.items()]
            errors = [module.syntax_error for module in parsed if module.syntax_error is not None]
            specs = specs_from_parsed(parsed, config)
            # The syntax trees die while the collector is paused: resumed with them alive, its first pass
            # would walk every node of them (a third of the time of a large file).
            del parsed
            return cls(specs, errors, config)

    @classmethod
    def from_paths(cls, *paths: str | os.PathLike[str], config: Mapping[str, Any] | None = None) -> Graph:
        from pathlib import Path

        return cls.from_sources({str(path): Path(path).read_text(encoding="utf-8") for path in paths}, config)

    # -- the read-only view ----------------------------------------------------------------------
    @property
    def nodes(self) -> Mapping[str, NodeSpec]:
        return self._nodes

    @property
    def inputs(self) -> Mapping[str, ExternalInput]:
        return self._inputs

    @functools.cached_property
    def problems(self) -> tuple[Problem, ...]:
        from livedag.graph.validation import validate

        with _collector_paused():
            found = [*self._build_problems, *validate(self)]
            return tuple(sorted(found, key=_problem_order))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity is Severity.WARNING)

    def __contains__(self, name: object) -> bool:
        return name in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        return f"<Graph {len(self._nodes)} nodes, {len(self._inputs)} external inputs>"

    def dependencies(self, name: str) -> tuple[str, ...]:
        """Direct dependencies of a node: node and external-input names, in parameter order."""
        self._check_known([name])
        return self._dependencies.get(name, ())

    def node_dependencies(self, name: str) -> tuple[str, ...]:
        """Direct dependencies that are nodes (not external inputs)."""
        return tuple(dep for dep in self._dependencies[name] if dep in self._nodes)

    def dependents(self, name: str) -> tuple[str, ...]:
        """Nodes that take ``name`` (a node or an external input) as a parameter."""
        self._check_known([name])
        return tuple(self._dependents.get(name, ()))

    def upstream(self, *names: str) -> set[str]:
        """Everything the names need, transitively (nodes and inputs), the names excluded."""
        self._check_known(list(names))
        return closure(self._dependencies, names) - set(names)

    def downstream(self, *names: str) -> set[str]:
        self._check_known(list(names))
        return closure(self._dependents, names) - set(names)

    def running_nodes(self, outputs: Iterable[str] | None = None, overrides: Collection[str] = ()) -> list[str]:
        """The nodes a run of ``outputs`` (``None``: every node) computes, in graph order: what the outputs
        need, not looking past an overridden node, whose value is given rather than computed."""
        pending = list(self._nodes) if outputs is None else [name for name in outputs if name in self._nodes]
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name not in overrides:
                pending.extend(dep for dep in self._dependencies[name] if dep in self._nodes)
        return [name for name in self._nodes if name in seen and name not in overrides]

    def missing_inputs(
        self, given: Collection[str], outputs: Iterable[str] | None = None, overrides: Collection[str] = ()
    ) -> dict[str, tuple[str, ...]]:
        """The external inputs a run of ``outputs`` still lacks, each with the running nodes that need it.

        The one rule every front end shares (the CLI, the editor, the notebook): an input is missing when a
        node that runs takes it without a default and ``given`` has no value for it; an output that is
        itself an input counts as needed by itself. Overridden nodes do not run, so their inputs are not
        needed, and an override of an input's name gives it.
        """
        wanted = None if outputs is None else list(outputs)
        missing: dict[str, list[str]] = {}
        for name in self.running_nodes(wanted, overrides):
            for param in self._nodes[name].params:
                if (
                    param.kind.supported
                    and not param.has_default
                    and param.name not in self._nodes
                    and param.name not in given
                    and param.name not in overrides
                ):
                    missing.setdefault(param.name, []).append(name)
        for name in wanted or ():
            if name in self._inputs and name not in given and name not in overrides:
                missing.setdefault(name, [name])
        return {name: tuple(users) for name, users in missing.items()}

    def topological_order(self) -> list[str]:
        """Node names, every node after its dependencies; raises ``CycleError`` on a cycle."""
        return topological_order({name: self.node_dependencies(name) for name in self._nodes})

    def subgraph(self, outputs: Iterable[str]) -> Graph:
        """The nodes the outputs need (outputs included); the other nodes' problems are dropped."""
        wanted = list(outputs)
        self._check_known(wanted)
        keep = closure(self._dependencies, wanted)
        return Graph((spec for name, spec in self._nodes.items() if name in keep), config=self.config)

    # -- internals --------------------------------------------------------------------------------
    @functools.cached_property
    def _dependents(self) -> dict[str, list[str]]:
        return reverse({**self._dependencies, **dict.fromkeys(self._inputs, ())})

    def _check_known(self, names: list[str]) -> None:
        unknown = [name for name in names if name not in self._nodes and name not in self._inputs]
        if unknown:
            raise UnknownNodeError(unknown, [*self._nodes, *self._inputs])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a graph is built: parsing and building allocate many objects
    but no reference cycles, and the collector's passes over them cost about a fifth of the time."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _external_inputs(nodes: Mapping[str, NodeSpec]) -> dict[str, ExternalInput]:
    consumers: dict[str, list[str]] = {}
    required: dict[str, bool] = {}
    for name, spec in nodes.items():
        for param in spec.params:
            if not param.kind.supported or param.name in nodes:
                continue
            consumers.setdefault(param.name, []).append(name)
            required[param.name] = required.get(param.name, False) or not param.has_default
    return {name: ExternalInput(name, tuple(users), required[name]) for name, users in consumers.items()}


def _duplicate(first: NodeSpec, second: NodeSpec) -> Problem:
    where = first.location
    related = (RelatedSpan(first.span, f"`{first.name}` is first defined here"),) if first.span else ()
    return Problem(
        ProblemCode.DUPLICATE_NODE,
        f"node `{second.name}` is defined twice: in {second.module} and in {first.module} ({where}); "
        "node names must be unique across the graph: rename or remove one",
        second.span,
        (second.name,),
        related,
    )


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    span = problem.span
    return (span.path if span else "", span.line if span else 0, span.column if span else 0, problem.code.value)
