"""The digest-ls language server: `create_server()` and `serve()`.

`DigestServer` holds the session state (client flags, position codec, open
documents, settings, diagnostics and index services); the handlers live in
modules named after the part of the protocol they serve and are registered
here. `DigestProtocol` adjusts two pygls behaviours: the position encoding
is chosen by our preference among those the client offers, and a request
whose params do not validate is answered with InvalidParams instead of
being dropped.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from importlib import metadata
from typing import Any

import attrs
from lsprotocol import types
from pygls.exceptions import FeatureRequestError, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from . import editing, indexing, language, lifecycle, linting, logs, sync
from .capabilities import ClientFlags
from ..config import Config
from .common import workspace_folder_paths
from .documents import DocumentStore, OpenDocument
from .linting import DiagnosticsService
from .indexing import IndexService
from .positions import PositionCodec, negotiate
from .settings import Settings

logger = logging.getLogger(__name__)

TRANSPORTS = ("stdio", "tcp", "ws")


def _version() -> str:
    try:
        return metadata.version("digest-ls")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"


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

    def handle_message(self, message):
        if isinstance(message, _Answered):
            return
        super().handle_message(message)


class DigestServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "digest-ls",
            _version(),
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=DigestProtocol,
        )
        self.flags = ClientFlags()
        self.codec = PositionCodec()
        self.documents = DocumentStore()
        self.settings = Settings(self.show_warning)
        self.diagnostics = DiagnosticsService(self)
        self.indexing = IndexService(self)
        self.index = None  # the WorkspaceIndex once its first scan is done
        self.index_generation = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.loop_thread: int | None = None

    def show_warning(self, message: str) -> None:
        if self.protocol.writer is None:
            logger.warning("%s", message)
            return
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def root_folder(self) -> str | None:
        paths = workspace_folder_paths(self)
        return paths[0] if paths else None

    def config_for(self, document: OpenDocument | None) -> Config:
        """The settings for an open document (the workspace's for None)."""
        return self.settings.config_for(document.path if document else None, self.root_folder())

    def report_server_error(self, error: Exception, source) -> None:
        # A failing feature logs (stderr and window/logMessage); it never pops up in the editor.
        # A failed request already carries its error back to the client.
        level = logging.INFO if source is FeatureRequestError else logging.ERROR
        logger.log(level, "%s: %s", getattr(source, "__name__", source), error)


def create_server() -> DigestServer:
    server = DigestServer()
    for module in (lifecycle, sync, linting, indexing, language, editing):
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
