"""Terminal IPython (no kernel, no widgets): the same cells run, and print the final table once."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = '''
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_cell("%load_ext livedag")
result = shell.run_cell("""%%dag --run
import asyncio
async def a() -> int:
    await asyncio.sleep(0.3)
    return 1
async def b() -> int:
    await asyncio.sleep(0.3)
    return 2
def c(a: int, b: int) -> int:
    return a + b
""")
print("DURATION", result.result.duration < 0.55, result.result.values["c"])
shell.run_cell("%autoawait off")
result = shell.run_cell("%dag run c --force")
print("BLOCKING", result.result.values["c"], result.error_in_exec)
'''


def test_terminal_ipython_runs_cells_and_prints_only_the_final_table():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "DURATION True 3" in out
    assert "BLOCKING 3 None" in out
    assert out.count("livedag run ok") == 2  # one final table per run, no live redraws
    assert "running" not in out


UNLOAD = """
from IPython.core.interactiveshell import InteractiveShell
import livedag.kernel.magics as magics
shell = InteractiveShell.instance()
shell.run_cell("%load_ext livedag")
print("LOADED", magics.transform_cell in shell.input_transformers_cleanup)
shell.run_cell("%unload_ext livedag")
print("UNLOADED", magics.transform_cell in shell.input_transformers_cleanup)
shell.run_cell("%load_ext livedag")
print("RELOADED", shell.input_transformers_cleanup.count(magics.transform_cell))
"""


def test_unload_ext_stops_rewriting_cells_and_load_ext_brings_it_back_once():
    out = subprocess.run([sys.executable, "-c", UNLOAD], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "LOADED True" in out
    assert "UNLOADED False" in out
    assert "RELOADED 1" in out
