"""The one adapter over pygls internals: the lifecycle rules of the LSP, livedag's line model and position
encodings in the editor's text, and no memory kept per notification.

pygls 2.1 has no public seam for these, so :class:`LivedagProtocol` (handed to pygls as ``protocol_cls``,
which is public) overrides a few of its methods; ``tests/lsp/test_protocol_adapter.py`` fails as soon as
pygls renames or reshapes one of them. What it adds:

- a request before ``initialize`` is answered ``ServerNotInitialized`` (-32002), a second ``initialize``
  and any request after ``shutdown`` ``InvalidRequest`` (-32600); notifications before ``initialize``
  are dropped, as the specification asks;
- a request whose params do not match the protocol (a negative position, a missing field) is answered
  ``InvalidParams`` instead of being dropped; a body that is not JSON (or not UTF-8) is answered with
  a ``ParseError`` (id ``null``);
- the position encoding announced is the client's first choice (``positions.choose_encoding``), or
  utf-16 when ``initializationOptions.positionEncoding`` is ``"utf-16"``;
- documents keep the editor's text by livedag's line model (``\\n``, ``\\r\\n``, ``\\r``: a form feed or
  U+2028 in a line does not shift an incremental edit) and apply each edit by offset, in one copy;
- ``$/cancelRequest`` and ``shutdown`` reach the server's contributors (``request_cancelled``,
  ``before_shutdown``): a command in flight is stopped, the run worker ends before ``shutdown`` is answered;
- pygls keeps the future of each notification handled by a generator (every ``didChange``) in
  ``_request_futures`` forever: it is dropped once done.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Generator
from concurrent.futures import Future
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import TextDocument, Workspace

from livedag.graph.lines import split_lines
from livedag.lsp.positions import choose_encoding, from_units, line_index

__all__ = ["CheckedInput", "LivedagDocument", "LivedagProtocol", "LivedagWorkspace"]

logger = logging.getLogger(__name__)

SERVER_NOT_INITIALIZED = -32002
INVALID_REQUEST = -32600
PARSE_ERROR = -32700


MAX_CONTENT_LENGTH = 1 << 30


class CheckedInput:
    """The server's stdin as pygls' reader reads it (``readline``/``read``), with the headers checked.

    pygls only knows the exact ``Content-Length: N\\r\\n``; any other spelling made it read the body
    as headers and wait, silent, forever. Here a valid header in another spelling (case, spaces,
    ``\\n``) is passed on in the exact one; a header glued after the rest of a body (a length that was
    too short) is cut out so the stream gets in step again; a length that is not a number ends the
    stream, so the server exits with code 1 and says why on stderr."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.broken: str | None = None

    def readline(self) -> bytes:
        if self.broken is not None:
            return b""
        line = self._stream.readline()
        glued = line.lower().find(b"content-length:")
        if glued > 0:
            logger.error("livedag: %d bytes before a Content-Length header were not a message", glued)
            line = line[glued:]
        name, colon, value = line.partition(b":")
        if not colon or name.strip().lower() != b"content-length":
            return line
        length = value.strip()
        if not length.isdigit() or int(length) > MAX_CONTENT_LENGTH:
            self.broken = f"bad header {line.strip()!r}: Content-Length must be a number of bytes"
            sys.stderr.write(f"livedag lsp: {self.broken}; the stream cannot be read any further, exiting\n")
            return b""
        return b"Content-Length: %d\r\n" % int(length)

    def read(self, size: int) -> bytes:
        return self._stream.read(size)


class LivedagDocument(TextDocument):
    """An open document whose lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only."""

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(split_lines(self.source, keepends=True))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        source = self.source
        index = line_index(source)
        encoding = str(getattr(self.position_codec.encoding, "value", self.position_codec.encoding))
        start, end = change.range.start, change.range.end
        begin = index.offset(start.line, from_units(index.line(start.line), start.character, encoding))
        finish = max(begin, index.offset(end.line, from_units(index.line(end.line), end.character, encoding)))
        self._source = source[:begin] + change.text + source[finish:]
        growth = len(change.text) - (finish - begin)
        # the lines the change touched, and the one after (a "\r" typed before its "\n"), indexed again
        line_index(self._source, index.spliced(self._source, start.line - 1, max(end.line, start.line) + 1, growth))


class LivedagWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LivedagDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )


