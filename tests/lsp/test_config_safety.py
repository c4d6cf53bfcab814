"""Configuration that crashes the reader or reaches out of the project: a clear ``config`` diagnostic for
each, nothing outside the project without ``allow-outside-project = true``, never a virtual environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lsp_helpers import diagnostics, make_client, open_file, start, stop, wait_until

from livedag.lsp.config import ConfigError, parse_config
from livedag.lsp.workspace import expand_checked


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("flow/a.py", "flow/b.py", ".venv/lib/site-packages/pkg/mod.py", "env/bin/x.py", "shared/s.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("def a() -> int:\n    return 1\n")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")  # a virtual environment with another name
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "secret.py").write_text("x = 1\n")
    return root


@pytest.mark.parametrize(
    ("patterns", "names", "problem"),
    [
        (("**/*.py",), ["a.py", "b.py", "s.py"], None),  # not .venv/, not env/ (it has a pyvenv.cfg)
        (("flow",), ["a.py", "b.py"], None),
        (("../etc/*.py",), [], "outside the project"),
        (("../../../../../../etc",), [], "outside the project"),
        (("/etc/*.py",), [], "absolute path"),
        (("/etc",), [], "absolute path"),
    ],
)
def test_patterns_stay_in_the_project(project: Path, patterns: tuple[str, ...], names: list[str], problem: str | None):
    found, problems = expand_checked(str(project), patterns)
    assert sorted(Path(p).name for p in found) == names
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problem in problems[0]
        assert "allow-outside-project = true" in problems[0]


def test_leaving_the_project_is_an_explicit_opt_in(project: Path):
    found, problems = expand_checked(str(project), ("../etc/*.py",), outside=True)
    assert [Path(p).name for p in found] == ["secret.py"]
    assert problems == []
    config = parse_config(str(project / "livedag.toml"), 'allow-outside-project = true\n[graphs]\nx = ["../etc"]\n')
    assert not isinstance(config, ConfigError)
    assert config is not None
    assert config.outside


def test_a_toml_nested_2000_deep_is_a_config_error():
    text = "x = " + "[" * 2000 + "]" * 2000 + "\n"
    error = parse_config("/p/livedag.toml", text)
    assert isinstance(error, ConfigError)
    assert "nested too deeply" in error.message


async def test_bad_patterns_are_diagnostics_and_the_watchers_are_registered(project: Path):
    (project / "livedag.toml").write_text('[graphs]\nflow = ["flow/*.py", "/etc/*.py", "../etc"]\n')
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        await start(client, project)
        config = (project / "livedag.toml").as_uri()
        found = await diagnostics(client, config)
        assert [d.code for d in found] == ["config", "config"]
        assert "absolute path" in found[0].message
        assert "outside the project" in found[1].message
        await wait_until(client, lambda: client.registrations)  # type: ignore[attr-defined]
        uri = open_file(client, project / "flow" / "a.py")
        await diagnostics(client, uri)  # the graph still has its good files
        await client.shutdown_session()
    finally:
        await stop(client)
