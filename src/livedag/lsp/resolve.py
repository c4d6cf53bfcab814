"""Static resolution that only re-reads what an edit touched.

``Graph.from_sources`` parses and reads every function of every file; on a 1,000-node file that is
about 100 ms per keystroke. :class:`IncrementalResolver` gives the same node specs (a property test
checks it against ``Graph.from_sources``) by cutting each file into top-level blocks and caching:

- a *function block* (decorators + ``def``) is parsed on its own, padded with blank lines so line
  numbers stay exact, and its specs are cached by (path, first line, text);
- the *context* of a file (every other block: imports, classes, constants, ``if TYPE_CHECKING:``)
  is parsed as one text with the function blocks blanked out; when any file's imports or classes
  change, every cached spec is dropped, since annotations resolve through them.

Whenever a block does not parse on its own (a syntax error, or a multi-line string that the cut went
through), the whole file is parsed the ordinary way, which also gives the exact syntax error.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from livedag.graph import NodeSpec, Problem
from livedag.graph.static import FunctionDef, ParsedModule, module_name_for_path, parse_module, specs_from_parsed

__all__ = ["Block", "IncrementalResolver", "Resolution", "split_blocks"]

_STATEMENT = re.compile(r"\n(?!(?:else|elif|except|finally)\b)(@|def\b|async\b|class\b|[^\s#)\]}])")
_HEAD = re.compile(r"(@|def\b|async\b|class\b)")
_DECORATED = re.compile(r"^(def|async|class)\b", re.MULTILINE)


_BlockKey = tuple[str, int, str]
"""(path, first line, text) of a function block."""
_Owned = tuple[FunctionDef, _BlockKey | None]
"""A function and the block it was parsed from (``None``: parsed with the file's context)."""


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    """1-based line of the block's first line."""
    text: str
    is_function: bool


@dataclass(frozen=True, slots=True)
class Resolution:
    """Specs per file (files with a syntax error have none) and the syntax errors per file."""

    specs: dict[str, list[NodeSpec]]
    syntax_errors: dict[str, Problem]


def split_blocks(text: str) -> list[Block]:
    """Top-level blocks: a new one starts at each column-0 line that is not a continuation (an
    indented or blank line, a comment, a closing bracket, ``else``/``except``..., a line after a
    backslash) and does not follow a decorator."""
    offsets = [0]
    head = _HEAD.match(text)
    decorated = head is not None and head.group(1) == "@"
    for match in _STATEMENT.finditer(text):  # searching for "\n" first: no regex try at every character
        newline = match.start()
        word = match.group(1)
        if text[newline - 1 : newline] == "\\" or text[newline - 2 : newline] == "\\\r":
            decorated = word == "@"
            continue
        if decorated and word in ("@", "def", "async", "class"):
            decorated = word == "@"
            continue
        offsets.append(newline + 1)
        decorated = word == "@"
    offsets.append(len(text))
    blocks = []
    line = 1
    for begin, end in itertools.pairwise(offsets):
        chunk = text[begin:end]
        kind = _HEAD.match(chunk)
        word = kind.group(1) if kind else None
        if word == "@":
            after = _DECORATED.search(chunk)
            word = after.group(1) if after else None
        blocks.append(Block(line, chunk, word in ("def", "async")))
        line += chunk.count("\n")
    return blocks


_CUT = "__livedag_cut__\n"
"""Stands in the context text for each function block's first line."""


def _cut_at_top_level(context_text: str, cuts: int) -> bool:
    """Whether every cut is a statement of its own: a cut inside a multi-line string or brackets means
    the function block was not a top-level definition, and the file must be parsed whole."""
    try:
        tree = ast.parse(context_text)
    except (SyntaxError, ValueError):
        return True  # parse_module reports it and the file is parsed whole
    found = sum(
        1
        for statement in tree.body
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name)
        and statement.value.id == "__livedag_cut__"
    )
    return found == cuts


@dataclass
class _FileCache:
    context: tuple[str, ParsedModule | None] | None = None
    blocks: dict[tuple[int, str], ParsedModule] = field(default_factory=dict)


