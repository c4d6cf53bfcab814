"""The one place where core positions become LSP positions and paths become URIs.

Core spans: ``line`` 1-based, ``column`` 0-based characters (code points). LSP: both 0-based. Columns
are passed through as code points: exact with the ``utf-32`` position encoding (negotiated when the
client lists it first) and, with ``utf-16``, for every character of the Basic Multilingual Plane, i.e.
everything but a few emoji and rare scripts before the position on the same line.
"""

from __future__ import annotations

import re

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from livedag.graph import Span

__all__ = ["path_to_uri", "position_to_core", "span_to_location", "span_to_range", "uri_to_path"]


def span_to_range(span: Span) -> types.Range:
    return types.Range(
        start=types.Position(line=max(span.line - 1, 0), character=max(span.column, 0)),
        end=types.Position(line=max(span.end_line - 1, 0), character=max(span.end_column, 0)),
    )


def span_to_location(span: Span) -> types.Location:
    return types.Location(uri=path_to_uri(span.path), range=span_to_range(span))


def position_to_core(position: types.Position) -> tuple[int, int]:
    """An LSP position as the core's (1-based line, 0-based column)."""
    return position.line + 1, position.character


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
