"""Static resolution that only re-reads what an edit touched.

``Graph.from_sources`` parses and reads every function of every file; on a 1,000-node file that is
about 100 ms per keystroke. :class:`IncrementalResolver` gives the same node specs (a property test
checks it against ``Graph.from_sources``) by cutting each file into top-level blocks and caching:

- a *function block* (decorators + ``def``) is parsed on its own, from line 1, and its line numbers
  moved to where the block starts (never padded with the lines above it: that made opening a file
  quadratic); its specs are cached by (path, first line, text);
- the *context* of a file (every other block: imports, classes, constants, ``if TYPE_CHECKING:``)
  is parsed as one text with the function blocks blanked out; when any file's imports or classes
  change, every cached spec is dropped, since annotations resolve through them.

Whenever a block does not parse on its own (a syntax error, or a multi-line string that the cut went
through), the whole file is parsed the ordinary way, which also gives the exact syntax error. The blocks'
parses are kept by ``block_parses``.

When every file was last resolved through its blocks, an edit of function blocks only is first applied to
that resolution (``block_edits``): only the stretch the edit touched is cut and read, the specs below are
moved. The resolution says what each spec was moved from (``Resolution.origins``), so that the caller can
move the graph's problems with them instead of validating again (``relocation``).
"""

from __future__ import annotations

import ast
import functools
import itertools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from livedag.graph import NodeSpec, Problem
from livedag.graph.block_edits import (
    IMPORTS_HAMILTON,
    Block,
    FileSnapshot,
    block_offsets,
    blocks_at,
    def_name,
    split_blocks,
)
from livedag.graph.block_parses import CUT, BlockParse, FileCache, Stub, cut_at_top_level, parse_blocks, unread_blocks
from livedag.graph.lines import split_lines
from livedag.graph.relocation import Origin, moved_spec
from livedag.graph.static import FunctionDef, ParsedModule, module_name_for_path, parse_module, specs_per_function

__all__ = ["Block", "IncrementalResolver", "Resolution", "split_blocks"]

