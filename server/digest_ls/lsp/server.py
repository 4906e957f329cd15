"""The digest-ls language server: `create_server()` and `serve()`.

`DigestServer` is the pygls server and where the parts meet: the `Session`
(open documents, settings, client flags, the index), the diagnostics and
index services built over it, and the connection they send through. The
handlers live in modules named after the part of the protocol they serve;
each module's `register` gives a handler what it works with (the session, a
service, or for lifecycle and folder events the server itself).

`DigestProtocol` adjusts five pygls behaviours: the position encoding is
chosen by our preference among those the client offers; a request whose
params do not validate is answered with InvalidParams instead of being
dropped; pygls keeps no copy of the open documents (the document store has
the text, and pygls would re-split a whole megabyte copy on every
keystroke); a `wire.RawJSON` result or notification is written as it is; and
a `$/cancelRequest` for a request already answered is logged at debug level.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import sys
from typing import Any

from ..gcpause import collector_paused

# Importing pygls, lsprotocol and the handlers allocates some hundred thousand objects that live as
# long as the process, and the collector would scan them again and again while they are made: a
# quarter of our modules' import time, which `initialize` waits for. `serve` freezes them once built.
with collector_paused():
    import attrs
    from lsprotocol import types
    from pygls.exceptions import (
        FeatureRequestError,
        JsonRpcInternalError,
        JsonRpcInvalidParams,
        JsonRpcInvalidRequest,
        JsonRpcParseError,
        JsonRpcServerNotInitialized,
    )
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol
    from pygls.protocol.language_server import lsp_method

    from .. import __version__
    from . import editing, indexing, language, lifecycle, logs, memory, sync, wire
    from .indexing import IndexService
    from .linting import DiagnosticsService
    from .positions import negotiate
    from .session import Session

logger = logging.getLogger(__name__)

TRANSPORTS = ("stdio", "tcp", "ws")


class _Answered:
    """A request already answered with an error while it was being decoded."""

    jsonrpc = "2.0"


class DigestProtocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        # pygls takes the client's first supported encoding; we take the one
        # cheapest for us among those offered (see positions.PREFERENCE).
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            chosen = negotiate(general.position_encodings)
            capabilities = attrs.evolve(
                params.capabilities, general=attrs.evolve(general, position_encodings=[chosen])
            )
            params = attrs.evolve(params, capabilities=capabilities)
        return (yield from super().lsp_initialize(params))

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError) as error:
            if "id" in data and "method" in data:
                reason = error.__cause__ or error
                self._send_response(
                    data["id"],
                    error=JsonRpcInvalidParams(f"invalid params for {data['method']}: {reason}").to_response_error(),
                )
                return _Answered()
            raise

    _initialize_seen = False

    def handle_message(self, message):
        if isinstance(message, _Answered):
            return
        method = getattr(message, "method", None)
        request_id = getattr(message, "id", None)
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif method is not None and method != types.EXIT:
            # The spec's lifecycle, which pygls 2.1 does not enforce: nothing before initialize,
            # and after shutdown requests fail with InvalidRequest (pygls drops them unanswered).
            if not self._initialize_seen:
                if request_id is not None:
                    self._send_response(
                        request_id, error=JsonRpcServerNotInitialized("the server is not initialized").to_response_error()
                    )
                return
            if self._shutdown:
                if request_id is not None:
                    self._send_response(
                        request_id, error=JsonRpcInvalidRequest("the server is shutting down").to_response_error()
                    )
                return
        super().handle_message(message)

    def _handle_cancel_notification(self, msg_id):
        # A client cancels requests that were answered a moment before (Neovim does on every
        # cursor move); pygls logs that as a warning, which clients show as `[ERROR]` stderr lines.
        if msg_id not in self._request_futures:
            logger.debug("$/cancelRequest for %s, already answered", msg_id)
            return
        super()._handle_cancel_notification(msg_id)

    # --- open documents: only the document store keeps them -----------------------------

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    # --- pre-encoded answers ----------------------------------------------------------------

    def _send_response(self, msg_id, result=None, error=None):
        if error is None and isinstance(result, wire.RawJSON):
            self._result_types.pop(msg_id, None)
            self.write_raw(f'{{"jsonrpc":"2.0","id":{wire.dumps(msg_id)},"result":{result}}}')
            return
        super()._send_response(msg_id, result, error)

    def notify_raw(self, method: str, params: wire.RawJSON) -> None:
        self.write_raw(f'{{"jsonrpc":"2.0","method":{wire.dumps(method)},"params":{params}}}')

    def write_raw(self, body: str) -> None:
        """Write one message whose body is JSON text already (pygls's `_send_data` without the encoding)."""
        if self.writer is None:
            logger.error("unable to send data: no transport")
            return
        # Only inside strings can a lone surrogate (sent to us escaped) appear; written back escaped, it stays valid JSON.
        data = body.encode("utf-8", "backslashreplace")
        if self._include_headers:
            header = f"Content-Length: {len(data)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            data = header.encode("ascii") + data
        try:
            written = self.writer.write(data)
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)
        except BrokenPipeError:
            logger.exception("the client is gone (broken pipe)")
            raise


class DigestServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "digest-ls",
            __version__,  # the package's own (importlib.metadata alone takes 60 ms to import)
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=DigestProtocol,
            converter_factory=wire.converter,
        )
        self.session = Session(self.show_warning)
        self.diagnostics = DiagnosticsService(self.session, self)
        self.indexing = IndexService(self.session, self)
        self.session.on_index_changed(self.diagnostics.refresh)
        # The event loop and its thread, for the log records of other threads (logs.ClientLogHandler).
        self.loop: asyncio.AbstractEventLoop | None = None
        self.loop_thread: int | None = None

    def show_warning(self, message: str) -> None:
        if self.protocol.writer is None:
            logger.warning("%s", message)
            return
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def push_diagnostics(self, params: wire.RawJSON) -> None:
        """`textDocument/publishDiagnostics` with params that are JSON text already."""
        self.protocol.notify_raw(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def report_server_error(self, error: Exception, source) -> None:
        if isinstance(error, json.JSONDecodeError):
            # A body that is not JSON: the spec's answer is a ParseError with a null id; then read on.
            # Written raw: the converter would drop the `"id": null` that JSON-RPC requires here.
            message = json.dumps(f"invalid JSON: {error}")
            self.protocol.write_raw(f'{{"jsonrpc":"2.0","id":null,"error":{{"code":{JsonRpcParseError.CODE},"message":{message}}}}}')
            return
        # A failing feature logs (stderr and window/logMessage); it never pops up in the editor.
        # A failed request already carries its error back to the client.
        level = logging.INFO if source is FeatureRequestError else logging.ERROR
        logger.log(level, "%s: %s", getattr(source, "__name__", source), error)


def create_server() -> DigestServer:
    server = DigestServer()
    # The pull handlers (linting.register_pull) are added at `initialize`, for a client that pulls.
    for module in (lifecycle, sync, indexing, language, editing):
        module.register(server)
    return server


def serve(
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 2087,
    log_file: str | None = None,
    log_level: str = "warning",
) -> None:
    """Run the server until the client says `exit` (or goes away)."""
    if transport not in TRANSPORTS:
        raise ValueError(f"unknown transport {transport!r}: expected one of {', '.join(TRANSPORTS)}")
    if transport == "ws":
        try:
            import websockets  # noqa: F401
        except ImportError:
            raise RuntimeError("the ws transport needs the `websockets` package (pip install 'pygls[ws]')") from None
    level = logs.configure(log_file, log_level)
    server = create_server()
    memory.freeze()  # the modules and the server stay: later collections need not walk them
    logging.getLogger("digest_ls").addHandler(logs.ClientLogHandler(server, level))
    if transport == "tcp":
        server.start_tcp(host, port)
    elif transport == "ws":
        server.start_ws(host, port)
    else:
        protocol_out = sys.stdout.buffer
        # stdout is the protocol channel: a stray print anywhere must not corrupt it.
        sys.stdout = sys.stderr
        server.start_io(sys.stdin.buffer, protocol_out)
