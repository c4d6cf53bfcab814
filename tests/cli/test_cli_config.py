"""``--config JSON|@FILE`` on ``livedag check``, ``mermaid`` and ``run``: Hamilton's config chooses the
``@config.when`` variants; without it each family is one node (and each variant is checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livedag.cli import main

FAMILY = """
from hamilton.function_modifiers import config


@config.when(kind="pdf")
def raw_text__pdf(path: str) -> str:
    return "pdf:" + path


@config.when(kind="txt")
def raw_text__txt(path: str) -> int:
    return 3


def summary(raw_text: str) -> str:
    return raw_text.upper()
"""


@pytest.fixture
def family(tmp_path: Path) -> Path:
    path = tmp_path / "family.py"
    path.write_text(FAMILY, encoding="utf-8")
    return path


def test_check_with_no_config_checks_every_variant(family: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(family), "--format", "json"]) == 1  # the txt variant returns an int
    (problem,) = json.loads(capsys.readouterr().out)
    assert problem["code"] == "type-mismatch"
    assert problem["nodes"] == ["summary", "raw_text"]


def test_check_with_a_config_checks_the_chosen_variant(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(family), "--config", '{"kind": "pdf"}', "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    (tmp_path / "config.json").write_text('{"kind": "txt"}')
    assert main(["check", str(family), "--config", f"@{tmp_path / 'config.json'}", "--format", "json"]) == 1
    assert [p["code"] for p in json.loads(capsys.readouterr().out)] == ["type-mismatch"]


def test_mermaid_with_a_config(family: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mermaid", str(family), "--config", '{"kind": "pdf"}']) == 0
    text = capsys.readouterr().out
    assert "raw_text" in text
    assert "raw_text__pdf" not in text


def test_run_with_a_config_runs_the_chosen_variant(family: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            str(family),
            "--config",
            '{"kind": "pdf"}',
            "--inputs",
            '{"path": "a"}',
            "-o",
            "summary",
            "--format",
            "json",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["outputs"] == {"summary": "PDF:A"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[1]", "expected a JSON object"),
        ("{", "not valid JSON"),
        ("@/no/such/file.json", "cannot read"),
    ],
)
def test_a_bad_config_is_a_usage_error(
    family: Path, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("check", "mermaid", "run"):
        assert main([command, str(family), "--config", value]) == 2
        assert message in capsys.readouterr().err
