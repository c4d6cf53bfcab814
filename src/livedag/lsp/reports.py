"""Diagnostic reports for pull diagnostics (``textDocument/diagnostic``): the latest diagnostics of each
document with a result id that changes only when they do, so an unchanged document is answered
``unchanged`` (LSP 3.17)."""

from __future__ import annotations

import itertools

from lsprotocol import types

__all__ = ["DiagnosticReports"]


class DiagnosticReports:
    """URI -> (result id, diagnostics), for every document diagnostics were computed for."""

    def __init__(self) -> None:
        self._latest: dict[str, tuple[str, list[types.Diagnostic]]] = {}
        self._ids = itertools.count(1)

    def update(self, uri: str, diagnostics: list[types.Diagnostic]) -> bool:
        """Record the document's diagnostics; whether they differ from the last ones."""
        known = self._latest.get(uri)
        if known is not None and known[1] == diagnostics:
            return False
        self._latest[uri] = (str(next(self._ids)), list(diagnostics))
        return True

    def knows(self, uri: str) -> bool:
        return uri in self._latest

    def report(
        self, uri: str, previous: str | None
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        """The answer to a pull: ``unchanged`` when ``previous`` is the current result id."""
        result_id, diagnostics = self._latest.get(uri) or self._empty(uri)
        if previous is not None and previous == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)

    def _empty(self, uri: str) -> tuple[str, list[types.Diagnostic]]:
        self.update(uri, [])
        return self._latest[uri]
