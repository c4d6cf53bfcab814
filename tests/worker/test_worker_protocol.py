"""The worker protocol's pure functions: line encoding, previews (the driver's, at its width), user frames."""

from __future__ import annotations

import os
import sys

import pytest

from livedag.execution.progress import preview as driver_preview
from livedag.worker.protocol import PREVIEW_LIMIT, decode, encode, error_info, messages_of, user_frames


def test_a_message_is_one_ascii_line_and_decodes_back():
    message = {"type": "node", "node": "é\nx", "preview": "'a\\nb'", "durationMs": 1.5}
    line = encode(message)
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    line.decode("ascii")
    assert decode(line) == message


@pytest.mark.parametrize("line", [b"not json", b"[1, 2]", b'{"no": "type"}', b"42"])
def test_decode_refuses_what_is_not_a_message(line):
    with pytest.raises(ValueError):  # noqa: PT011 - json's error is a ValueError too
        decode(line)


def test_messages_of_skips_blank_lines():
    assert messages_of([encode({"type": "ready"}), b"\n", encode({"type": "exit"})]) == [
        {"type": "ready"},
        {"type": "exit"},
    ]


def preview(value, limit=PREVIEW_LIMIT):
    return driver_preview(value, limit)


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, "42"),
        ("hi", "'hi'"),
        ([1, 2, 3], "[1, 2, 3]"),
        ("a\nb", "'a\\nb'"),
    ],
)
def test_preview(value, expected):
    assert preview(value) == expected


def test_a_broken_repr_still_gives_a_preview():
    assert preview(BrokenRepr()) == "<unrepresentable BrokenRepr>"


def test_preview_is_short_and_one_line_whatever_the_value():
    assert len(preview("x" * 10_000)) <= 120
    assert len(preview(list(range(10_000)))) <= 120
    assert len(preview({str(i): "y" * 500 for i in range(50)}, limit=30)) <= 30
    assert "\n" not in preview(type("Multi", (), {"__repr__": lambda self: "a\nb\nc"})())


def _raise_from_user_code():
    raise ValueError("bad value")


def test_error_info_keeps_user_frames_and_drops_livedag_and_stdlib():
    import json

    try:
        json.loads("{}", object_hook=lambda _: _raise_from_user_code())
    except ValueError as error:
        info = error_info(error)
    assert info["type"] == "ValueError"
    assert info["message"] == "bad value"
    files = {frame["file"] for frame in info["frames"]}
    assert files == {os.path.abspath(__file__)}
    assert info["frames"][-1]["function"] == "_raise_from_user_code"
    assert not any(frame["file"].startswith(os.path.dirname(json.__file__)) for frame in info["frames"])


def test_user_frames_skips_given_folders():
    try:
        _raise_from_user_code()
    except ValueError:
        tb = sys.exc_info()[2]
    assert user_frames(tb, skip_dirs=[os.path.dirname(__file__)]) == []
    assert len(user_frames(tb, skip_dirs=[])) == 2


def test_long_messages_are_cut():
    assert len(error_info(ValueError("x" * 5000))["message"]) == 500
