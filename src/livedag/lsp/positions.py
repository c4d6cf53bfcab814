"""The one place where core positions become LSP positions (and back) and paths become URIs.

Core spans: ``line`` 1-based, ``column`` 0-based *code points* into the line. LSP positions: ``line``
0-based, ``character`` 0-based in the *code units* of the position encoding agreed at ``initialize``
(``general.positionEncodings``, the client's first choice among utf-8, utf-16 and utf-32; utf-16 when
the client lists none, or when ``initializationOptions.positionEncoding`` is ``"utf-16"``, for clients
that say they speak utf-8 but really count like VS Code does). Lines follow ``livedag.graph.lines``:
they end at ``\\n``, ``\\r\\n`` or ``\\r`` only.

The server installs one :class:`PositionCodec` (its encoding and a way to get a file's current text) with
:func:`install`; ``span_to_range``, ``span_to_location`` and ``position_to_core`` use it. Until then, and in
unit tests calling features directly, columns pass through unchanged. A column past the end of its line
(``1_000`` is used for "the whole line") keeps its excess as is.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from livedag.graph import Span
from livedag.graph.lines import split_lines

__all__ = [
    "ENCODINGS",
    "LineIndex",
    "PositionCodec",
    "choose_encoding",
    "core_to_position",
    "from_units",
    "install",
    "line_index",
    "path_to_uri",
    "position_to_core",
    "span_to_location",
    "span_to_range",
    "to_units",
    "uri_to_path",
]

ENCODINGS = ("utf-16", "utf-8", "utf-32")
"""What the server can speak; utf-16 first, the LSP default."""


def choose_encoding(offered: list[str] | None, force_utf16: bool = False) -> str:
    """The encoding to announce: the client's first one the server speaks, else utf-16."""
    if force_utf16 or not offered:
        return "utf-16"
    return next((str(encoding) for encoding in offered if encoding in ENCODINGS), "utf-16")


def _units(char: str, encoding: str) -> int:
    if encoding == "utf-16":
        return 2 if ord(char) > 0xFFFF else 1
    return len(char.encode("utf-8", "surrogatepass"))


def to_units(line: str, column: int, encoding: str) -> int:
    """Code-point ``column`` of ``line`` in the encoding's code units."""
    if encoding == "utf-32" or column <= 0 or line.isascii():
        return column
    head = line[:column]
    return sum(_units(char, encoding) for char in head) + max(column - len(line), 0)


def from_units(line: str, units: int, encoding: str) -> int:
    """The code-point column that ``units`` code units into ``line`` point at (inside a character: its start)."""
    if encoding == "utf-32" or units <= 0 or line.isascii():
        return units
    counted = 0
    for column, char in enumerate(line):
        counted += _units(char, encoding)
        if counted > units:
            return column
    return len(line) + (units - counted)


