"""Text synchronisation: `textDocument/didOpen`, `didChange`, `didClose`, `didSave`.

These notifications arrive in order on the event loop and are the only
places that mutate the document store. Each one also tells the workspace
index (an open buffer overrides its file on disk) and the diagnostics
service (which lints at once on open and debounced on change).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from .common import guarded

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)

CONFIG_FILE_NAMES = ("pyproject.toml", ".digest-ls.toml")


@guarded()
def text_document_did_open(ls: "DigestServer", params: types.DidOpenTextDocumentParams) -> None:
    """Called when the editor opens a buffer: parse it once and lint it right away."""
    item = params.text_document
    document = ls.documents.open(item.uri, item.version, item.text)
    ls.indexing.buffer_changed(document)
    ls.diagnostics.opened(document)


@guarded()
def text_document_did_change(ls: "DigestServer", params: types.DidChangeTextDocumentParams) -> None:
    """Called on every edit: re-parse only the touched blocks, lint after the debounce."""
    document = ls.documents.change(
        params.text_document.uri, params.text_document.version, params.content_changes, ls.codec
    )
    if document is None:
        logger.warning("didChange for a document that was never opened: %s", params.text_document.uri)
        return
    ls.indexing.buffer_changed(document)
    ls.diagnostics.changed(document)


@guarded()
def text_document_did_close(ls: "DigestServer", params: types.DidCloseTextDocumentParams) -> None:
    """Called when the buffer closes: forget it, clear its diagnostics, fall back to the disk copy."""
    document = ls.documents.close(params.text_document.uri)
    ls.diagnostics.closed(params.text_document.uri)
    if document is not None:
        ls.indexing.buffer_closed(document)


@guarded()
def text_document_did_save(ls: "DigestServer", params: types.DidSaveTextDocumentParams) -> None:
    """Saving a configuration file from the editor changes the settings of every digest."""
    if params.text_document.uri.endswith(CONFIG_FILE_NAMES):
        ls.settings.invalidate_files()
        ls.diagnostics.refresh()


def register(server) -> None:
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(text_document_did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(text_document_did_change)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(text_document_did_close)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(text_document_did_save)
