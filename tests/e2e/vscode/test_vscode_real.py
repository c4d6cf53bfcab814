"""The extension in a real VS Code (code-server), used through the UI as a user would.

One code-server with the built ``livedag.vsix`` installed opens a copy of ``examples/text_pipeline``; the tests
run in order against that window (each leaves the files as it found them). Screenshots are saved under
``tests/e2e/vscode/artifacts/`` at each step; a failure also saves one and quotes the extension's logs.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_server import CodeServer, Workbench, copy_example, vscode_page
from playwright.sync_api import Frame

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

SLOW_LATENCY = 3.0  # seconds per stub LLM answer: a graph run that is still going when it is cancelled


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("ws"))
    inputs = json.loads((folder / "inputs.json").read_text())
    inputs["llm_latency_seconds"] = SLOW_LATENCY
    (folder / "inputs.json").write_text(json.dumps(inputs, indent=2))
    return folder


@pytest.fixture(scope="module")
def vscode(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Iterator[Workbench]:
    server = CodeServer(tmp_path_factory.mktemp("code-server"))
    server.start(folder)
    try:
        with vscode_page(server, folder, "main") as workbench:
            workbench.open_file("features.py")
            workbench.wait("the livedag code lenses", lambda: any("dependenc" in lens for lens in workbench.lenses()))
            yield workbench
    finally:
        server.stop()


def server_processes() -> list[str]:
    """``pid args`` of the language servers this test's interpreter runs (other checkouts' tests may run theirs)."""
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines() if f"{sys.executable} -P -m livedag.lsp" in line]


def lens_with(workbench: Workbench, text: str) -> str:
    return next((lens for lens in workbench.lenses() if text in lens), "")


def test_the_server_starts_with_the_flags_the_language_client_passes(vscode: Workbench):
    (process,) = vscode.wait("one livedag server process", lambda: len(server_processes()) == 1 and server_processes())
    assert process.endswith(" -P -m livedag.lsp --stdio")  # the flag languageclient 11 appends for stdio
    assert "crashed" not in vscode.notifications()


def test_diagnostics_and_code_lenses(vscode: Workbench):
    vscode.open_file("features.py")
    lenses = vscode.wait("lenses with run buttons", lambda: [lens for lens in vscode.lenses() if "▶ Run" in lens])
    assert any(re.search(r"\d dependenc(y|ies) · \d dependents?", lens) for lens in lenses)
    assert "▶ Run graph" in vscode.lenses()[0]
    problems = vscode.problems()
    assert "No problems have been detected" in problems
    vscode.screenshot("01-lenses")


def test_hover_on_a_parameter_names_its_producer(vscode: Workbench):
    vscode.open_file("features.py")
    token = vscode.page.locator(".view-line", has_text="def top_terms(").locator(
        "span", has_text=re.compile(r"^vocabulary$")
    )
    token.first.hover()
    text = vscode.wait("the hover of `vocabulary`", vscode.hover_text)
    assert "vocabulary" in text
    assert "dict[str, int]" in text
    vscode.screenshot("02-hover")
    vscode.page.keyboard.press("Escape")


def test_preview_from_the_palette_and_a_click_on_a_node_jumps_to_it(vscode: Workbench):
    vscode.open_file("report.py")
    vscode.command("livedag: Show Graph Preview")
    preview = vscode.preview()
    nodes = vscode.wait("the drawn graph", lambda: preview.locator("g.node").count() >= 17)
    assert nodes
    # labels readable at the default zoom (mermaid draws them at 16 px), drawing in view
    scale = float(preview.locator("#viewport").get_attribute("data-scale") or "0")
    assert 16 * scale >= 11, scale
    canvas = preview.locator("#canvas").bounding_box()
    drawing = preview.locator("#graph svg").bounding_box()
    assert canvas is not None
    assert drawing is not None
    for start, size in (("x", "width"), ("y", "height")):  # centred on both axes (it is panned, not shrunk)
        before = drawing[start] - canvas[start]
        after = canvas[start] + canvas[size] - drawing[start] - drawing[size]
        assert abs(before - after) < 24, (start, before, after)
    vscode.screenshot("03-preview")
    node = preview.locator("g.node[data-livedag-node='top_terms']")
    vscode.pan_to(node)  # readable labels mean a larger drawing than the pane: the user pans to the node
    node.click()
    vscode.wait(
        "features.py active after the click", lambda: vscode.page.locator(".tab.active", has_text="features.py").count()
    )
    line, _ = vscode.wait("the cursor on top_terms", lambda: vscode.cursor()[0] == 20 and vscode.cursor())
    assert line == 20
    vscode.screenshot("04-preview-click")


def test_a_typo_shows_in_problems_and_preview_and_its_quick_fix_clears_both(vscode: Workbench):
    vscode.open_file("report.py")
    vscode.go_to(10, 14)  # after `top_terms` in `    top_terms: list[...]`
    vscode.page.keyboard.press("Backspace")  # `top_term`
    problems = vscode.wait(
        "the possible-typo in Problems", lambda: "possible-typo" in vscode.problems() and vscode.problems()
    )
    assert "did you mean 'top_terms'?" in problems
    assert "`" not in problems  # plain text, not Markdown
    assert "/tmp" not in problems
    assert str(Path.home()) not in problems
    preview = vscode.preview()
    vscode.wait(
        "the warning in the preview's toolbar", lambda: preview.locator("#problems").inner_text() == "1 warning"
    )
    vscode.wait(
        "report outlined as a warning", lambda: preview.locator("g.node.warning[data-livedag-node='report']").count()
    )
    vscode.screenshot("05-typo")

    vscode.go_to(10, 10)
    vscode.quick_fix("Change to 'top_terms'", screenshot="06-quick-fix")
    vscode.wait("the Problems panel clear", lambda: "No problems have been detected" in vscode.problems())
    vscode.wait("the preview's count clear", lambda: not preview.locator("#problems").is_visible())
    assert preview.locator("g.node.warning").count() == 0
    assert "top_terms: list[tuple[str, int]]," in vscode.line_with("top_terms: list")
    vscode.screenshot("07-fixed")
    vscode.page.keyboard.press("Control+s")


def test_quick_fixes_add_an_annotation_and_create_a_node(vscode: Workbench):
    vscode.open_file("features.py")
    vscode.go_to(16, 28)  # `def document_lengths(tokens: dict[...]`: select `: dict[str, list[str]]`
    for _ in range(len(": dict[str, list[str]]")):
        vscode.page.keyboard.press("Shift+ArrowRight")
    vscode.page.keyboard.press("Delete")
    vscode.wait("missing-annotation", lambda: "missing-annotation" in vscode.problems())
    vscode.go_to(16, 24)
    vscode.quick_fix("Add annotation 'tokens: dict[str, list[str]]'")
    vscode.wait(
        "the annotation back",
        lambda: "def document_lengths(tokens: dict[str, list[str]])" in vscode.line_with("def document_lengths("),
    )
    vscode.wait("no problems", lambda: "No problems have been detected" in vscode.problems())

    vscode.go_to(20, 43)  # before `top_k: int = 10`: add a parameter no node produces
    vscode.page.keyboard.type("weight: float, ")
    vscode.wait("the new external input in the graph", lambda: lens_with(vscode, "3 dependencies · 1 dependent"))
    vscode.go_to(20, 45)
    vscode.quick_fix("Create node 'weight'", screenshot="08-create-node")
    vscode.wait("the stub's lens", lambda: any("0 dependencies · 1 dependent" in lens for lens in vscode.lenses()))
    assert "def weight() -> float:" in vscode.visible_text()
    vscode.screenshot("09-created")
    # back to the example as it was
    vscode.command("File: Revert File")
    vscode.wait("the file reverted", lambda: "weight" not in vscode.visible_text())


def test_run_a_node_from_its_lens_and_read_the_result_inline(vscode: Workbench):
    vscode.open_file("features.py")
    vscode.lens_on_line(8, "▶ Run")  # the ▶ Run lens of `def vocabulary(`
    lens = vscode.wait("the result lens of vocabulary", lambda: lens_with(vscode, "✓ "))
    assert re.search(r"✓ \d+(\.\d+)? (ms|s) = \{'", lens), lens
    vscode.wait("the run over", lambda: lens_with(vscode, "▶ Run graph"))
    with_results = [found for found in vscode.lenses() if "✓" in found]
    assert len(with_results) == 1, with_results  # vocabulary only: its dependents did not run
    line = vscode.wait("the inline result", lambda: "✓" in (found := vscode.line_with("def vocabulary(")) and found)
    hint = line.split("->", 1)[1]
    assert re.search(r"✓ \d", hint), line
    assert len(hint.split("✓", 1)[1]) <= 43, line  # VS Code's editor.inlayHints.maximumLength
    vscode.screenshot("10-run-node")


def test_run_the_graph_and_cancel_it_from_the_palette(vscode: Workbench):
    vscode.open_file("summaries.py")
    vscode.page.locator(".codelens-decoration a", has_text="▶ Run graph").first.click()
    vscode.wait("the run going (its Cancel lens)", lambda: lens_with(vscode, "■ Cancel run"))
    vscode.screenshot("11-running")
    vscode.command("livedag: Cancel Run")
    vscode.wait("the run stopped", lambda: lens_with(vscode, "▶ Run graph") and not lens_with(vscode, "■ Cancel run"))
    notices = vscode.notifications()
    assert "Invalid Params" not in notices
    assert "cancel" in notices.lower(), notices
    vscode.screenshot("12-cancelled")


def test_restart_the_server(vscode: Workbench):
    (before,) = server_processes()
    vscode.command("livedag: Restart Language Server")
    # the old server exits (shutdown, exit) and exactly one new one runs
    after = vscode.wait("one new server process", lambda: len(found := server_processes()) == 1 and found != [before])
    assert after
    vscode.open_file("features.py")
    vscode.wait("lenses from the new server", lambda: any("dependenc" in lens for lens in vscode.lenses()))
    assert "restarting the language server" in vscode.server.logs()


def readme_frame(vscode: Workbench) -> Frame | None:
    """The webview frame that renders the extension page's README (webviews live outside the editor's DOM)."""
    for frame in vscode.page.frames:
        with contextlib.suppress(Exception):
            if frame.locator("h1", has_text="livedag for VS Code").count():
                return frame
    return None


def test_the_extension_page_has_its_icon_no_broken_image_and_no_notes_for_developers(vscode: Workbench):
    vscode.command("Extensions: Show Installed Extensions")
    vscode.page.locator(".extensions-viewlet .monaco-list-row", has_text="livedag").first.click()
    editor = vscode.page.locator(".extension-editor")
    editor.wait_for()
    icon = editor.locator(".header img.icon").first
    vscode.wait("the icon loaded", lambda: icon.evaluate("i => i.complete && i.naturalWidth > 0"))
    readme = vscode.wait("the README rendered", lambda: readme_frame(vscode))
    broken = readme.locator("img").evaluate_all("all => all.filter(i => !(i.complete && i.naturalWidth > 0)).length")
    assert broken == 0
    links = readme.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in links if href.startswith("..") or "github.com/livedag" in href], links
    body = readme.locator("body").inner_text()
    assert "Restricted Mode" in body
    assert "npm ci" not in body  # notes for developers live in DEVELOPING.md, not on the page
    vscode.screenshot("13-extension-page")
