"""The LSP lifecycle and a stream that is not what it should be, through the real server over stdio:
every request gets an answer (an error when it must), and the server never hangs silent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-P", "-m", "livedag.lsp"]


def frame(message: dict[str, Any], header: bytes = b"Content-Length: %d\r\n\r\n") -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return header % len(body) + body


def initialize(ident: int = 1, root: Path | None = None) -> dict[str, Any]:
    return {
        "id": ident,
        "method": "initialize",
        "params": {"processId": None, "rootUri": root.as_uri() if root else None, "capabilities": {}},
    }


def hover(ident: int, line: int = 0, uri: str = "file:///nowhere/x.py") -> dict[str, Any]:
    return {
        "id": ident,
        "method": "textDocument/hover",
        "params": {"textDocument": {"uri": uri}, "position": {"line": line, "character": 0}},
    }


INITIALIZED = {"method": "initialized", "params": {}}
SHUTDOWN = {"id": 90, "method": "shutdown"}
EXIT = {"method": "exit"}


def serve(stream: bytes) -> tuple[list[dict[str, Any]], int, str]:
    """Feed ``stream`` to a server on stdin (then end it); its answers in order, exit code and stderr."""
    done = subprocess.run(SERVER, input=stream, capture_output=True, timeout=120, check=False)
    answers, rest = [], done.stdout
    while rest:
        header, _, rest = rest.partition(b"\r\n\r\n")
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        answers.append(json.loads(rest[:length]))
        rest = rest[length:]
    return answers, done.returncode, done.stderr.decode(errors="replace")


def by_id(answers: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    found: dict[Any, list[dict[str, Any]]] = {}
    for answer in answers:
        if "method" not in answer:
            found.setdefault(answer.get("id"), []).append(answer)
    return found


def test_the_lifecycle_rules():
    answers, code, _ = serve(
        b"".join(
            [
                frame(hover(7)),  # before initialize
                frame(initialize(1)),
                frame(INITIALIZED),
                frame(initialize(2)),  # a second one
                frame(hover(3, line=-1)),  # a negative position
                frame({"id": 4, "method": "textDocument/hover", "params": {"position": {"line": 0}}}),  # fields missing
                frame(SHUTDOWN),
                frame(hover(5)),  # after shutdown
                frame(EXIT),
            ]
        )
    )
    answered = by_id(answers)
    assert answered[7][0]["error"]["code"] == -32002
    assert "capabilities" in answered[1][0]["result"]
    assert answered[2][0]["error"]["code"] == -32600
    assert answered[3][0]["error"]["code"] == -32602
    assert "Position.line" in answered[3][0]["error"]["message"]
    assert answered[4][0]["error"]["code"] == -32602
    assert answered[90][0]["result"] is None
    assert answered[5][0]["error"]["code"] == -32600
    assert code == 0


def test_exit_without_shutdown_exits_with_code_1():
    _, code, _ = serve(frame(initialize()) + frame(INITIALIZED) + frame(EXIT))
    assert code == 1


def test_a_body_that_is_not_utf8_or_json_is_answered_and_the_stream_goes_on():
    broken = b"Content-Length: 6\r\n\r\n\xff\xfe{}}}"
    answers, code, _ = serve(
        frame(initialize()) + broken + b"Content-Length: 3\r\n\r\n{x}" + frame(hover(2)) + frame(SHUTDOWN) + frame(EXIT)
    )
    answered = by_id(answers)
    assert [a["error"]["code"] for a in answered[None]] == [-32700, -32700]  # id null: there is none to answer
    assert answered[2][0]["result"] is None  # the next request is read and answered
    assert code == 0


def test_a_content_length_that_is_not_a_number_ends_the_server_with_a_reason():
    bad = b"Content-Length: lots\r\n\r\n" + json.dumps({"jsonrpc": "2.0", **hover(2)}).encode()
    answers, code, stderr = serve(frame(initialize()) + bad + frame(hover(3)))
    assert "capabilities" in by_id(answers)[1][0]["result"]
    assert code == 1
    assert "Content-Length must be a number" in stderr


def test_other_spellings_of_the_header_and_a_too_short_length_recover():
    spaced = frame(hover(2), b"CONTENT-LENGTH :  %d \r\n\r\n")
    body = json.dumps({"jsonrpc": "2.0", **hover(3)}).encode()
    too_short = b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body  # the rest runs into the next header
    answers, code, _ = serve(
        frame(initialize(), b"content-length:%d\n\n")
        + spaced
        + too_short
        + frame(hover(4))
        + frame(SHUTDOWN)
        + frame(EXIT)
    )
    answered = by_id(answers)
    assert "capabilities" in answered[1][0]["result"]
    assert answered[2][0]["result"] is None
    assert answered[None][0]["error"]["code"] == -32700  # the cut body
    assert answered[4][0]["result"] is None  # back in step
    assert code == 0


def test_a_file_that_does_not_parse_when_first_opened_shows_its_syntax_error(tmp_path: Path):
    path = tmp_path / "flow.py"
    text = "def raw() -> str\n    return 'x'\n\n\ndef n(raw: str) -> int:\n    return len(raw)\n"
    path.write_text(text)
    opened = {
        "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": path.as_uri(), "languageId": "python", "version": 1, "text": text}},
    }
    answers, _, _ = serve(
        frame(initialize(1, tmp_path))
        + frame(INITIALIZED)
        + frame(opened)
        + frame(hover(2, uri=path.as_uri()))
        + frame(SHUTDOWN)
        + frame(EXIT)
    )
    published = [a["params"] for a in answers if a.get("method") == "textDocument/publishDiagnostics"]
    codes = [d["code"] for params in published if params["uri"] == path.as_uri() for d in params["diagnostics"]]
    assert codes == ["syntax-error"]


def test_command_arguments_of_the_wrong_shape_are_invalid_params():
    def command(ident: int, arguments: list[Any]) -> dict[str, Any]:
        return {
            "id": ident,
            "method": "workspace/executeCommand",
            "params": {"command": "livedag.run", "arguments": arguments},
        }

    bad_position = {"uri": "file:///x.py", "position": {"line": "top"}}
    answers, _, _ = serve(
        frame(initialize())
        + frame(INITIALIZED)
        + frame(command(2, [{"node": "a"}]))
        + frame(command(3, [bad_position]))
        + frame(command(4, [{"uri": "file:///nowhere.py"}]))
        + frame(SHUTDOWN)
        + frame(EXIT)
    )
    answered = by_id(answers)
    assert answered[2][0]["error"]["code"] == -32602  # no uri
    assert answered[3][0]["error"]["code"] == -32602  # not a position
    assert answered[4][0]["result"]["status"] == "error"  # well formed: refused with a reason
