"""Node specs: the one description of a node that runtime and static resolution both produce.

The graph is built from specs, never from functions, so the editor (which only has source text) and
the notebook (which has live functions) go through the same builder and the same validation.

Position convention, used everywhere in the core: ``line`` is 1-based, ``column`` is a 0-based
character offset into the line (ast's byte offsets are converted where the line is not ASCII).
Front ends convert once at their boundary (the CLI adds 1 to columns, the LSP subtracts 1 from lines).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from livedag.graph.types import TypeRef

TYPE_CHECKING = False  # not imported from typing: `import livedag` stays light (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DecoratorSpec", "NodeKind", "NodeSpec", "ParamKind", "ParamSpec", "Span"]


# These properties run for every parameter of every node; in Python 3.11 reading an enum member off its
# class costs far more than comparing the member's value, so they compare values.
_ASYNC_KINDS = frozenset({"async", "async_generator"})
_STREAMING_KINDS = frozenset({"generator", "async_generator"})
_SUPPORTED_PARAMETER_KINDS = frozenset({"positional_or_keyword", "keyword_only"})


class NodeKind(enum.Enum):
    """How a node produces its value; the driver schedules each kind differently."""

    SYNC = "sync"
    ASYNC = "async"
    GENERATOR = "generator"
    ASYNC_GENERATOR = "async_generator"

    @classmethod
    def of(cls, fn: Callable[..., Any]) -> NodeKind:
        """The kind of a live function, as the driver will call it (``fn`` itself, not what it wraps)."""
        import inspect  # here, not at the top: the static path never needs it

        if inspect.isasyncgenfunction(fn):
            return cls.ASYNC_GENERATOR
        if inspect.iscoroutinefunction(fn):
            return cls.ASYNC
        if inspect.isgeneratorfunction(fn):
            return cls.GENERATOR
        return cls.SYNC

    @property
    def is_async(self) -> bool:
        return self._value_ in _ASYNC_KINDS

    @property
    def is_streaming(self) -> bool:
        return self._value_ in _STREAMING_KINDS


class ParamKind(enum.Enum):
    """Python parameter kinds; only the first two can carry a dependency."""

    POSITIONAL_OR_KEYWORD = "positional_or_keyword"
    KEYWORD_ONLY = "keyword_only"
    POSITIONAL_ONLY = "positional_only"
    VAR_POSITIONAL = "var_positional"
    VAR_KEYWORD = "var_keyword"

    @property
    def supported(self) -> bool:
        return self._value_ in _SUPPORTED_PARAMETER_KINDS


@dataclass(frozen=True, slots=True)
class Span:
    """A source range. ``line``/``end_line`` are 1-based, columns 0-based characters."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        """Whether the 1-based ``line`` and 0-based ``column`` fall inside this range (end inclusive)."""
        if line < self.line or line > self.end_line:
            return False
        if line == self.line and column < self.column:
            return False
        return not (line == self.end_line and column > self.end_column)


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter of a node function: a dependency on the node or external input of its name."""

    name: str
    annotation: TypeRef | None
    has_default: bool
    kind: ParamKind
    span: Span | None = None
    annotation_span: Span | None = None

    @property
    def optional(self) -> bool:
        return self.has_default


@dataclass(frozen=True, slots=True)
class DecoratorSpec:
    """A decorator the core does not model (or cannot read); its string arguments may name nodes it creates."""

    name: str
    string_args: tuple[str, ...] = ()
    span: Span | None = None
    reason: str = ""
    """Why a Hamilton modifier stays opaque statically (computed arguments, modelled only at runtime)."""


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """Everything the graph needs to know about one node, from a live function or from source."""

    name: str
    params: tuple[ParamSpec, ...]
    returns: TypeRef | None
    kind: NodeKind
    module: str
    span: Span | None = None
    """The function's name in its ``def`` line."""
    definition_span: Span | None = None
    """The whole definition, decorators to last line."""
    returns_span: Span | None = None
    doc: str | None = None
    decorators: tuple[DecoratorSpec, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Execution options set with ``livedag.node(...)`` (timeout, retries...)."""
    function: Callable[..., Any] | None = field(default=None, compare=False, hash=False, repr=False)
    tags: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Hamilton tags (``@tag``, ``@tag_outputs``, ``@cache``, ``@schema``, the ones Hamilton adds itself)."""
    origin: str | None = None
    """The ``def`` name of the function whose Hamilton modifiers made this node (``raw_text__pdf`` for
    ``raw_text``, ``stats`` for an extracted ``mean``); ``None`` for a plain function."""
    variants: tuple[NodeSpec, ...] = field(default=(), compare=False, hash=False)
    """With no config (the editor's default), a ``@config.when`` family is one node: each variant's own
    node (named as Hamilton would name it once chosen) is here; the family node merges their parameters."""

    @property
    def location(self) -> str:
        """Where the node is defined, as every message names it: ``path:line``, or ``module m`` when it has
        no source location (a function built at runtime)."""
        return location(self.span, self.module)

    @property
    def opaque(self) -> bool:
        """Decorated by something the core does not model: never report false errors about it."""
        return bool(self.decorators)

    @property
    def output_type(self) -> TypeRef | None:
        """The type dependents receive: a streaming node hands on the list of its items; a ``Parallelizable[T]``
        node hands each consumer one ``T``."""
        if self.returns is not None and self.returns.is_parallelizable:
            return self.returns.item()
        if self.returns is None or not self.kind.is_streaming:
            return self.returns
        return self.returns.streamed_items()

    def param(self, name: str) -> ParamSpec | None:
        for param in self.params:
            if param.name == name:
                return param
        return None

    @property
    def path(self) -> str | None:
        return self.span.path if self.span else None


def location(span: Span | None, module: str, short: bool = False) -> str:
    """``path:line`` of ``span`` (``short``: the file's name only), or ``module m`` without a span."""
    if span is None:
        return module if short else f"module {module}"
    path = os.path.basename(span.path) if short else span.path
    return f"{path}:{span.line}"
