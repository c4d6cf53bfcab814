"""The contributor seam (``livedag.lsp.extension``): contributions are merged, and a contributor that
raises is logged and skipped, never fatal."""

from __future__ import annotations

import pytest

from livedag.lsp.extension import Contributor
from livedag.lsp.server import LivedagServer, Settings


class Running(Contributor):
    def statuses(self, graph_id: str) -> dict[str, str]:
        return {"words": "running"}


class Broken(Contributor):
    def statuses(self, graph_id: str) -> dict[str, str]:
        raise RuntimeError("boom")

    def hover_extra(self, uri: str, node_name: str) -> str | None:
        raise RuntimeError("boom")


def test_contributions_are_merged_and_a_failing_contributor_is_skipped(caplog: pytest.LogCaptureFixture):
    server = LivedagServer()
    server.add_contributor(Broken())
    server.add_contributor(Running())
    assert server.statuses("g") == {"words": "running"}
    assert list(server.contributions(lambda c: c.hover_extra("u", "words"))) == [None]
    assert "contributor" in caplog.text


def test_defaults_add_nothing():
    plain = Contributor()
    assert plain.statuses("g") == {}
    assert plain.hover_extra("u", "n") is None
    assert plain.diagnostics_extra("u") == []


@pytest.mark.parametrize(
    ("options", "debounce", "max_nodes"),
    [
        (None, 10.0, 100),
        ({"debounceMs": 250, "maxNodes": 40}, 250.0, 40),
        ({"debounceMs": -1, "maxNodes": "x"}, 10.0, 100),
    ],
)
def test_settings_from_initialization_options(options, debounce: float, max_nodes: int):
    settings = Settings.from_options(options)
    assert (settings.debounce_ms, settings.max_nodes) == (debounce, max_nodes)
