"""Problems found in a graph: stable codes, severities, locations. The codes are a public contract
shared by the CLI, the language server and the kernel; never rename one."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from livedag.graph.spec import Span

__all__ = ["Problem", "ProblemCode", "RelatedSpan", "Severity"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ProblemCode(enum.Enum):
    SYNTAX_ERROR = "syntax-error"
    MISSING_ANNOTATION = "missing-annotation"
    UNSUPPORTED_PARAMETER = "unsupported-parameter"
    CYCLE = "cycle"
    TYPE_MISMATCH = "type-mismatch"
    INPUT_TYPE_CONFLICT = "input-type-conflict"
    DUPLICATE_NODE = "duplicate-node"
    POSSIBLE_TYPO = "possible-typo"
    UNKNOWN_DECORATOR = "unknown-decorator"
    INVALID_MODIFIER = "invalid-modifier"
    """A Hamilton function modifier that Hamilton itself refuses (found while expanding it)."""

    @property
    def severity(self) -> Severity:
        if self is ProblemCode.POSSIBLE_TYPO:
            return Severity.WARNING
        if self is ProblemCode.UNKNOWN_DECORATOR:
            return Severity.INFO
        return Severity.ERROR


@dataclass(frozen=True, slots=True)
class RelatedSpan:
    """The other side of a problem: the producer of a mismatched type, the other definition..."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    message: str
    span: Span | None
    nodes: tuple[str, ...] = ()
    related: tuple[RelatedSpan, ...] = ()

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """``path:line:col: severity code: message`` with a 1-based column, as compilers print."""
        where = f"{self.span.path}:{self.span.line}:{self.span.column + 1}: " if self.span else ""
        return f"{where}{self.severity.value} {self.code.value}: {self.message}"