def _leaf_messages(error: BaseException | None) -> list[str]:
    """The innermost messages of a (cattrs) exception group: what exactly did not match."""
    if error is None:
        return []
    inner = getattr(error, "exceptions", None)
    if inner:
        return [message for sub in inner for message in _leaf_messages(sub)]
    return [str(error)]


class _Malformed:
    """A request that could not be read into its params type: answered with ``error``."""

    def __init__(self, msg_id: Any, error: JsonRpcException) -> None:
        self.id = msg_id
        self.error = error
        self.jsonrpc = "2.0"


class LivedagProtocol(LanguageServerProtocol):
    def __init__(self, server: Any, converter: Any) -> None:
        super().__init__(server, converter)
        self.initialize_seen = False

    # -- lifecycle ----------------------------------------------------------------------------------
    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Malformed):
            self._answer_error(message.id, message.error.code, message.error.message or "invalid params")
            return
        method, msg_id = getattr(message, "method", None), getattr(message, "id", None)
        if method is not None and msg_id is not None:  # a request
            if self._shutdown and method != types.EXIT:
                self._answer_error(msg_id, INVALID_REQUEST, f"{method}: the server is shutting down")
                return
            if method == types.INITIALIZE and self.initialize_seen:
                self._answer_error(msg_id, INVALID_REQUEST, "initialize was already received")
                return
            if method != types.INITIALIZE and not self.initialize_seen:
                self._answer_error(msg_id, SERVER_NOT_INITIALIZED, f"{method}: the server is not initialized yet")
                return
            self.initialize_seen = self.initialize_seen or method == types.INITIALIZE
        elif method is not None and not self.initialize_seen and method != types.EXIT:
            logger.warning("livedag: %s before initialize is ignored", method)
            return
        super().handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" in data and "method" in data:
                why = "; ".join(_leaf_messages(error.__cause__)) or "they do not match the protocol"
                return _Malformed(data["id"], JsonRpcInvalidParams(f"invalid params for {data['method']}: {why}"))
            raise

    @property
    def shut_down(self) -> bool:
        """Whether ``shutdown`` was received (the exit code is 0 only then)."""
        return self._shutdown

    def answer_parse_error(self, error: Exception) -> None:
        """A body that was not JSON: there is no id to answer, so the answer's id is ``null`` (JSON-RPC 2.0;
        pygls would leave the field out, so the message is framed here)."""
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": None,
                "error": {"code": PARSE_ERROR, "message": f"livedag: could not read the message: {error}"},
            }
        ).encode()
        if self.writer is not None:
            self.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _answer_error(self, msg_id: Any, code: int, message: str) -> None:
        self._send_response(msg_id, error=types.ResponseError(code=code, message=message))

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        options = params.initialization_options
        force = isinstance(options, dict) and options.get("positionEncoding") == "utf-16"
        general = params.capabilities.general
        offered = [str(e) for e in general.position_encodings or []] if general else []
        params.capabilities.general = general or types.GeneralClientCapabilities()
        params.capabilities.general.position_encodings = [choose_encoding(offered, force)]  # what pygls then picks
        steps = super().lsp_initialize(params)
        try:
            step = next(steps)  # pygls has made its workspace: make it ours before any document arrives
        except StopIteration as done:
            self._own_workspace()
            return done.value  # type: ignore[no-any-return]
        self._own_workspace()
        while True:
            sent = yield step
            try:
                step = steps.send(sent)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def _own_workspace(self) -> None:
        old = self.workspace
        self._workspace = LivedagWorkspace(
            old.root_uri, self._server._text_document_sync_kind, list(old.folders.values()), old.position_encoding
        )

    # -- hooks for the server (``LivedagServer.request_cancelled`` / ``before_shutdown``) -----------------
    def _handle_cancel_notification(self, msg_id: Any) -> None:
        super()._handle_cancel_notification(msg_id)
        hook = getattr(self._server, "request_cancelled", None)
        if hook is not None:
            hook(msg_id)

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        hook = getattr(self._server, "before_shutdown", None)
        if hook is not None:
            yield hook, (), None  # an async hook: the answer to `shutdown` waits for it
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        # pygls' own shutdown, over a snapshot: cancelling a request runs `_forget`, which edits the dict
        current_id = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current_id and not future.done():
                future.cancel()
        self._shutdown = True

    # -- memory ---------------------------------------------------------------------------------------
    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future: Future[Any] | None = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda done: self._forget(msg_id, done))

    def _forget(self, msg_id: Any, future: Future[Any]) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]