@dataclass(frozen=True, slots=True)
class LineIndex:
    """A text's lines (without their ends) and where each starts."""

    lines: list[str]
    starts: list[int]
    """Offset of each line's first character, then the text's length."""

    @classmethod
    def of(cls, text: str) -> LineIndex:
        with_ends = split_lines(text, keepends=True)
        starts = [0, *itertools.accumulate(map(len, with_ends))]
        if not with_ends or with_ends[-1][-1:] in ("\n", "\r"):
            with_ends.append("")  # the empty last line after a final line end is a line too
            starts.append(starts[-1])
        return cls([line.rstrip("\r\n") for line in with_ends], starts)

    def spliced(self, text: str, first: int, last: int, growth: int) -> LineIndex:
        """The index of ``text``: this index's text with lines ``first`` to ``last`` (0-based) replaced, which made
        it ``growth`` characters longer. Only those lines are indexed again; the others are shifted (a keystroke
        in a large file must not split every line of it)."""
        last = min(max(last, first), len(self.lines) - 1)
        first = min(max(first, 0), last)
        begin, end = self.starts[first], self.starts[last + 1] + growth
        middle = LineIndex.of(text[begin:end])
        lines, starts = middle.lines, middle.starts[:-1]
        if last + 1 < len(self.lines) and lines and lines[-1] == "" and starts[-1] == end - begin:
            lines, starts = lines[:-1], starts[:-1]  # the empty line after the stretch's last line end is the next line
        return LineIndex(
            [*self.lines[:first], *lines, *self.lines[last + 1 :]],
            [
                *self.starts[:first],
                *(begin + start for start in starts),
                *(start + growth for start in self.starts[last + 1 :]),
            ],
        )

    def line(self, number: int) -> str:
        """0-based line ``number``; ``""`` past the end."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def offset(self, line: int, column: int) -> int:
        """The text offset of a 0-based line and code-point column (clamped to the line and the text)."""
        if line >= len(self.lines):
            return self.starts[-1]
        line = max(line, 0)
        return self.starts[line] + min(max(column, 0), len(self.lines[line]))


_INDEXES: OrderedDict[int, tuple[str, LineIndex]] = OrderedDict()


def line_index(text: str, index: LineIndex | None = None) -> LineIndex:
    """The (cached) line index of ``text``: a few texts are kept, matched by identity first. ``index``: the
    index of ``text`` made otherwise (``LineIndex.spliced``), kept for it."""
    key = id(text)
    found = _INDEXES.get(key)
    if found is not None and found[0] is text:
        _INDEXES.move_to_end(key)
        return found[1]
    index = index or LineIndex.of(text)
    _INDEXES[key] = (text, index)
    while len(_INDEXES) > 16:
        _INDEXES.popitem(last=False)
    return index


@dataclass
class PositionCodec:
    """Converts between core and LSP positions for one client: its encoding and the texts it has."""

    encoding: str = "utf-32"
    text_of: Callable[[str], str | None] = lambda path: None
    """The current text of a path (an open document, else the file), ``None`` if unknown."""

    def _line(self, path: str, number: int) -> str | None:
        if self.encoding == "utf-32":
            return None
        text = self.text_of(path)
        return line_index(text).line(number) if text is not None else None

    def lsp_position(self, path: str, line: int, column: int) -> types.Position:
        """Core (1-based line, code-point column) of a file -> LSP position."""
        number, column = max(line - 1, 0), max(column, 0)
        text = self._line(path, number)
        return types.Position(line=number, character=to_units(text, column, self.encoding) if text else column)

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.lsp_position(span.path, span.line, span.column),
            end=self.lsp_position(span.path, span.end_line, span.end_column),
        )

    def to_core(self, path: str, position: types.Position) -> tuple[int, int]:
        """An LSP position in ``path`` as the core's (1-based line, code-point column)."""
        text = self._line(path, position.line)
        column = from_units(text, position.character, self.encoding) if text else position.character
        return position.line + 1, column


_CODEC = PositionCodec()


def install(codec: PositionCodec) -> None:
    """Make ``codec`` the one the module functions use (the server does it at ``initialize``)."""
    global _CODEC
    _CODEC = codec


def span_to_range(span: Span) -> types.Range:
    return _CODEC.range(span)


def span_to_location(span: Span) -> types.Location:
    return types.Location(uri=path_to_uri(span.path), range=span_to_range(span))


def core_to_position(path: str, line: int, column: int) -> types.Position:
    """A core (1-based line, code-point column) in the file ``path`` as an LSP position."""
    return _CODEC.lsp_position(path, line, column)


def position_to_core(position: types.Position, path: str = "") -> tuple[int, int]:
    """An LSP position (in the document ``path``) as the core's (1-based line, code-point column)."""
    return _CODEC.to_core(path, position)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def uri_to_path(uri: str) -> str:
    """The key a document is known by: its filesystem path for ``file:`` URIs, the URI itself for any
    other scheme (``untitled:`` buffers are graphs of their own, never read from disk)."""
    if uri.startswith("file:"):
        return to_fs_path(uri) or uri
    return uri


def path_to_uri(path: str) -> str:
    if _SCHEME.match(path):
        return path
    return from_fs_path(path) or f"file://{path}"