_BlockKey = tuple[str, str, int]
"""(path, text, occurrence) of a function block: the n-th block of that text in the file."""
_Owned = tuple["FunctionDef | Stub", "BlockParse | None", _BlockKey | None, int]
"""A function, the cached parse of its block and the block's key (``None``, ``None``: read with the
file's context), and the line where the block starts now (the function's line for the context's)."""
_Read = tuple[FunctionDef, "BlockParse | None", _BlockKey | None, int]
"""An owner whose function has its syntax tree (about to be read)."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """Specs per file (files with a syntax error have none) and the syntax errors per file."""

    specs: dict[str, list[NodeSpec]]
    syntax_errors: dict[str, Problem]
    origins: dict[str, list[Origin]] = field(default_factory=dict)
    """Per file, in the order of ``specs``: the spec of the last resolution each one was moved from and by
    how many lines (``None``: read afresh), for ``graph.relocation.node_shifts``."""


class IncrementalResolver:
    """Source texts -> node specs, re-reading only the blocks that changed since the last call."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self._files: dict[str, FileCache] = {}
        self._specs: dict[_BlockKey, tuple[int, list[NodeSpec]]] = {}
        """Block -> (the line its block started at when read, its specs: Hamilton's modifiers may make several)."""
        self._config = config
        """Hamilton's config (``None``: ``config.when`` variants are kept, for the caller to merge)."""
        self._fingerprint: object = None
        self._snapshots: dict[str, FileSnapshot] = {}
        """Each file as last resolved, when every file was resolved through its blocks: the next edits of
        function blocks are applied to it (``block_edits``)."""
        self._modules: dict[str, ParsedModule] = {}

    def resolve(self, sources: Mapping[str, str]) -> Resolution:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # "invalid decimal literal"... in half-typed code
            return self._resolve(sources)

    def _resolve(self, sources: Mapping[str, str]) -> Resolution:
        edited = self._edited(sources)
        if edited is not None:
            return edited
        self._snapshots = {}
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
                merged = (full, [(fn, None, None, fn.lineno) for fn in full.functions])
            modules[path], owners[path] = merged
        self._files = {path: cache for path, cache in self._files.items() if path in sources}
        fingerprint = tuple(
            (
                path,
                module.module,
                sorted(module.imports.items()),
                sorted(module.classes.items(), key=str),
                _signatures(module),
            )
            for path, module in modules.items()
        )
        if fingerprint != self._fingerprint:
            self._specs.clear()
            self._fingerprint = fingerprint
        while True:
            try:
                specs, origins, made = self._specs_of(modules, owners, set(sources))
                self._remember(sources, modules, owners, made, errors)
                return Resolution(specs, errors, origins)
            except _Unreadable as unreadable:  # a block of a file opened now does not parse: read it whole
                path = unreadable.path
                self._files.pop(path, None)
                full = parse_module(path, sources[path])
                if full.syntax_error is not None:
                    errors[path] = full.syntax_error
                    del modules[path], owners[path]
                else:
                    modules[path] = full
                    owners[path] = [(fn, None, None, fn.lineno) for fn in full.functions]

    def _merge(self, path: str, text: str) -> tuple[ParsedModule, list[_Owned]] | None:
        if "\r" in text.replace("\r\n", ""):
            return None  # old Mac line ends: the cut counts "\n"; parse the whole file instead
        if IMPORTS_HAMILTON.search(text):
            # Hamilton's modifiers read other functions of the file (pipe steps, `@mutate` bodies, subdags): its
            # nodes are not functions of their own block alone, so the file is read whole
            return None
        cache = self._files.setdefault(path, FileCache())
        offsets = block_offsets(text)
        blocks = blocks_at(text, offsets)
        cache.cut = None
        # One line per function block: the context's text (and its parse) stays the same when a body grows.
        context_text = "".join(CUT if block.is_function else block.text for block in blocks)
        if cache.context is None or cache.context[0] != context_text:
            cuts = sum(block.is_function for block in blocks)
            usable = cut_at_top_level(context_text, cuts)
            cache.context = (context_text, parse_module(path, context_text) if usable else None)
        context = cache.context[1]
        if context is None or context.syntax_error is not None:
            return None
        if context.functions:  # functions inside `if`/`try` blocks: read them at their real lines
            padded = "".join(
                CUT + "\n" * (block.text.count("\n") - 1) if block.is_function else block.text for block in blocks
            )
            context = parse_module(path, padded)
        found: list[_Owned] = [(fn, None, None, fn.lineno) for fn in context.functions]
        seeded = unread_blocks(blocks) if not cache.blocks else {}
        kept: dict[tuple[str, int], BlockParse] = {}
        seen: dict[str, int] = {}
        for block in blocks:
            if not block.is_function:
                continue
            occurrence = seen.get(block.text, 0)  # identical blocks (a function defined twice) stay apart
            seen[block.text] = occurrence + 1
            key = (block.text, occurrence)
            parsed = cache.blocks.get(key) or seeded.get(block.start)
            if parsed is None:
                # parsed alone, from line 1: its lines are moved where the block is when it is read
                module = parse_module(path, block.text)
                if module.syntax_error is not None:
                    cache.blocks.update(kept)
                    return None
                parsed = BlockParse(1, module)
            kept[key] = parsed
            found.extend((fn, parsed, (path, block.text, occurrence), block.start) for fn in parsed.functions())
        cache.blocks = kept
        if not context.functions and len(found) == len({owned[0].name for owned in found}):
            cache.cut = (text, offsets, blocks)
        by_name: dict[str, _Owned] = {}
        # in block order already, but for functions read with the context (inside `if`/`try`)
        for owned in sorted(found, key=_start) if context.functions else found:
            by_name.pop(owned[0].name, None)  # a later definition replaces an earlier one, as at runtime
            by_name[owned[0].name] = owned
        lines = split_lines(text)
        helpers = dict(context.helpers)  # private functions: the steps of Hamilton's pipes, `@mutate` bodies
        for parsed in kept.values():  # in block order: a later helper of the same name wins
            if parsed.module is not None:
                helpers.update(parsed.module.helpers)
        module = ParsedModule(
            path,
            module_name_for_path(path),
            text,
            lines,
            [],  # its functions are the owners returned
            context.imports,
            context.classes,
            helpers,
        )
        return module, list(by_name.values())

    def _specs_of(
        self,
        modules: dict[str, ParsedModule],
        owners: dict[str, list[_Owned]],
        alive: set[str],
    ) -> tuple[dict[str, list[NodeSpec]], dict[str, list[Origin]], dict[str, list[list[NodeSpec]]]]:
        fresh: dict[object, list[NodeSpec]] = {}
        """Specs read now, by block key (by the function's id for a function read with its file's context)."""
        for path in modules:
            to_read = [owned for owned in owners[path] if owned[2] is None or owned[2] not in self._specs]
            others = [replace(module, functions=[]) for other, module in modules.items() if other != path]
            for begin in range(0, len(to_read), _CHUNK):
                # a chunk at a time: only one chunk's syntax trees exist at once (a large file's trees were
                # most of the memory)
                chunk = self._readable(path, to_read[begin : begin + _CHUNK])
                functions = [fn for fn, _, _, _ in chunk]
                read = specs_per_function([replace(modules[path], functions=functions), *others], self._config)
                fresh.update(zip((_fresh_key(owned) for owned in chunk), read, strict=True))
                for _, block, _, _ in chunk:
                    if block is not None:
                        block.release()
        kept = {  # the blocks of files that did not parse this time stay for when they do again
            owner: cached for owner, cached in self._specs.items() if owner[0] not in modules and owner[0] in alive
        }
        result: dict[str, list[NodeSpec]] = {}
        origins: dict[str, list[Origin]] = {}
        per_owner: dict[str, list[list[NodeSpec]]] = {}
        for path in modules:
            specs: list[NodeSpec] = []
            moves: list[Origin] = []
            made_by = per_owner[path] = []
            for owned in owners[path]:
                _, _, owner, start = owned
                made = fresh.get(_fresh_key(owned))
                if made is None and owner is not None:
                    read_at, cached = self._specs[owner]
                    if read_at != start:  # lines added or removed above it: move it, do not read it again
                        made = [moved_spec(spec, start - read_at) for spec in cached]
                        moves.extend((spec, start - read_at) for spec in cached)
                    else:
                        made = cached
                        moves.extend((spec, 0) for spec in cached)
                else:
                    assert made is not None  # a function without a block (owner None) is always read fresh
                    moves.extend(itertools.repeat(None, len(made)))
                if owner is not None:
                    kept[owner] = (start, made)
                specs.extend(made)
                made_by.append(made)
            result[path] = specs
            origins[path] = moves
        self._specs = kept
        for path in modules:
            for _, parsed, _, _ in owners[path]:
                if parsed is not None:
                    parsed.release()
        return result, origins, per_owner

    def _remember(
        self,
        sources: Mapping[str, str],
        modules: dict[str, ParsedModule],
        owners: dict[str, list[_Owned]],
        made: dict[str, list[list[NodeSpec]]],
        errors: dict[str, Problem],
    ) -> None:
        """Snapshots of the files for :meth:`_edited`, when every file was read through its blocks."""
        # what reading a block needs of each file: its imports, classes and helpers (not its text and lines)
        self._snapshots = {}
        self._modules = {path: replace(module, text="", lines=[], functions=[]) for path, module in modules.items()}
        if errors:
            return
        snapshots: dict[str, FileSnapshot] = {}
        for path, text in sources.items():
            cache = self._files.get(path)
            if cache is None or cache.cut is None or cache.cut[0] is not text:
                return
            _, offsets, blocks = cache.cut
            per_block: list[list[NodeSpec]] = []
            names: set[str] = set()
            index = 0
            for block in blocks:
                name = def_name(block) if block.is_function else ""
                if not name or name.startswith("_"):
                    per_block.append([])
                    continue
                if index >= len(owners[path]) or owners[path][index][3] != block.start:
                    return  # not one node function per block: edit it the ordinary way
                per_block.append(made[path][index])
                names.add(name)
                index += 1
            if index != len(owners[path]):
                return
            snapshots[path] = FileSnapshot(text, offsets, blocks, per_block, frozenset(names))
        self._snapshots = snapshots

    def _edited(self, sources: Mapping[str, str]) -> Resolution | None:
        """Edits of function blocks only, applied to the snapshots (``None``: resolve the ordinary way)."""
        if not self._snapshots or list(sources) != list(self._snapshots):
            return None
        specs: dict[str, list[NodeSpec]] = {}
        origins: dict[str, list[Origin]] = {}
        snapshots: dict[str, FileSnapshot] = {}
        for path, text in sources.items():
            snapshot = self._snapshots[path]
            if text is snapshot.text:
                snapshots[path], specs[path] = snapshot, snapshot.all_specs()
                origins[path] = [(spec, 0) for spec in specs[path]]
                continue
            edited = snapshot.edited(text, functools.partial(self._read_blocks, path))
            if edited is None:
                return None
            snapshots[path], specs[path], origins[path] = edited
        self._snapshots = snapshots
        return Resolution(specs, {}, origins)

    def _read_blocks(self, path: str, blocks: list[Block]) -> list[list[NodeSpec]] | None:
        """The specs of each of these function blocks of ``path``, at the lines where they are."""
        module = self._modules[path]
        others = [replace(other, functions=[]) for name, other in self._modules.items() if name != path]
        found: list[list[NodeSpec]] = []
        for block in blocks:
            alone = parse_module(path, block.text)  # from line 1: its specs are moved to the block's lines
            if alone.syntax_error is not None or len(alone.functions) != 1 or alone.helpers:
                return None
            reading = replace(module, text=block.text, lines=alone.lines, functions=alone.functions)
            read = specs_per_function([reading, *others], self._config)[0]
            found.append([moved_spec(spec, block.start - 1) for spec in read])
        return found

    def _readable(self, path: str, chunk: list[_Owned]) -> list[_Read]:
        """``chunk`` with a syntax tree for every function, at the lines where its block is now: released
        blocks are parsed again, together (one parse of the chunk's blocks, padded to their lines)."""
        released = [owned for owned in chunk if isinstance(owned[0], Stub) and owned[1] is not None]
        if released:
            together = parse_blocks(path, [(start, owner[1]) for _, _, owner, start in released if owner is not None])
            for _, block, _, start in released:
                assert block is not None
                block.revive(together.get(start), start)
        readable: list[_Read] = []
        for fn, block, owner, start in chunk:
            if block is not None:
                block.move_to(start)  # read again: its lines must be right
                if isinstance(fn, Stub) and block.module is not None:
                    fn = next((f for f in block.module.functions if f.name == fn.name), None) or fn
            if isinstance(fn, Stub):
                raise _Unreadable(path)
            readable.append((fn, block, owner, start))
        return readable


class _Unreadable(Exception):
    """A block did not parse when it was read (a first open): the file is parsed whole instead."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


_CHUNK = 500


def _start(owned: _Owned) -> int:
    return owned[3]


def _fresh_key(owned: _Owned | _Read) -> object:
    return owned[2] if owned[2] is not None else id(owned[0])


def _signatures(module: ParsedModule) -> tuple[str, ...]:
    """The private functions' decorators and signatures (what Hamilton's pipes and ``@mutate`` read of them):
    when one changes, specs read with it are read again. Their bodies do not count; a module that does not
    import Hamilton has none that matter."""
    if not module.helpers or not any(name.startswith("hamilton") for name in module.imports.values()):
        return ()
    return tuple(
        ast.dump(fn.args) + (ast.dump(fn.returns) if fn.returns else "") + "".join(map(ast.dump, fn.decorator_list))
        for fn in module.helpers.values()
    )
