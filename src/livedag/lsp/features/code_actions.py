"""Quick fixes for the problems a user meets while typing: plain data, built from the graph and the source text.

- ``possible-typo``: "Change to `clean_documents`" renames the parameter and its uses in the function body.
- ``missing-annotation`` on a parameter: add the annotation the producing node's return type implies.
- A parameter that no node produces (an external input), with the cursor on it: "Create node `x`" appends a
  stub function that returns the type the parameter asks for. (Only on the name itself: inputs are normal, and
  a light bulb on every line that has one would be noise.)

Positions are the core's (1-based lines, 0-based columns); the handler converts them at the seam.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from livedag.graph import Graph, NodeSpec, ParamSpec, Problem, ProblemCode, Span
from livedag.graph.lines import split_lines
from livedag.lsp.state import GraphView

__all__ = ["Edit", "QuickFix", "quick_fixes"]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between (line, column) and (end_line, end_column) of ``path`` with ``text``."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True, slots=True)
class QuickFix:
    title: str
    edits: tuple[Edit, ...]
    problem: Problem | None = None
    """The diagnostic this fixes (editors show the fix on it); ``None`` for a refactoring offered anywhere."""
    preferred: bool = False


def quick_fixes(view: GraphView, path: str, line: int, end_line: int, column: int | None = None) -> list[QuickFix]:
    """The fixes for problems on lines ``line``..``end_line`` of ``path``, and for the external-input parameter
    at (``line``, ``column``) when a column is given."""
    text = view.sources.get(path)
    if text is None or path in view.broken:
        return []
    fixes: list[QuickFix] = []
    for problem in view.problems_in(path):
        span = problem.span
        if span is None or span.end_line < line or span.line > end_line:
            continue
        if problem.code is ProblemCode.POSSIBLE_TYPO:
            fixes += _typo_fix(view.graph, text, problem)
        elif problem.code is ProblemCode.MISSING_ANNOTATION:
            fixes += _annotation_fix(view.graph, problem)
    for spec in view.nodes_in(path):
        for param in spec.params:
            at_cursor = column is not None and param.span is not None and param.span.contains(line, column)
            if at_cursor and param.name in view.graph.inputs and param.kind.supported:
                fixes.append(_create_node(spec, param, path, text))
    return fixes


def _typo_fix(graph: Graph, text: str, problem: Problem) -> list[QuickFix]:
    consumer, match = (*problem.nodes, "", "")[:2]
    spec = graph.nodes.get(consumer)
    param = _param_at(spec, problem.span) if spec is not None else None
    if spec is None or param is None or param.span is None or spec.definition_span is None or not match:
        return []
    edits = tuple(
        Edit(param.span.path, line, column, line, column + len(param.name), match)
        for line, column in _name_uses(text, spec.definition_span, param.name)
    )
    return [QuickFix(f"Change to '{match}'", edits, problem, preferred=True)] if edits else []


def _annotation_fix(graph: Graph, problem: Problem) -> list[QuickFix]:
    spec = graph.nodes.get(problem.nodes[0]) if problem.nodes else None
    param = _param_at(spec, problem.span) if spec is not None else None
    producer = graph.nodes.get(param.name) if param is not None else None
    produced = producer.output_type if producer is not None and not producer.opaque else None
    if param is None or param.span is None or produced is None or produced.is_opaque:
        return []  # a return annotation, or no producer to take the type from: nothing sure to offer
    span = param.span
    annotation = produced.display()
    edit = Edit(span.path, span.end_line, span.end_column, span.end_line, span.end_column, f": {annotation}")
    return [
        QuickFix(
            f"Add annotation '{param.name}: {annotation}' (what '{param.name}' returns)",
            (edit,),
            problem,
            preferred=True,
        )
    ]


def _create_node(spec: NodeSpec, param: ParamSpec, path: str, text: str) -> QuickFix:
    returns = (param.annotation.text or param.annotation.display()) if param.annotation is not None else "object"
    stub = (
        f"def {param.name}() -> {returns}:\n"
        f'    """The node `{param.name}` (needed by `{spec.name}`)."""\n'
        f'    raise NotImplementedError("compute {param.name} here")\n'
    )
    lines = text.split("\n")  # the position after the text's last line end: (number of line ends + 1, 0)
    last = len(lines)
    ending = lines[-1]
    tail = text.rstrip("\n")
    blank = "\n" * (3 - (len(text) - len(tail))) if text.strip() else ""
    edit = Edit(path, last, len(ending), last, len(ending), blank + stub)
    return QuickFix(f"Create node '{param.name}'", (edit,))


def _param_at(spec: NodeSpec | None, span: Span | None) -> ParamSpec | None:
    if spec is None or span is None:
        return None
    for param in spec.params:
        if param.span is not None and (param.span.line, param.span.column) == (span.line, span.column):
            return param
    return None


def _name_uses(text: str, definition: Span, name: str) -> list[tuple[int, int]]:
    """Where ``name`` is the parameter or a use of it inside the function: NAME tokens that are not an
    attribute (``x.name``) or a keyword argument (``f(name=1)``). Lines 1-based, columns 0-based."""
    lines = split_lines(text)[definition.line - 1 : definition.end_line]
    source = "\n".join(lines) + "\n"
    uses: list[tuple[int, int]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return uses
    depth = 0
    in_signature = True
    for index, token in enumerate(tokens):
        if token.type == tokenize.OP:
            depth += token.string in "([{"
            depth -= token.string in ")]}"
            if token.string == ":" and depth == 0:
                in_signature = False
            continue
        if token.type != tokenize.NAME or token.string != name:
            continue
        before = tokens[index - 1].string if index else ""
        after = tokens[index + 1].string if index + 1 < len(tokens) else ""
        keyword_argument = not in_signature and depth > 0 and after == "=" and before in ("(", ",")
        if before != "." and not keyword_argument:
            uses.append((definition.line + token.start[0] - 1, token.start[1]))
    return uses
