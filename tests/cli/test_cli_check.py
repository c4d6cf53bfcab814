"""``livedag check`` as a user runs it: a subprocess, text and JSON output, exit codes 0/1/2, directories,
and files that are not dataflows at all (answered quickly, never with a traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

TIMEOUT = 120  # a hang fails the test; the real figures are far smaller (see benchmarks/resolve.py)


def livedag(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "livedag", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


MISMATCH = "def a() -> str: ...\ndef b(a: int) -> int: ...\n"


def test_text_output_and_exit_1_on_errors(tmp_path: Path) -> None:
    write(tmp_path / "m.py", MISMATCH)
    result = livedag("check", "m.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "m.py:2:10: error type-mismatch: parameter `a: int` of node `b` (m.py:2) cannot take the `str` that node "
        "`a` (m.py:1) returns: change one of the two annotations so they agree\n"
    )
    assert result.stderr == "1 file(s), 2 node(s), 1 error(s), 0 other problem(s)\n"


def test_json_output(tmp_path: Path) -> None:
    typo = "def c(b: int, documnets: list[str]) -> int: ...\ndef documents() -> int: ...\n"
    write(tmp_path / "m.py", MISMATCH + typo)
    result = livedag("check", "--format", "json", "m.py", cwd=tmp_path)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["line"], p["column"], p["end_line"], p["end_column"], p["severity"], p["code"]) for p in problems] == [
        (2, 10, 2, 13, "error", "type-mismatch"),  # `int` of `a: int`: 1-based columns 10-12, end exclusive
        (3, 15, 3, 24, "warning", "possible-typo"),
    ]
    assert {tuple(p) for p in problems} == {
        ("path", "line", "column", "end_line", "end_column", "severity", "code", "message", "nodes")
    }
    assert problems[0]["path"] == "m.py"
    assert problems[0]["nodes"] == ["b", "a"]
    assert "did you mean `documents`?" in problems[1]["message"]
    assert result.stderr == ""


def test_exit_0_with_warnings_only(tmp_path: Path) -> None:
    write(tmp_path / "m.py", "def documents() -> int: ...\ndef c(documnets: int) -> int: ...\n")
    result = livedag("check", "m.py", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("m.py:2:7: warning possible-typo: ")


def test_the_example_is_clean() -> None:
    root = Path(__file__).resolve().parents[2]
    result = livedag("check", "examples/text_pipeline", cwd=root)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "6 file(s), 17 node(s), 0 error(s), 0 other problem(s)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "the following arguments are required: PATH"),
        (["check", "--format", "xml", "m.py"], "invalid choice: 'xml'"),
        (["check", "missing.py"], "livedag check: missing.py: no such file or directory"),
        (["check", "latin1.py"], "livedag check: latin1.py: not UTF-8 text"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_exit_2_on_usage_and_io_errors(tmp_path: Path, args: list[str], message: str) -> None:
    write(tmp_path / "m.py", MISMATCH)
    write(tmp_path / "latin1.py", "# caf\xe9\n".encode("latin-1"))
    result = livedag(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_directories_are_walked_and_form_one_graph(tmp_path: Path) -> None:
    write(tmp_path / "pkg/load.py", "def raw(path: str) -> str: ...\n")
    write(tmp_path / "pkg/sub/clean.py", "def cleaned(raw: str) -> str: ...\n")
    write(tmp_path / "pkg/sub/use.py", "def size(cleaned: int) -> int: ...\n")  # mismatch across files
    for skipped in (".hidden/x.py", "__pycache__/x.py", "node_modules/x.py", "venv/lib/x.py"):
        write(tmp_path / "pkg" / skipped, "def broken(:\n")
    write(tmp_path / "pkg/venv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path / "pkg/notes.txt", "def not_python(:\n")
    result = livedag("check", "--format", "json", "pkg", cwd=tmp_path)
    problems = json.loads(result.stdout)
    assert result.returncode == 1
    assert [(Path(p["path"]).as_posix(), p["code"]) for p in problems] == [("pkg/sub/use.py", "type-mismatch")]


def test_files_given_together_form_one_graph(tmp_path: Path) -> None:
    write(tmp_path / "one.py", "def total(values: list[int]) -> int: ...\n")
    write(tmp_path / "two.py", "def total(values: list[int]) -> int: ...\n")
    alone = livedag("check", "one.py", cwd=tmp_path)
    together = livedag("check", "one.py", "two.py", cwd=tmp_path)
    assert (alone.returncode, together.returncode) == (0, 1)
    assert together.stdout.startswith("two.py:1:5: error duplicate-node: node `total` is defined twice")


# Files that are not dataflows at all.


def test_an_ordinary_python_module(tmp_path: Path) -> None:
    """A stdlib module: every public function is a node, so unannotated ones are reported, nothing more."""
    shutil.copy(Path(sysconfig.get_paths()["stdlib"]) / "textwrap.py", tmp_path / "textwrap.py")
    result = livedag("check", "--format", "json", "textwrap.py", cwd=tmp_path)
    problems = json.loads(result.stdout)
    assert result.returncode == 1
    assert problems
    assert {p["code"] for p in problems} <= {"missing-annotation", "unsupported-parameter", "possible-typo"}
    text = livedag("check", "textwrap.py", cwd=tmp_path)
    assert len(text.stdout.splitlines()) == len(problems)
    assert all(line.startswith("textwrap.py:") for line in text.stdout.splitlines())


def test_a_module_with_only_classes_and_private_functions(tmp_path: Path) -> None:
    source = "import os\nclass Config:\n    def load(self): ...\ndef _helper(x):\n    return x\nX = 1\n"
    write(tmp_path / "m.py", source)
    result = livedag("check", "m.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "1 file(s), 0 node(s), 0 error(s), 0 other problem(s)\n"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("def broken(:\n    pass\n", 1, 12),
        ("def a() -> int:\n    return (\n", 2, 12),
        ("x = 1\n  y = 2\n", 2, 2),  # where CPython puts it
        ('y = "日本" $ 1\n', 1, 10),  # columns count characters
        (b"x = '\x00'\n", 1, 1),
    ],
)
def test_a_syntax_error(tmp_path: Path, text: str | bytes, line: int, column: int) -> None:
    write(tmp_path / "bad.py", text)
    write(tmp_path / "good.py", "def fine() -> int: ...\n")
    result = livedag("check", "--format", "json", "bad.py", "good.py", cwd=tmp_path)
    assert result.returncode == 1
    (problem,) = json.loads(result.stdout)
    assert (problem["path"], problem["code"], problem["severity"]) == ("bad.py", "syntax-error", "error")
    assert (problem["line"], problem["column"]) == (line, column)
    assert problem["end_line"] == line
    assert problem["end_column"] >= problem["column"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", '"""Only a docstring."""\n', "\ufeff"])
def test_an_empty_file(tmp_path: Path, text: str) -> None:
    write(tmp_path / "empty.py", text)
    result = livedag("check", "empty.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    json_result = livedag("check", "--format", "json", "empty.py", cwd=tmp_path)
    assert (json_result.returncode, json_result.stdout) == (0, "[]\n")


def test_a_byte_order_mark_is_not_a_syntax_error(tmp_path: Path) -> None:
    write(tmp_path / "bom.py", "\ufeffdef a() -> str: ...\ndef b(a: int) -> int: ...\n".encode())
    (problem,) = json.loads(livedag("check", "--format", "json", "bom.py", cwd=tmp_path).stdout)
    assert (problem["code"], problem["line"], problem["column"]) == ("type-mismatch", 2, 10)


def generated(size: int) -> str:
    lines = ["def n0(seed: int) -> int:\n    return seed\n"]
    for i in range(1, size):
        needs = sorted({i - 1, i // 2})
        lines.append(f"def n{i}({', '.join(f'n{j}: int' for j in needs)}) -> int:\n    return 0\n")
    return "\n".join(lines)


def test_a_generated_5000_node_file(tmp_path: Path) -> None:
    write(tmp_path / "big.py", generated(5000))
    result = livedag("check", "big.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "1 file(s), 5000 node(s), 0 error(s), 0 other problem(s)\n"
    write(tmp_path / "big.py", generated(5000).replace("def n4999(n2499: int, n4998: int)", "def n4999(n2499: str)"))
    problems = json.loads(livedag("check", "--format", "json", "big.py", cwd=tmp_path).stdout)
    assert [(p["code"], p["nodes"]) for p in problems] == [("type-mismatch", ["n4999", "n2499"])]


def test_a_pathological_string_annotation_is_opaque(tmp_path: Path) -> None:
    write(tmp_path / "m.py", 'def a(x: "' + "-" * 200_000 + '1") -> int: ...\n')
    result = livedag("check", "m.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "-" * 200_000 + "1\n",  # the parser runs out of stack: MemoryError inside ast.parse
        "x = 1" + " + 1" * 100_000 + "\n",  # RecursionError while building the tree
        "x = " + "(" * 300 + "1" + ")" * 300 + "\n",  # SyntaxError: too many nested parentheses
    ],
    ids=["deep-unary", "long-sum", "deep-parentheses"],
)
def test_pathologically_nested_code_is_a_syntax_error_not_a_crash(tmp_path: Path, text: str) -> None:
    write(tmp_path / "deep.py", text)
    write(tmp_path / "fine.py", "def fine() -> int: ...\n")
    result = livedag("check", "--format", "json", "deep.py", "fine.py", cwd=tmp_path)
    assert result.returncode == 1
    (problem,) = json.loads(result.stdout)
    assert (problem["path"], problem["code"], problem["line"]) == ("deep.py", "syntax-error", 1)


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "pkg/a.py", "def a() -> int: ...\n")
    result = livedag("check", "pkg", "pkg/a.py", str(tmp_path / "pkg/a.py"), "./pkg/a.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "1 file(s), 1 node(s), 0 error(s), 0 other problem(s)\n"


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["mermaid"]])
def test_a_reader_that_stops_early_is_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    """`livedag check big.py | head -1`: the pipe closes under us, we stop quietly."""
    write(tmp_path / "many.py", "".join(f"def f{i}(x{i}) -> int: ...\n" for i in range(3000)))
    with subprocess.Popen(
        [sys.executable, "-m", "livedag", *args, "many.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # the reader goes away after one line
        stderr = process.stderr.read()
        code = process.wait(timeout=TIMEOUT)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    assert code == (0 if args == ["mermaid"] else 1)


def test_form_feed_and_line_separators_do_not_end_lines(tmp_path: Path) -> None:
    """One line model (``\\n``, ``\\r\\n``, ``\\r``): ``words: list[str]`` after a ^L line is read from its own
    line (``str.splitlines`` used to read it as ``words: int``), and a problem below is at its real line."""
    text = (
        "def words(text: str) -> list[str]:\n    return text.split()\n\x0c\n# \u2028 a line separator\n\n\n"
        "def n_words(words: list[str]) -> int:\n    return len(words)\n\n\ndef count(n_words: str) -> str:\n"
        "    return n_words\n"
    )
    write(tmp_path / "m.py", text)
    result = livedag("check", "m.py", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["line"], p["code"], p["nodes"]) for p in problems] == [(11, "type-mismatch", ["count", "n_words"])]
