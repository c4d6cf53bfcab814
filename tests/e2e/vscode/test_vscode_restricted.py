"""Restricted Mode in a real VS Code: an untrusted folder gets diagnostics, hover and the preview (the server
never runs user code), but no Run lenses and no run commands; trusting it brings them back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_server import CodeServer, Workbench, copy_example, vscode_page

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def vscode(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    folder: Path = copy_example(tmp_path_factory.mktemp("untrusted"))
    # this window also traces the LSP traffic: `livedag.trace.server` alone must turn the trace on
    server = CodeServer(
        tmp_path_factory.mktemp("code-server-trust"), trust=True, settings={"livedag.trace.server": "verbose"}
    )
    server.start(folder)
    try:
        with vscode_page(server, folder, "restricted") as workbench:
            dialog = workbench.page.locator(".monaco-dialog-box")
            dialog.wait_for(state="visible")
            workbench.screenshot("01-trust-prompt")
            dialog.get_by_role("button", name="No, I don't trust the authors").click()
            workbench.wait(
                "Restricted Mode",
                lambda: (
                    workbench.page.locator("#status\\.workspaceTrust").count()
                    or "Restricted" in workbench.page.locator(".statusbar").inner_text()
                ),
            )
            yield workbench
    finally:
        server.stop()


def test_untrusted_analysis_works_and_nothing_can_run(vscode: Workbench):
    vscode.open_file("features.py")
    vscode.wait("the dependency lenses", lambda: any("dependenc" in lens for lens in vscode.lenses()))
    assert not [lens for lens in vscode.lenses() if "▶ Run" in lens]
    line = vscode.page.locator(".view-line", has_text="def top_terms(")
    line.locator("span", has_text=re.compile(r"^vocabulary$")).first.hover()
    assert "dict[str, int]" in vscode.wait(
        "the hover of vocabulary", lambda: "vocabulary" in (t := vscode.hover_text()) and t
    )
    vscode.page.keyboard.press("Escape")
    trace = vscode.wait(
        "the hover in the LSP trace",
        lambda: "textDocument/hover" in (t := vscode.server.trace()) and t,
    )
    assert "Params:" in trace  # verbose: the contents too
    vscode.command("livedag: Show Graph Preview")
    vscode.wait("the drawn graph", lambda: vscode.preview().locator("g.node").count() >= 17)
    vscode.screenshot("02-restricted")

    vscode.page.keyboard.press("F1")
    box = vscode.page.locator(".quick-input-widget input")
    box.fill(">livedag:")
    vscode.page.locator(".quick-input-list .monaco-list-row", has_text="Show Graph Preview").first.wait_for()
    commands = " ".join(vscode.page.locator(".quick-input-list .monaco-list-row").all_inner_texts())
    assert "Run Node at Cursor" not in commands
    assert "Cancel Run" not in commands
    vscode.page.keyboard.press("Escape")


def test_trusting_the_folder_brings_the_run_lenses(vscode: Workbench):
    vscode.command("Workspaces: Manage Workspace Trust")
    vscode.page.locator(".monaco-modal-editor-block").get_by_role("button", name="Trust", exact=True).click()
    vscode.wait("the folder trusted", lambda: "Restricted Mode" not in vscode.page.locator(".statusbar").inner_text())
    vscode.page.keyboard.press("Escape")
    vscode.open_file("features.py")
    vscode.wait("the Run lenses after trust", lambda: [lens for lens in vscode.lenses() if "▶ Run" in lens])
    vscode.screenshot("03-trusted")
