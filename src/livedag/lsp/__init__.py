"""The livedag language server: the function graph re-resolved statically on every edit.

Thin pygls glue (``server``) over pure, unit-tested analysis (``workspace``, ``dataflow_files``, ``resolve``,
``state``, ``lookup``, ``features``). Nothing in this package imports ``livedag.execution`` or
user code: the editor process only ever parses source text.
"""

from __future__ import annotations

__all__: list[str] = []
