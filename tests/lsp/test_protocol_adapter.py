"""``livedag.lsp.protocol`` overrides a few pygls internals (there is no public seam for them): this test
fails as soon as pygls renames or reshapes one, so an upgrade is looked at instead of silently breaking
the lifecycle rules, the line model or the memory fix."""

from __future__ import annotations

import inspect

import pygls
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol
from pygls.server import JsonRPCServer
from pygls.workspace import TextDocument, Workspace

from livedag.lsp.protocol import LivedagDocument, LivedagProtocol
from livedag.lsp.server import LivedagServer


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_pygls_internals_the_adapter_relies_on():
    assert pygls.__name__ == "pygls"
    assert "protocol_cls" in parameters(JsonRPCServer.__init__)  # LanguageServer hands its kwargs on to it
    assert issubclass(LanguageServer, JsonRPCServer)
    assert parameters(JsonRPCProtocol._execute_handler) == ["self", "msg_id", "handler", "callback", "args", "kwargs"]
    assert parameters(JsonRPCProtocol._handle_cancel_notification) == ["self", "msg_id"]
    assert parameters(JsonRPCProtocol._send_response) == ["self", "msg_id", "result", "error"]
    assert parameters(JsonRPCProtocol.structure_message) == ["self", "data"]
    assert parameters(JsonRPCProtocol.handle_message) == ["self", "message"]
    for name, method in (("lsp_initialize", types.INITIALIZE), ("lsp_shutdown", types.SHUTDOWN)):
        original = getattr(LanguageServerProtocol, name)
        assert inspect.isgeneratorfunction(original), name
        assert original.method_name == method
    assert parameters(Workspace._create_text_document) == ["self", "doc_uri", "source", "version", "language_id"]
    assert parameters(TextDocument._apply_incremental_change) == ["self", "change"]
    assert "position_encoding" in parameters(Workspace.__init__)
    server = LivedagServer()
    protocol = server.protocol
    assert isinstance(protocol, LivedagProtocol)
    assert isinstance(protocol._request_futures, dict)
    assert isinstance(protocol._shutdown, bool)
    assert server._text_document_sync_kind == types.TextDocumentSyncKind.Incremental
    document = LivedagDocument("file:///x.py", "a\fb\nc")
    assert document._source == "a\fb\nc"  # what the adapter's incremental change writes to


def test_the_adapter_registers_its_overrides_with_pygls():
    protocol = LivedagServer().protocol
    assert protocol.fm.builtin_features[types.INITIALIZE].__func__ is LivedagProtocol.lsp_initialize
    assert protocol.fm.builtin_features[types.SHUTDOWN].__func__ is LivedagProtocol.lsp_shutdown


def test_incremental_edits_follow_the_line_model_and_the_encoding():
    document = LivedagDocument("file:///x.py", "é🎉x\f y\nz\u2028w\r\nend")
    for encoding, character in (("utf-16", 3), ("utf-8", 6), ("utf-32", 2)):
        copy = LivedagDocument("file:///x.py", document.source)
        copy.position_codec.encoding = encoding
        copy.position_codec.impl = None  # never used by the adapter: an old pygls path would fail here
        start = types.Position(0, character)
        copy._apply_incremental_change(
            types.TextDocumentContentChangePartial(range=types.Range(start, types.Position(0, character + 1)), text="X")
        )
        assert copy.source == "é🎉X\f y\nz\u2028w\r\nend", encoding
    document._apply_incremental_change(
        types.TextDocumentContentChangePartial(range=types.Range(types.Position(1, 2), types.Position(2, 1)), text="-")
    )
    assert document.source == "é🎉x\f y\nz\u2028-nd"
    assert document.lines == ("é🎉x\f y\n", "z\u2028-nd")
