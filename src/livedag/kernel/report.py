"""Static reports shown under a cell: graph problems and the ``%dag nodes`` listing.

Pure functions from core objects to ``(html, text)`` pairs. Locations are given as the notebook
cell (``In [3], line 2``) rather than the temporary file IPython compiled the cell into.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from livedag.graph import Graph, Problem, Severity

__all__ = ["nodes_report", "problems_report", "relevant_problems"]

_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"
_BOX = "font-family:var(--jp-code-font-family,monospace);font-size:12px;border-collapse:collapse"
_SEVERITY_COLOURS = {Severity.ERROR: "#c42b2b", Severity.WARNING: "#b07800", Severity.INFO: "#4a7fc4"}


def relevant_problems(problems: Iterable[Problem], names: Iterable[str], filename: str | None) -> list[Problem]:
    """Problems that involve one of ``names`` or point into the cell's file."""
    wanted = set(names)
    return [
        problem
        for problem in problems
        if wanted & set(problem.nodes) or (filename is not None and problem.span and problem.span.path == filename)
    ]


def _where(problem: Problem, labels: Mapping[str, str]) -> str:
    if problem.span is None:
        return ""
    label = labels.get(problem.span.path)
    return f"{label}, line {problem.span.line}" if label else f"{problem.span.path}:{problem.span.line}"


def _with_labels(message: str, labels: Mapping[str, str]) -> str:
    """Messages name definitions as ``path:line``; a notebook cell's file reads as ``In [n], line``."""
    for path, label in labels.items():
        message = message.replace(f"{path}:", f"{label}, line ")
    return message


def problems_report(problems: Iterable[Problem], labels: Mapping[str, str]) -> tuple[str, str]:
    """A table of problems with their code, nodes and message; ``labels`` maps cell files to ``In [n]``."""
    items = list(problems)
    errors = sum(problem.is_error for problem in items)
    title = f"livedag: {len(items)} problem{'s' if len(items) != 1 else ''} in the graph" + (
        f" ({errors} error{'s' if errors != 1 else ''}: nothing runs until they are fixed)" if errors else ""
    )
    text_lines = [title]
    rows = []
    for problem in items:
        where = _where(problem, labels)
        message = _with_labels(problem.message, labels)
        nodes = ", ".join(problem.nodes)
        text_lines.append(
            f"  {problem.severity.value} {problem.code.value} [{nodes}]"
            + (f" ({where})" if where else "")
            + f": {message}"
        )
        colour = _SEVERITY_COLOURS[problem.severity]
        rows.append(
            f'<tr class="livedag-problem" data-code="{problem.code.value}" data-nodes="{html.escape(nodes)}">'
            f'<td style="{_CELL};color:{colour}">{problem.severity.value} <b>{problem.code.value}</b></td>'
            f'<td style="{_CELL}"><b>{html.escape(nodes)}</b></td>'
            f'<td style="{_CELL}">{html.escape(where)}</td>'
            f'<td style="{_CELL}">{html.escape(message)}</td></tr>'
        )
    markup = (
        f'<div class="livedag-problems"><div style="font-weight:bold;margin:2px 0">{html.escape(title)}</div>'
        f'<table style="{_BOX}"><tbody>{"".join(rows)}</tbody></table></div>'
    )
    return markup, "\n".join(text_lines)


def nodes_report(graph: Graph, cell_of: Mapping[str, str]) -> tuple[str, str]:
    """``%dag nodes``: every node with its cell, kind, parameters and return type."""
    header = ("node", "cell", "kind", "needs", "returns")
    lines = []
    for name, spec in graph.nodes.items():
        needs = ", ".join(graph.dependencies(name))
        returns = str(spec.returns) if spec.returns is not None else "?"
        lines.append((name, cell_of.get(name, ""), spec.kind.value, needs, returns))
    inputs = ", ".join(f"{name}{'' if item.required else '?'}" for name, item in graph.inputs.items())
    footer = f"{len(graph.nodes)} nodes; external inputs: {inputs or 'none'}"
    widths = [max([len(header[i]), *(len(line[i]) for line in lines)]) for i in range(len(header))]
    text = "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )
    head = "".join(f'<th style="{_CELL}">{title}</th>' for title in header)
    body = "".join(
        f'<tr data-node="{html.escape(line[0])}">'
        + "".join(f'<td style="{_CELL}">{html.escape(cell)}</td>' for cell in line)
        + "</tr>"
        for line in lines
    )
    markup = (
        f'<table class="livedag-nodes" style="{_BOX}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"<div>{html.escape(footer)}</div>"
    )
    return markup, f"{text}\n{footer}"
