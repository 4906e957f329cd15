"""One client's session: the state the handlers and services share, and the one way index events travel.

A `Session` holds the open documents, the settings, what the client can do
(`flags`, and the position `codec` they imply), the workspace folders, and
the workspace index with its generation. Feature handlers take it alone;
the diagnostics and index services take it too, and neither knows the
other: the index service reports through `adopt_index` and
`index_changed`, and the diagnostics service listens there
(`on_index_changed`).

The features read `index`: the workspace index once its first scan is
done, and until then (or when no workspace folder is open) an index of the
open buffers alone, so that completion, hover and symbols answer from the
first keystroke. The workspace rules (D401/D402) read `workspace_index`
only: over the open buffers alone they would report papers repeated among
the files that happen to be open, and take that back when one closes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable

from ..config import Config
from .capabilities import ClientFlags
from .documents import DocumentStore, OpenDocument
from .positions import PositionCodec
from .settings import Settings

if TYPE_CHECKING:
    from ..index import WorkspaceIndex

logger = logging.getLogger(__name__)


class Session:
    def __init__(self, warn: Callable[[str], None]) -> None:
        self.warn = warn  # tells the user (window/showMessage): invalid settings, an index refused
        self.documents = DocumentStore()
        self.settings = Settings(warn)
        self.flags = ClientFlags()  # resolved at `initialize`
        self.codec = PositionCodec()
        self.folders: list[str] = []  # the workspace folders (or the root) as resolved local paths
        self.workspace_index: WorkspaceIndex | None = None  # once its first scan is done
        self.index_generation = 0  # moves whenever an answer read off the index may change
        self._open_buffers_index: WorkspaceIndex | None = None
        self._index_listeners: list[Callable[[], None]] = []

    def root_folder(self) -> str | None:
        return self.folders[0] if self.folders else None

    def config_for(self, path: str | None) -> Config:
        """The settings for the document at `path` (the workspace's for None)."""
        return self.settings.config_for(path, self.root_folder())

    # --- the index ---------------------------------------------------------------------------

    @property
    def index(self) -> WorkspaceIndex:
        """What the features read: the workspace index, else (until it is built) one of the open buffers."""
        if self.workspace_index is not None:
            return self.workspace_index
        if self._open_buffers_index is None:
            # Imported here, on the first question for it, not with this module: the index
            # (rapidfuzz, SQLite) would add its import time to `initialize`.
            from ..index import WorkspaceIndex

            index = WorkspaceIndex([], self.config_for(None))  # no roots, no cache: the buffers alone
            _put_open_buffers(index, self.documents)
            self._open_buffers_index = index
        return self._open_buffers_index

    def buffer_changed(self, document: OpenDocument) -> None:
        """A buffer was opened or edited: it overrides its file on disk in the index."""
        index = self._live_index()
        if index is not None and document.path:
            index.set_open_document(document.path, document.model)

    def buffer_closed(self, document: OpenDocument) -> None:
        """A buffer was closed: the index falls back to its file on disk."""
        index = self._live_index()
        if index is not None and document.path:
            index.close_document(document.path)

    def _live_index(self) -> WorkspaceIndex | None:
        return self.workspace_index if self.workspace_index is not None else self._open_buffers_index

    def adopt_index(self, index: WorkspaceIndex | None, reason: str) -> None:
        """From now on the features and the workspace rules read `index` (None: the workspace index is dropped)."""
        if index is not None:
            _put_open_buffers(index, self.documents)
        self.workspace_index = index
        self._open_buffers_index = None  # holds nothing but records of the buffers: no cache to close
        self.index_changed(reason)

    def index_changed(self, reason: str) -> None:
        """Whatever was computed from the index may differ now: every index event comes through here."""
        self.index_generation += 1
        logger.debug("index generation %d: %s", self.index_generation, reason)
        for listener in self._index_listeners:
            listener()

    def on_index_changed(self, listener: Callable[[], None]) -> None:
        self._index_listeners.append(listener)


def _put_open_buffers(index: WorkspaceIndex, documents: DocumentStore) -> None:
    for document in documents:
        if document.path:
            index.set_open_document(document.path, document.model)
