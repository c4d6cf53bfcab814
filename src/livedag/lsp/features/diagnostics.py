"""Problems of a graph -> LSP diagnostics: ``source`` "livedag", ``code`` the core's stable problem
code, ``relatedInformation`` pointing at the other side of the problem.

Editors show diagnostic messages as plain text (VS Code's Problems panel, Neovim's virtual text), so the core's
Markdown-ish messages are made plain at the one place diagnostics leave the server: names quoted with ``'``
instead of backticks, and files inside the workspace written relative to it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from lsprotocol import types

from livedag.graph import Problem, Severity
from livedag.lsp.positions import span_to_location, span_to_range
from livedag.lsp.state import GraphView

__all__ = ["SOURCE", "diagnostics_for", "plain_diagnostics", "plain_text", "to_diagnostic"]

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


_CODE = re.compile(r"`([^`\n]*)`")


def plain_text(message: str, roots: Sequence[str]) -> str:
    """``node `a` (/ws/pkg/m.py:3)`` -> ``node 'a' (pkg/m.py:3)`` for a workspace root ``/ws``."""
    text = _CODE.sub(r"'\1'", message)
    for root in sorted(roots, key=len, reverse=True):
        prefix = root.rstrip(os.sep) + os.sep
        if prefix != os.sep:
            text = text.replace(prefix, "")
    return text


def plain_diagnostics(diagnostics: Sequence[types.Diagnostic], roots: Sequence[str]) -> list[types.Diagnostic]:
    """The same diagnostics with plain-text messages (related information included)."""
    for diagnostic in diagnostics:
        diagnostic.message = plain_text(diagnostic.message, roots)
        for related in diagnostic.related_information or ():
            related.message = plain_text(related.message, roots)
    return list(diagnostics)
