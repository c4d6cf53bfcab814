"""The editor process never runs user code: building the server (with whatever extension is
installed) imports neither ``livedag.execution`` nor the files it analyses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_server_imports_no_execution_and_no_user_code():
    script = f"""
import json, sys
sys.path.insert(0, {str(FIXTURES)!r})
from livedag.lsp.server import create_server
from livedag.lsp.state import GraphState
create_server()
text = open({str(FIXTURES / "pipeline.py")!r}).read()
GraphState("p", False).update({{{str(FIXTURES / "pipeline.py")!r}: text}})
print(json.dumps(sorted(name for name in sys.modules if name.startswith("livedag.execution") or name == "pipeline")))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_starting_the_server_leaves_the_run_history_for_later():
    """The run history (SQLite) and the timeline page are read when a graph first asks, not at ``initialize``."""
    script = """
import json, sys
from livedag.lsp.server import create_server
create_server()
later = ("sqlite3", "livedag.history", "livedag.render.timeline", "livedag.lsp.run.saved", "livedag.worker.runner")
print(json.dumps([name for name in later if name in sys.modules]))
"""
    out = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
