"""What the editor shows of runs, as LSP objects: the run code lenses, the result inlay hints and the
``node-failed`` / ``run-failed`` diagnostics of one document. Pure functions of the graph view and the
run state; ``feature.RunFeature`` hands them to the server as a contributor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from livedag.graph.lines import split_lines
from livedag.lsp.features.diagnostics import SOURCE
from livedag.lsp.positions import core_to_position, path_to_uri, span_to_range
from livedag.lsp.run.commands import CANCEL_COMMAND, RUN_COMMAND
from livedag.lsp.run.present import (
    NODE_FAILED,
    failure,
    inlay_text,
    result_lens_text,
    signature_end_in,
)
from livedag.lsp.run.present import (
    SIGNATURE_LINES as _SIGNATURE_LINES,
)
from livedag.lsp.run.state import GraphResults
from livedag.lsp.state import GraphView

__all__ = ["RUN_FAILED", "run_diagnostics", "run_lenses", "result_hints"]

RUN_FAILED = "run-failed"
"""Diagnostic code of the line that stopped a run from starting (an error while importing the graph)."""


def run_lenses(
    uri: str,
    path: str,
    view: GraphView,
    running: bool,
    state: GraphResults | None = None,
    current: Mapping[str, str] | None = None,
) -> list[types.CodeLens]:
    """``▶ Run graph`` (``■ Cancel run`` while it runs) at the top, ``▶ Run`` above each node, and after it the
    node's last result (``✓ 3 ms = …``), where a half-width editor shows it: a lens with no command is text."""
    top = types.Range(types.Position(0, 0), types.Position(0, 0))
    if running:
        first = _command("■ Cancel run", CANCEL_COMMAND, {"uri": uri})
    else:
        first = _command("▶ Run graph", RUN_COMMAND, {"uri": uri, "node": None})
    lenses = [types.CodeLens(range=top, command=first)]
    for spec in view.nodes_in(path):
        if spec.span is not None and view.graph.nodes.get(spec.name) is spec:
            command = _command("▶ Run", RUN_COMMAND, {"uri": uri, "node": spec.name})
            lenses.append(types.CodeLens(range=span_to_range(spec.span), command=command))
            result, stale = state.result(spec.name, current or {}) if state is not None else (None, False)
            if result is not None:
                shown = types.Command(title=result_lens_text(result, stale), command="")
                lenses.append(types.CodeLens(range=span_to_range(spec.span), command=shown))
    return lenses


def result_hints(
    path: str, view: GraphView, state: GraphResults, current: Mapping[str, str], shown: types.Range
) -> list[types.InlayHint]:
    """One hint per node with a result, after its signature, for the lines in ``shown``."""
    text = view.sources.get(path)
    if text is None:
        return []
    hints = []
    lines = split_lines(text)
    for spec in view.nodes_in(path):
        if spec.span is None or not shown.start.line - _SIGNATURE_LINES < spec.span.line <= shown.end.line + 1:
            continue  # its signature cannot end in the lines shown
        result, stale = state.result(spec.name, current)
        if result is None:
            continue
        line, column = signature_end_in(lines, spec.span.line)
        if shown.start.line <= line - 1 <= shown.end.line:
            hints.append(
                types.InlayHint(core_to_position(path, line, column), inlay_text(result, stale), padding_left=True)
            )
    return hints


def run_diagnostics(
    path: str, view: GraphView, state: GraphResults, current: Mapping[str, str]
) -> list[types.Diagnostic]:
    """Where the run could not start, and each node whose current result is a failure."""
    diagnostics = []
    start_error = state.start_error_in(path, view.sources)
    if start_error is not None:
        line = types.Range(types.Position(start_error.line - 1, 0), types.Position(start_error.line - 1, 1000))
        diagnostics.append(
            types.Diagnostic(
                line,
                f"the run could not start: {start_error.message}",
                severity=types.DiagnosticSeverity.Error,
                code=RUN_FAILED,
                source=SOURCE,
            )
        )
    for spec in view.nodes_in(path):
        result, stale = state.result(spec.name, current)
        found = failure(spec, result) if result is not None and not stale else None
        if found is None:
            continue
        position = types.Range(
            core_to_position(found.path, found.line, found.column),
            core_to_position(found.path, found.line, found.end_column),
        )
        related = [
            types.DiagnosticRelatedInformation(
                types.Location(
                    path_to_uri(item.path),
                    types.Range(types.Position(item.line - 1, 0), types.Position(item.line - 1, 1000)),
                ),
                item.message,
            )
            for item in found.related
        ]
        diagnostics.append(
            types.Diagnostic(
                position,
                found.message,
                severity=types.DiagnosticSeverity.Error,
                code=NODE_FAILED,
                source=SOURCE,
                related_information=related or None,
            )
        )
    return diagnostics


def _command(title: str, command: str, argument: dict[str, Any]) -> types.Command:
    return types.Command(title=title, command=command, arguments=[argument])
