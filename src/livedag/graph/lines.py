"""The one line model of livedag: lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as for Python's tokenizer and the LSP.

``str.splitlines`` also splits at form feed (``^L``), ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029,
which Python source and editors treat as ordinary characters: a file with one ``^L`` line would then have
its line numbers shifted for everything below it. Everything that counts lines (the parser's spans, the
language server's positions and its copy of the editor's text) goes through :func:`split_lines`.
"""

from __future__ import annotations

import re

__all__ = ["split_lines"]

_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """``text`` cut into lines (with their line ends when ``keepends``); a final line end opens no new line."""
    if _OTHER_BREAKS.search(text) is None:
        return text.splitlines(keepends)  # the same cut, at C speed
    lines = _LINE.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]
