"""``livedag kernel install``: a kernelspec that starts ipykernel with the extension loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from livedag.cli import main
from livedag.kernel.kernelspec import DISPLAY_NAME, kernel_json


def test_kernel_json_loads_the_extension():
    spec = kernel_json("/usr/bin/python3")
    assert spec["display_name"] == "Python 3 (livedag)" == DISPLAY_NAME
    assert spec["argv"][:3] == ["/usr/bin/python3", "-m", "ipykernel_launcher"]
    assert "--ext=livedag" in spec["argv"]
    assert spec["argv"][-2:] == ["-f", "{connection_file}"]


def test_cli_installs_into_a_prefix(tmp_path, capsys):
    assert main(["kernel", "install", "--prefix", str(tmp_path)]) == 0
    written = json.loads((tmp_path / "share/jupyter/kernels/livedag/kernel.json").read_text())
    assert written["argv"][0] == sys.executable
    assert DISPLAY_NAME in capsys.readouterr().out


def test_importing_livedag_and_its_kernel_package_stays_light():
    code = (
        "import sys, livedag, livedag.kernel, livedag.kernel.kernelspec\n"
        "print(sorted(m for m in ('IPython', 'ipywidgets', 'ipykernel', 'pandas', 'jupyter_client') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_installed_kernel_starts_with_the_extension(tmp_path, monkeypatch):
    from jupyter_client.manager import start_new_kernel

    assert main(["kernel", "install", "--prefix", str(tmp_path)]) == 0
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share/jupyter"))
    km, kc = start_new_kernel(kernel_name="livedag")
    try:
        reply = kc.execute_interactive("assert 'dag' in get_ipython().magics_manager.magics['cell']", timeout=60)
        assert reply["content"]["status"] == "ok"
        assert km.kernel_spec.display_name == DISPLAY_NAME
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
