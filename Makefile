# Two entry points for a fresh machine (Python 3.11, Node 20, apt): `make demo` and `make test`.
# Every target installs what it needs; nothing has to be set up by hand first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup system-deps npm-deps demo test test-fast lint typecheck pytest vscode-test vsix code-server clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages the tests drive for real: chromium (mermaid, JupyterLab, webview, code-server), neovim (LSP
# client), libkrb5-dev (headers code-server's native kerberos module builds against).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nvim >/dev/null 2>&1 || missing="$$missing neovim"; \
	dpkg -s libkrb5-dev >/dev/null 2>&1 || missing="$$missing libkrb5-dev"; \
	if [ -n "$$missing" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

demo: setup
	$(VENV)/bin/livedag check examples/text_pipeline
	$(VENV)/bin/livedag mermaid examples/text_pipeline
	$(VENV)/bin/livedag run examples/text_pipeline --inputs @examples/text_pipeline/inputs.json

lint: setup
	$(VENV)/bin/ruff check $(wildcard src tests benchmarks examples)
	$(VENV)/bin/ruff format --check $(wildcard src tests benchmarks examples)
	$(VENV)/bin/mypy

# npm packages the tests load for real (the mermaid library drawn in headless Chromium), from package-lock.json.
MERMAID_RUNTIME := tests/render/mermaid-runtime

npm-deps: $(MERMAID_RUNTIME)/node_modules/.package-lock.json

$(MERMAID_RUNTIME)/node_modules/.package-lock.json: $(MERMAID_RUNTIME)/package-lock.json
	cd $(MERMAID_RUNTIME) && npm ci --no-audit --no-fund --loglevel=error

pytest: setup system-deps npm-deps vsix code-server
	$(VENV)/bin/pytest

# The VSCode extension: typecheck, unit tests, the webview in headless Chromium, the real server from Node.
vscode-extension/node_modules/.package-lock.json: vscode-extension/package-lock.json
	cd vscode-extension && npm ci --no-audit --no-fund --loglevel=error

vscode-test: setup system-deps vscode-extension/node_modules/.package-lock.json
	cd vscode-extension && npm test

# The .vsix the real-VS-Code suite (tests/e2e/vscode) installs into code-server, rebuilt when a source changes.
VSIX := vscode-extension/livedag.vsix
VSIX_SOURCES := $(shell find vscode-extension/src vscode-extension/media -type f) \
	vscode-extension/package.json vscode-extension/README.md vscode-extension/build.mjs vscode-extension/.vscodeignore

$(VSIX): vscode-extension/node_modules/.package-lock.json $(VSIX_SOURCES) vscode-extension/readme.mjs
	cd vscode-extension && npm run package

vsix: $(VSIX)

# code-server (VS Code's workbench and extension host) for tests/e2e/vscode, cached under ~/.cache/livedag.
code-server: system-deps
	bash tests/e2e/vscode/install-code-server.sh

test: setup system-deps lint pytest vscode-test

# The inner loop: lint and the unit and seam tiers, without the real editors, kernels and browsers.
test-fast: setup lint
	$(VENV)/bin/pytest -q -m "not e2e and not browser and not slow" tests/graph tests/execution tests/render \
		tests/cli tests/history tests/lsp tests/worker tests/test_import_boundaries.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
