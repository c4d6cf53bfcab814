"""Source text -> node specs with ``ast``: the same specs runtime resolution gives, with exact
source ranges, and without importing or executing anything.

Parsing happens in two steps so that classes defined in one file of a graph are understood in the
annotations of another: ``parse_module`` reads each file once, ``specs_from_parsed`` resolves
annotations once every file's classes are known.
"""

from __future__ import annotations

import ast
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from livedag.graph.imports import LocalClasses, qualified_name, record_import
from livedag.graph.lines import split_lines
from livedag.graph.modifiers.configuration import merge_families
from livedag.graph.modifiers.macros import mutated as apply_mutations
from livedag.graph.modifiers.macros import mutated_functions
from livedag.graph.modifiers.static import expand_function, find_modifiers
from livedag.graph.problems import Problem, ProblemCode
from livedag.graph.spec import DecoratorSpec, NodeKind, NodeSpec, ParamKind, ParamSpec, Span
from livedag.graph.static_types import StaticTypeResolver
from livedag.graph.toplevel import record_constant, record_validator_name
from livedag.graph.types import KNOWN_CLASSES, TypeRef, known

__all__ = ["ParsedModule", "module_name_for_path", "parse_module", "specs_from_parsed", "specs_per_function"]

TRANSPARENT_DECORATORS = frozenset({"livedag.node", "livedag.graph.options.node"})
# Enum members read once: in Python 3.11 reading one off its class costs about 0.4 µs, per parameter.
_POSITIONAL_ONLY = ParamKind.POSITIONAL_ONLY
_POSITIONAL_OR_KEYWORD = ParamKind.POSITIONAL_OR_KEYWORD
_KEYWORD_ONLY = ParamKind.KEYWORD_ONLY
FunctionDef = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class ParsedModule:
    """One file after parsing: its functions, imports and classes, or the syntax error it has."""

    path: str
    module: str
    text: str
    lines: list[str]
    functions: list[FunctionDef] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)
    classes: dict[str, list[str | None]] = field(default_factory=dict)
    """Class name -> qualified names of its bases (``None`` for a base that cannot be resolved)."""
    helpers: dict[str, FunctionDef] = field(default_factory=dict)
    """Private top-level functions (not nodes): the steps of Hamilton's ``pipe_*``, the bodies of ``@mutate``."""
    validator_names: dict[str, str] = field(default_factory=dict)
    """Class name -> what its ``name()`` returns, when that is a string literal (a data validator's node name)."""
    constants: dict[str, ast.expr] = field(default_factory=dict)
    """Names assigned once at the top level (``COLUMNS = ["a", "b"]``): what ``@extract_columns(*COLUMNS)`` reads."""
    syntax_error: Problem | None = None

    @property
    def local_classes(self) -> Mapping[str, str]:
        """Class name -> its qualified name (``<module>.<Class>``), as names resolve to it."""
        return LocalClasses(self.module, self.classes)


