"""Diagnostics over stdio: codes, related information, debounce, syntax errors, multi-file graphs."""

from __future__ import annotations

from pathlib import Path

from lsp_helpers import diagnostics, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_problems_are_published_with_codes_and_related_information(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "pipeline.py")
    found = await diagnostics(client, uri, version=1)
    by_code = {d.code: d for d in found}
    assert set(by_code) == {"type-mismatch", "missing-annotation", "possible-typo"}
    assert all(d.source == "livedag" for d in found)
    mismatch = by_code["type-mismatch"]
    assert mismatch.severity == types.DiagnosticSeverity.Error
    assert mismatch.range.start.line == 19  # `word_count: str` in `report`, line 20
    assert mismatch.related_information
    assert mismatch.related_information[0].location.uri == uri
    assert by_code["possible-typo"].severity == types.DiagnosticSeverity.Warning
