"""Text synchronisation: `textDocument/didOpen`, `didChange`, `didClose`, `didSave`.

These notifications arrive in order on the event loop and are the only
places that mutate the document store. Each one also tells the session's
index (an open buffer overrides its file on disk) and the diagnostics
service (which lints at once on open and debounced on change).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from lsprotocol import types

from .common import guarded
from .linting import DiagnosticsService
from .session import Session

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)

CONFIG_FILE_NAMES = ("pyproject.toml", ".digest-ls.toml")


@guarded()
def text_document_did_open(
    session: Session, diagnostics: DiagnosticsService, params: types.DidOpenTextDocumentParams
) -> None:
    """Called when the editor opens a buffer: parse it once and lint it right away."""
    item = params.text_document
    document = session.documents.open(item.uri, item.version, item.text)
    session.buffer_changed(document)
    diagnostics.opened(document)


@guarded()
def text_document_did_change(
    session: Session, diagnostics: DiagnosticsService, params: types.DidChangeTextDocumentParams
) -> None:
    """Called on every edit: re-parse only the touched blocks, lint after the debounce."""
    document = session.documents.change(
        params.text_document.uri, params.text_document.version, params.content_changes, session.codec
    )
    if document is None:
        logger.warning("didChange for a document that was never opened: %s", params.text_document.uri)
        return
    session.buffer_changed(document)
    diagnostics.changed(document)


@guarded()
def text_document_did_close(
    session: Session, diagnostics: DiagnosticsService, params: types.DidCloseTextDocumentParams
) -> None:
    """Called when the buffer closes: forget it, clear its diagnostics, fall back to the disk copy."""
    document = session.documents.close(params.text_document.uri)
    diagnostics.closed(params.text_document.uri)
    if document is not None:
        session.buffer_closed(document)


@guarded()
def text_document_did_save(
    session: Session, diagnostics: DiagnosticsService, params: types.DidSaveTextDocumentParams
) -> None:
    """Saving a configuration file from the editor changes the settings of every digest."""
    if params.text_document.uri.endswith(CONFIG_FILE_NAMES):
        session.settings.invalidate_files()
        diagnostics.refresh()


def register(server: "DigestServer") -> None:
    for method, handler in (
        (types.TEXT_DOCUMENT_DID_OPEN, text_document_did_open),
        (types.TEXT_DOCUMENT_DID_CHANGE, text_document_did_change),
        (types.TEXT_DOCUMENT_DID_CLOSE, text_document_did_close),
        (types.TEXT_DOCUMENT_DID_SAVE, text_document_did_save),
    ):
        server.feature(method)(partial(handler, server.session, server.diagnostics))
