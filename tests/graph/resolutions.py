"""The two resolutions the incremental tests compare: a full static parse, and the incremental resolver's
(per file, families merged as ``Graph.from_sources`` merges them)."""

from __future__ import annotations

from livedag.graph import NodeSpec, Problem
from livedag.graph.incremental import IncrementalResolver
from livedag.graph.modifiers.configuration import merge_families
from livedag.graph.static import parse_module, specs_from_parsed


def full(sources: dict[str, str]) -> tuple[list[NodeSpec], dict[str, Problem]]:
    parsed = [parse_module(path, text) for path, text in sources.items()]
    errors = {m.path: m.syntax_error for m in parsed if m.syntax_error is not None}
    return specs_from_parsed(parsed), errors


def incremental(resolver: IncrementalResolver, sources: dict[str, str]) -> tuple[list[NodeSpec], dict[str, Problem]]:
    resolution = resolver.resolve(sources)
    specs = [spec for path in sources for spec in resolution.specs.get(path, [])]
    return merge_families(specs), resolution.syntax_errors
