"""A real VS Code for the tests: code-server (VS Code's workbench and extension host) with the built .vsix
installed, driven by Playwright in Debian's chromium the way a user drives it: palette, keyboard, clicks.

Everything code-server writes goes under the test's own folder (user data, extensions, XDG dirs); it binds
127.0.0.1 only. ``CodeServer.logs()`` gathers the extension's output channel and the extension host log, so a
failing test can say what the extension saw. Screenshots go to ``tests/e2e/vscode/artifacts/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import FrameLocator, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
VSIX = ROOT / "vscode-extension" / "livedag.vsix"
INSTALLER = HERE / "install-code-server.sh"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 60_000
MOD = "Control"


def code_server_binary() -> tuple[Path, str]:
    """code-server and the Node it was built for, installed (once, cached outside the clone) by the script."""
    out = subprocess.run(["bash", str(INSTALLER)], check=True, capture_output=True, text=True, timeout=1800)
    binary = Path(out.stdout.strip().splitlines()[-1])
    node_bin = (binary.parents[2] / ".node-bin").read_text().strip()
    return binary, node_bin


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def user_settings(*, trust: bool) -> dict[str, Any]:
    return {
        "files.autoSave": "off",
        "security.workspace.trust.enabled": trust,
        "security.workspace.trust.startupPrompt": "always" if trust else "never",
        "workbench.startupEditor": "none",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.tips.enabled": False,
        "workbench.welcomePage.walkthroughs.openOnInstall": False,
        "chat.disableAIFeatures": True,
        "extensions.ignoreRecommendations": True,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "remote.autoForwardPorts": False,
        "editor.minimap.enabled": False,
        "window.commandCenter": False,
        "workbench.colorTheme": "Default Dark Modern",
        "livedag.pythonPath": sys.executable,
        "livedag.run.prewarm": False,
    }


@dataclass
class CodeServer:
    """One code-server process with its own profile; ``open(folder)`` gives a Playwright page on it."""

    home: Path
    trust: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    """User settings on top of ``user_settings``."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def user_data(self) -> Path:
        return self.home / "user-data"

    @property
    def extensions(self) -> Path:
        return self.home / "extensions"

    def env(self, node_bin: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("VSCODE_", "ELECTRON_"))}
        env.update(
            PATH=f"{node_bin}:{env.get('PATH', '')}",
            XDG_CONFIG_HOME=str(self.home / "xdg-config"),
            XDG_DATA_HOME=str(self.home / "xdg-data"),
            XDG_CACHE_HOME=str(self.home / "xdg-cache"),
            HOME=str(self.home / "home"),
        )
        return env

    def start(self, folder: Path) -> None:
        if not VSIX.exists():
            raise AssertionError(f"{VSIX} is missing: build it with `make vsix` (npm run package in vscode-extension)")
        binary, node_bin = code_server_binary()
        for sub in ("user-data/User", "extensions", "xdg-config", "xdg-data", "xdg-cache", "home"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (self.user_data / "User" / "settings.json").write_text(
            json.dumps({**user_settings(trust=self.trust), **self.settings}, indent=2)
        )
        config = self.home / "config.yaml"
        config.write_text(f"bind-addr: 127.0.0.1:{self.port}\nauth: none\ncert: false\n")
        common = [
            "--config",
            str(config),
            "--user-data-dir",
            str(self.user_data),
            "--extensions-dir",
            str(self.extensions),
        ]
        env = self.env(node_bin)
        subprocess.run(
            [str(binary), *common, "--install-extension", str(VSIX), "--force"],
            check=True,
            env=env,
            capture_output=True,
            timeout=300,
        )
        log = (self.home / "code-server.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(binary),
                *common,
                "--auth",
                "none",
                "--bind-addr",
                f"127.0.0.1:{self.port}",
                "--disable-telemetry",
                "--disable-update-check",
                "--disable-workspace-trust" if not self.trust else "--log=info",
                "--ignore-last-opened",
                str(folder),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"code-server exited: {(self.home / 'code-server.log').read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2).read()
                return
            time.sleep(0.2)
        raise AssertionError("code-server did not answer /healthz within 120 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()

    def url(self, folder: Path) -> str:
        return f"http://127.0.0.1:{self.port}/?folder={folder}"

    def trace(self) -> str:
        """What the *livedag (LSP trace)* output channel holds (VS Code writes output channels to the logs)."""
        files = sorted(self.user_data.glob("logs/**/*livedag (LSP trace)*"))
        return "".join(path.read_text(errors="replace") for path in files)

    def logs(self) -> str:
        """The livedag output channel and the extension host log, newest last (for failure messages)."""
        parts = []
        for pattern in ("**/livedag.livedag/*.log", "**/exthost*/*livedag*.log", "**/remoteexthost.log"):
            for path in sorted(self.user_data.glob(f"logs/{pattern}")):
                parts.append(f"--- {path.relative_to(self.user_data)}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts) or "(no logs found)"


@contextlib.contextmanager
def vscode_page(server: CodeServer, folder: Path, name: str) -> Iterator[Workbench]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=f"http://127.0.0.1:{server.port}")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server.url(folder))
        workbench = Workbench(page, server, name)
        try:
            page.wait_for_selector(".monaco-workbench", timeout=120_000)
            yield workbench
        except BaseException:
            workbench.screenshot("failure")
            raise
        finally:
            context.close()
            browser.close()


@dataclass
class Workbench:
    """What a user does in VS Code, as Playwright steps; every wait names what it waits for."""

    page: Page
    server: CodeServer
    name: str
    shots: list[Path] = field(default_factory=list)

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(path)
        return path

    def wait(self, what: str, found: Callable[[], Any], timeout_s: float = 60) -> Any:
        """Polls ``found()`` (a page query) until it is truthy; fails naming ``what`` with the extension's logs."""
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(Exception):
                result = found()
                if result:
                    return result
            if time.monotonic() > deadline:
                self.screenshot("timeout-" + re.sub(r"\W+", "-", what)[:40])
                raise AssertionError(f"timed out waiting for {what}\n{self.server.logs()}")
            self.page.wait_for_timeout(250)

    # -- the palette and the keyboard -----------------------------------------------------------------
    def command(self, title: str) -> None:
        """Runs a command from the palette (F1), picking the entry whose label is exactly ``title``."""
        self.page.keyboard.press("F1")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible")
        box.fill(">" + title)
        row = self.page.locator(".quick-input-list .monaco-list-row", has_text=title).first
        row.wait_for(state="visible")
        self.page.keyboard.press("Enter")

    def open_file(self, relative: str) -> None:
        self.page.keyboard.press(f"{MOD}+p")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible")
        box.fill(relative)
        self.page.locator(".quick-input-list .monaco-list-row.focused", has_text=Path(relative).name).first.wait_for()
        self.page.keyboard.press("Enter")
        self.wait(
            f"the editor tab of {relative}",
            lambda: self.page.locator(".tab.active", has_text=Path(relative).name).count(),
        )
        self.editor().click()
        self.page.keyboard.press(f"{MOD}+Home")  # the file from its top, whatever was scrolled before

    def editor(self) -> Locator:
        return self.page.locator(".editor-group-container.active .monaco-editor .view-lines").first

    def go_to(self, line: int, column: int = 1) -> None:
        self.page.keyboard.press(f"{MOD}+g")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible")
        box.fill(f":{line}:{column}")  # the go-to-line quick access keeps its ":" prefix
        self.page.keyboard.press("Enter")

    def cursor(self) -> tuple[int, int]:
        text = self.page.locator("#status\\.editor\\.selection").inner_text()
        match = re.search(r"Ln (\d+), Col (\d+)", text)
        assert match, text
        return int(match.group(1)), int(match.group(2))

    def line_with(self, text: str) -> str:
        """The rendered text (inlay hints included) of the visible editor line that contains ``text``."""
        line = self.page.locator(".editor-group-container.active .view-lines .view-line", has_text=text).first
        return str(line.inner_text()).replace("\u00a0", " ")

    def visible_text(self) -> str:
        return str(self.editor().inner_text()).replace("\u00a0", " ")

    def lenses(self) -> list[str]:
        return [
            str(text).replace("\u00a0", " ")
            for text in self.page.locator(".editor-group-container.active .codelens-decoration").all_inner_texts()
        ]

    def lens_on_line(self, line: int, lens_text: str) -> None:
        """Runs the code lens ``lens_text`` of editor line ``line`` from the keyboard (the cursor on the line,
        then *Show CodeLens Commands for Current Line*): exactly that line's lens, wherever the view is scrolled."""
        self.go_to(line)
        self.command("Show CodeLens Commands for Current Line")
        choice = self.page.locator(".quick-input-list .monaco-list-row", has_text=lens_text)
        choice.first.wait_for(state="visible")
        rows = self.page.locator(".quick-input-list .monaco-list-row").all_inner_texts()
        exact = [index for index, row in enumerate(rows) if row.strip().replace("\u00a0", " ") == lens_text]
        assert exact, f"no lens {lens_text!r} on line {line}: {rows}"
        self.page.locator(".quick-input-list .monaco-list-row").nth(exact[0]).click()

    def quick_fix(self, title: str, screenshot: str | None = None) -> None:
        """Opens the quick-fix menu at the cursor (Ctrl+.) and picks ``title``. The menu is asked again when the
        answer came from before the server's last resolution (an edit a moment ago)."""
        row = self.page.locator(".action-widget .monaco-list-row", has_text=title).first
        for _ in range(4):
            self.page.keyboard.press(f"{MOD}+.")
            with contextlib.suppress(Exception):
                row.wait_for(state="visible", timeout=8_000)
                if screenshot:
                    self.screenshot(screenshot)
                row.click()
                return
            self.page.keyboard.press("Escape")
        self.screenshot("no-quick-fix")
        raise AssertionError(f"no quick fix {title!r} offered\n{self.server.logs()}")

    def problems(self) -> str:
        """The Problems panel's text (opens it)."""
        panel = self.page.locator(".markers-panel")
        if not panel.is_visible():
            self.command("View: Focus Problems (Errors, Warnings, Infos)")
            panel.wait_for(state="visible")
        return str(panel.inner_text())

    def notifications(self) -> str:
        return " | ".join(self.page.locator(".notification-toast").all_inner_texts())

    def hover_text(self) -> str:
        hover = self.page.locator(".monaco-hover:not(.hidden) .monaco-hover-content").first
        hover.wait_for(state="visible")
        return str(hover.inner_text())

    # -- the graph preview webview --------------------------------------------------------------------
    def preview(self) -> FrameLocator:
        return self.page.frame_locator("iframe.webview.ready").frame_locator("iframe#active-frame")

    def pan_to(self, node: Locator) -> None:
        """Drags the preview's canvas, as a user pans, until ``node`` is in the middle of the pane."""
        canvas = self.preview().locator("#canvas").bounding_box()
        box = node.bounding_box()
        assert canvas is not None
        assert box is not None
        start = (canvas["x"] + 20, canvas["y"] + canvas["height"] - 20)
        dx = canvas["x"] + canvas["width"] / 2 - (box["x"] + box["width"] / 2)
        dy = canvas["y"] + canvas["height"] / 2 - (box["y"] + box["height"] / 2)
        self.page.mouse.move(*start)
        self.page.mouse.down()
        self.page.mouse.move(start[0] + dx, start[1] + dy, steps=8)
        self.page.mouse.up()


def copy_example(target: Path) -> Path:
    """A fresh copy of the example, without what earlier runs left in the checkout (their run history)."""
    folder = target / "text_pipeline"
    shutil.copytree(
        ROOT / "examples" / "text_pipeline", folder, ignore=shutil.ignore_patterns(".livedag", "__pycache__")
    )
    return folder
