"""Problems of a graph -> LSP diagnostics: ``source`` "livedag", ``code`` the core's stable problem
code, ``relatedInformation`` pointing at the other side of the problem."""

from __future__ import annotations

from lsprotocol import types

from livedag.graph import Problem, Severity
from livedag.lsp.positions import span_to_location, span_to_range
from livedag.lsp.state import GraphView

__all__ = ["SOURCE", "diagnostics_for", "to_diagnostic"]

SOURCE = "livedag"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def to_diagnostic(problem: Problem) -> types.Diagnostic:
    assert problem.span is not None
    related = [
        types.DiagnosticRelatedInformation(location=span_to_location(item.span), message=item.message)
        for item in problem.related
    ]
    return types.Diagnostic(
        range=span_to_range(problem.span),
        message=problem.message,
        severity=_SEVERITY[problem.severity],
        code=problem.code.value,
        source=SOURCE,
        related_information=related or None,
        data={"nodes": list(problem.nodes)},
    )


def diagnostics_for(view: GraphView, path: str) -> list[types.Diagnostic]:
    """The diagnostics of one file of the graph (see ``GraphView.problems_in`` for what is shown)."""
    return [to_diagnostic(problem) for problem in view.problems_in(path)]