class IncrementalResolver:
    """Source texts -> node specs, re-reading only the blocks that changed since the last call."""

    def __init__(self) -> None:
        self._files: dict[str, _FileCache] = {}
        self._specs: dict[_BlockKey, list[NodeSpec]] = {}
        self._fingerprint: object = None

    def resolve(self, sources: Mapping[str, str]) -> Resolution:
        modules: dict[str, ParsedModule] = {}
        owners: dict[str, list[_Owned]] = {}
        errors: dict[str, Problem] = {}
        for path, text in sources.items():
            merged = self._merge(path, text)
            if merged is None:
                full = parse_module(path, text)
                if full.syntax_error is not None:
                    errors[path] = full.syntax_error
                    continue
                merged = (full, [(fn, None) for fn in full.functions])
            modules[path], owners[path] = merged
        self._files = {path: cache for path, cache in self._files.items() if path in sources}
        fingerprint = tuple(
            (path, module.module, sorted(module.imports.items()), sorted(module.classes.items(), key=str))
            for path, module in modules.items()
        )
        if fingerprint != self._fingerprint:
            self._specs.clear()
            self._fingerprint = fingerprint
        return Resolution(self._specs_of(modules, owners), errors)

    def _merge(self, path: str, text: str) -> tuple[ParsedModule, list[_Owned]] | None:
        if "\r" in text.replace("\r\n", ""):
            return None  # old Mac line ends: the cut counts "\n"; parse the whole file instead
        cache = self._files.setdefault(path, _FileCache())
        blocks = split_blocks(text)
        context_text = "".join(
            _CUT + "\n" * (block.text.count("\n") - 1) if block.is_function else block.text for block in blocks
        )
        if cache.context is None or cache.context[0] != context_text:
            cuts = sum(block.is_function for block in blocks)
            usable = _cut_at_top_level(context_text, cuts)
            cache.context = (context_text, parse_module(path, context_text) if usable else None)
        context = cache.context[1]
        if context is None or context.syntax_error is not None:
            return None
        found: list[tuple[int, FunctionDef, _BlockKey | None]] = [
            (fn.lineno, fn, None) for fn in context.functions
        ]
        kept: dict[tuple[int, str], ParsedModule] = {}
        for block in blocks:
            if not block.is_function:
                continue
            key = (block.start, block.text)
            parsed = cache.blocks.get(key) or parse_module(path, "\n" * (block.start - 1) + block.text)
            if parsed.syntax_error is not None:
                return None
            kept[key] = parsed
            found.extend((fn.lineno, fn, (path, block.start, block.text)) for fn in parsed.functions)
        cache.blocks = kept
        by_name: dict[str, _Owned] = {}
        for _, fn, owner in sorted(found, key=lambda item: item[0]):
            by_name.pop(fn.name, None)  # a later definition replaces an earlier one, as at runtime
            by_name[fn.name] = (fn, owner)
        lines = text.splitlines()
        module = ParsedModule(
            path, module_name_for_path(path), text, lines, [fn for fn, _ in by_name.values()],
            context.imports, context.classes,
        )
        return module, list(by_name.values())

    def _specs_of(
        self,
        modules: dict[str, ParsedModule],
        owners: dict[str, list[_Owned]],
    ) -> dict[str, list[NodeSpec]]:
        missing = {
            path: [fn for fn, owner in owners[path] if owner is None or owner not in self._specs] for path in modules
        }
        fresh = specs_from_parsed([replace(module, functions=missing[path]) for path, module in modules.items()])
        fresh_by_fn = dict(zip((id(fn) for path in modules for fn in missing[path]), fresh, strict=True))
        result: dict[str, list[NodeSpec]] = {}
        for path in modules:
            specs = []
            for fn, owner in owners[path]:
                spec = fresh_by_fn.get(id(fn))
                if spec is None and owner is not None:
                    spec = self._specs[owner][0]
                elif spec is not None and owner is not None:
                    self._specs[owner] = [spec]
                if spec is not None:
                    specs.append(spec)
            result[path] = specs
        return result