def module_name_for_path(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    if stem == "__init__":
        return os.path.basename(os.path.dirname(path)) or stem
    return stem


def parse_module(path: str, text: str) -> ParsedModule:
    # A UTF-8 byte-order mark read as text is U+FEFF, which ``ast.parse`` of a str rejects; editors do not
    # count it as a column, so neither do we.
    text = text.removeprefix("\ufeff")
    parsed = ParsedModule(path, module_name_for_path(path), text, split_lines(text))
    try:
        with warnings.catch_warnings():
            # Warnings about the user's code (`invalid escape sequence`, `"is" with a literal`) are not ours to
            # print, and under `-W error` they would turn into false syntax errors.
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as error:
        parsed.syntax_error = _syntax_problem(path, error, parsed.lines)
        return parsed
    except (RecursionError, MemoryError):  # what CPython's parser raises for absurdly deep nesting
        too_deep = SyntaxError("the code is nested too deeply for Python's parser", (path, 1, 1, None))
        parsed.syntax_error = _syntax_problem(path, too_deep, parsed.lines)
        return parsed
    by_name: dict[str, FunctionDef] = {}
    assigned: set[str] = set()
    for statement in _top_level(tree.body):
        if isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            record_constant(statement, parsed.constants, assigned)
        if isinstance(statement, ast.Import | ast.ImportFrom):
            record_import(statement, parsed.imports)
        elif isinstance(statement, ast.ClassDef):
            parsed.classes[statement.name] = [None] * len(statement.bases)
            record_validator_name(statement, parsed.validator_names)
        elif isinstance(statement, FunctionDef) and not statement.name.startswith("_"):
            by_name.pop(statement.name, None)  # a later definition replaces an earlier one, as at runtime
            by_name[statement.name] = statement
        elif isinstance(statement, FunctionDef):
            parsed.helpers[statement.name] = statement
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            parsed.classes[statement.name] = [_dotted(base, parsed) for base in statement.bases]
    parsed.functions = list(by_name.values())
    return parsed


def _top_level(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Module statements, looking into ``if``/``try`` blocks (``if TYPE_CHECKING:`` imports)."""
    for statement in body:
        if isinstance(statement, ast.If):
            yield from _top_level(statement.body)
            yield from _top_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from _top_level(statement.body)
            for handler in statement.handlers:
                yield from _top_level(handler.body)
        else:
            yield statement


def _dotted(node: ast.expr, parsed: ParsedModule) -> str | None:
    return qualified_name(node, parsed.imports, parsed.local_classes)


def _syntax_problem(path: str, error: SyntaxError | ValueError, lines: list[str]) -> Problem:
    line = getattr(error, "lineno", None) or 1
    column = max((getattr(error, "offset", None) or 1) - 1, 0)
    end_column = len(lines[line - 1]) if 0 < line <= len(lines) else column
    reason = getattr(error, "msg", None) or str(error)
    span = Span(path, line, column, line, max(end_column, column))
    message = f"{reason} (line {line}); the graph of this file is not updated until it parses again"
    return Problem(ProblemCode.SYNTAX_ERROR, message, span)


class _ClassTable:
    """Classes defined in the graph's sources, by qualified name, with their ancestry."""

    def __init__(self, modules: Iterable[ParsedModule]) -> None:
        self._bases: dict[str, list[str | None]] = {}
        for parsed in modules:
            for name, bases in parsed.classes.items():
                self._bases[f"{parsed.module}.{name}"] = bases
        self._cache: dict[str, TypeRef] = {}

    def lookup(self, qualified: str) -> TypeRef | None:
        if qualified not in self._bases:
            return None
        if qualified not in self._cache:
            self._cache[qualified] = TypeRef(qualified, (), self._ancestors(qualified))
        return self._cache[qualified]

    def _ancestors(self, qualified: str) -> frozenset[str] | None:
        seen: set[str] = set()
        pending = [qualified]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self._bases:
                for base in self._bases[name]:
                    if base is None:
                        return None
                    pending.append(base.removeprefix("builtins."))
                continue
            if name not in KNOWN_CLASSES:
                return None
            seen |= known(name).ancestors or frozenset()
        return frozenset(seen | {"object"})


def specs_from_parsed(modules: list[ParsedModule], config: Mapping[str, Any] | None = None) -> list[NodeSpec]:
    """Every module's nodes; ``config`` resolves Hamilton's ``@config.when`` as Hamilton does (``None``: each
    family of variants is one node listing them)."""
    specs = [spec for specs in specs_per_function(modules, config) for spec in specs]
    return merge_families(specs) if config is None else specs


def specs_per_function(modules: list[ParsedModule], config: Mapping[str, Any] | None = None) -> list[list[NodeSpec]]:
    """The nodes of each function of each module, in order (a function with Hamilton's modifiers may make
    none or several); ``config.when`` families not merged yet (``configuration.merge_families`` does)."""
    classes = _ClassTable(modules)
    specs: list[list[NodeSpec]] = []
    for parsed in modules:
        if parsed.syntax_error is not None:
            continue
        resolver = StaticTypeResolver(parsed.imports, parsed.local_classes, classes.lookup)
        reader = _FunctionReader(parsed, resolver)
        mutations = mutated_functions(parsed.helpers.values(), reader.qualify)
        for fn in parsed.functions:
            made = reader.specs(fn, config) if fn.decorator_list else [reader.spec(fn)]
            specs.append(apply_mutations(made, mutations[fn.name], reader, config) if fn.name in mutations else made)
    return specs


class _FunctionReader:
    """Turns one ``def`` into a ``NodeSpec`` with character-accurate spans."""

    def __init__(self, parsed: ParsedModule, resolver: StaticTypeResolver) -> None:
        self._parsed = parsed
        self._imports = parsed.imports
        self._local_classes = parsed.local_classes
        self._resolver = resolver
        self._ascii = parsed.text.isascii()  # then ast's byte columns are character columns everywhere
        self._resolved: dict[str, TypeRef] = {}  # annotation text -> type: within a module, same text, same type

    def specs(self, fn: FunctionDef, config: Mapping[str, Any] | None) -> list[NodeSpec]:
        """A decorated function's nodes: Hamilton's modifiers expanded, other decorators noted."""
        modifiers, others = find_modifiers(fn.decorator_list, self.qualify)
        base = self.spec(fn, others, keyword=bool(modifiers))  # Hamilton calls its nodes with keywords
        return expand_function(base, modifiers, self, config) if modifiers else [base]

    def spec(self, fn: FunctionDef, decorator_list: list[ast.expr] | None = None, keyword: bool = False) -> NodeSpec:
        returns = self._annotation(fn.returns)
        listed = fn.decorator_list if decorator_list is None else decorator_list
        decorators = tuple(d for d in (self._decorator(node) for node in listed) if d)
        # decorators come first in the source: the topmost one starts the definition
        first_line = min(fn.lineno, fn.decorator_list[0].lineno) if fn.decorator_list else fn.lineno
        return NodeSpec(
            name=fn.name,
            params=self._params(fn.args, keyword),
            returns=returns,
            kind=_kind(fn, self._parsed.lines),
            module=self._parsed.module,
            span=self._name_span(fn),
            definition_span=self._span(first_line, 0, fn.end_lineno or fn.lineno, fn.end_col_offset or 0),
            returns_span=self._node_span(fn.returns) if fn.returns else None,
            doc=ast.get_docstring(fn),
            decorators=decorators,
            origin=fn.name if keyword else None,  # the nodes Hamilton's modifiers make come from this `def`
        )

    # -- what the modifier models read (``modifiers.context.SourceTools``) --------------------------------
    def annotation(self, node: ast.expr) -> TypeRef:
        ref = self._annotation(node)
        assert ref is not None
        return ref

    def node_span(self, node: ast.expr) -> Span:
        return self._node_span(node)

    def string_span(self, node: ast.Constant) -> Span:
        line = node.lineno
        if self._ascii and node.end_lineno == line and node.end_col_offset is not None:
            # the common case, `"name"` on one line of an ASCII file: the columns inside the quotes
            start = node.col_offset
            text = self._line(line)
            if text[start : start + 1] in ('"', "'") and text[start : start + 3] not in ('"""', "'''"):
                return Span(self._parsed.path, line, start + 1, line, node.end_col_offset - 1)
        span = self._node_span(node)
        text = self._segment(node) if span.line == span.end_line else ""
        quote = len(text) - len(text.lstrip("rRbBuUfF"))
        body = text[quote:]
        width = 3 if body[:3] in ('"""', "'''") else 1
        if not body or body[0] not in "\"'" or len(body) < 2 * width:
            return span
        return Span(span.path, span.line, span.column + quote + width, span.end_line, span.end_column - width)

    def keyword_span(self, keyword: ast.keyword) -> Span:
        column = self._char_column(keyword.lineno, keyword.col_offset)
        return Span(self._parsed.path, keyword.lineno, column, keyword.lineno, column + len(keyword.arg or ""))

    def qualify(self, node: ast.expr) -> str | None:
        return qualified_name(node, self._imports, self._local_classes)

    def constant(self, node: ast.expr) -> ast.expr | None:
        return self._parsed.constants.get(node.id) if isinstance(node, ast.Name) else None

    def validator_name(self, node: ast.expr) -> str | None:
        target = node.func if isinstance(node, ast.Call) else None
        return self._parsed.validator_names.get(target.id) if isinstance(target, ast.Name) else None

    def helper(self, node: ast.expr) -> NodeSpec | None:
        """The spec of the module's function ``node`` names (a ``pipe`` step), as if it were a node."""
        name = node.id if isinstance(node, ast.Name) else None
        fn = self._parsed.helpers.get(name) if name else None
        if fn is None and name is not None:
            fn = next((f for f in self._parsed.functions if f.name == name), None)
        return self.spec(fn, []) if fn is not None else None

    def _annotation(self, node: ast.expr | None) -> TypeRef | None:
        if node is None:
            return None
        text = self._segment(node)
        ref = self._resolved.get(text)
        if ref is None:
            ref = self._resolved[text] = self._resolver.resolve(node, text)
        return ref

    def _params(self, args: ast.arguments, keyword: bool = False) -> tuple[ParamSpec, ...]:
        params: list[ParamSpec] = []
        positional = [*args.posonlyargs, *args.args]
        first_default = len(positional) - len(args.defaults)
        either = _KEYWORD_ONLY if keyword else _POSITIONAL_OR_KEYWORD
        for index, arg in enumerate(positional):
            kind = _POSITIONAL_ONLY if index < len(args.posonlyargs) else either
            params.append(self._param(arg, kind, index >= first_default))
        if args.vararg:
            params.append(self._param(args.vararg, ParamKind.VAR_POSITIONAL, False))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            params.append(self._param(arg, _KEYWORD_ONLY, default is not None))
        if args.kwarg:
            params.append(self._param(args.kwarg, ParamKind.VAR_KEYWORD, False))
        return tuple(params)

    def _param(self, arg: ast.arg, kind: ParamKind, has_default: bool) -> ParamSpec:
        column = self._char_column(arg.lineno, arg.col_offset)
        span = Span(self._parsed.path, arg.lineno, column, arg.lineno, column + len(arg.arg))
        annotation_span = self._node_span(arg.annotation) if arg.annotation else None
        return ParamSpec(arg.arg, self._annotation(arg.annotation), has_default, kind, span, annotation_span)

    def _decorator(self, node: ast.expr) -> DecoratorSpec | None:
        target = node.func if isinstance(node, ast.Call) else node
        name = self.qualify(target) or self._segment(target)
        if name in TRANSPARENT_DECORATORS:
            return None
        strings = tuple(
            item.value for item in ast.walk(node) if isinstance(item, ast.Constant) and isinstance(item.value, str)
        )
        return DecoratorSpec(name, strings, self._node_span(node))

    def _name_span(self, fn: FunctionDef) -> Span:
        line_text = self._line(fn.lineno)
        column = self._char_column(fn.lineno, fn.col_offset)
        start = _name_column(line_text, column, fn.name)
        return Span(self._parsed.path, fn.lineno, start, fn.lineno, start + len(fn.name))

    def _node_span(self, node: ast.expr) -> Span:
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset or node.col_offset
        if self._ascii:  # the common case, on every parameter: no conversion
            return Span(self._parsed.path, node.lineno, node.col_offset, end_line, end_column)
        return self._span(node.lineno, node.col_offset, end_line, end_column)

    def _span(self, line: int, byte_column: int, end_line: int, end_byte_column: int) -> Span:
        return Span(
            self._parsed.path,
            line,
            self._char_column(line, byte_column),
            end_line,
            self._char_column(end_line, end_byte_column),
        )

    def _line(self, line: int) -> str:
        lines = self._parsed.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _char_column(self, line: int, byte_column: int) -> int:
        if self._ascii:
            return byte_column
        text = self._line(line)
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def _segment(self, node: ast.expr) -> str:
        """The annotation as written (``ast.get_source_segment`` re-splits the file on every call)."""
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            return ast.unparse(node)
        text = self._line(node.lineno)
        if text.isascii():
            return text[node.col_offset : node.end_col_offset]
        return text.encode("utf-8")[node.col_offset : node.end_col_offset].decode("utf-8", errors="replace")


def _name_column(line: str, column: int, name: str) -> int:
    """Where ``name`` starts in ``async def  name(`` from ``column`` (not at the `a` of `async`)."""
    start = column
    for keyword in ("async", "def"):
        if line.startswith(keyword, start):
            rest = line[start + len(keyword) :]
            start += len(keyword) + len(rest) - len(rest.lstrip())
    return start if line.startswith(name, start) else column


def _kind(fn: FunctionDef, lines: list[str]) -> NodeKind:
    is_async = isinstance(fn, ast.AsyncFunctionDef)
    if _yields(fn, lines):
        return NodeKind.ASYNC_GENERATOR if is_async else NodeKind.GENERATOR
    return NodeKind.ASYNC if is_async else NodeKind.SYNC


def _yields(fn: FunctionDef, lines: list[str]) -> bool:
    """A ``yield`` in the function's own body (not in a nested function, class or lambda)."""
    body = lines[fn.body[0].lineno - 1 : fn.end_lineno or fn.lineno]
    if not any("yield" in line for line in body):
        return False  # most functions: no need to walk their bodies
    pending: list[ast.AST] = list(fn.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False
