"""The open buffers: per document the model `Document`, its version and its cached answers.

The model is the only copy of an open document's text (pygls keeps none,
see `server.DigestProtocol`): each content change is converted from client
units to code points against the model *before* that change and fed to the
incremental parser.
A document is never parsed again in full unless a change replaces it whole.

Mutated only on the event loop (open/change/close arrive in order there);
everything read elsewhere is an immutable snapshot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from lsprotocol import types
from pygls.uris import to_fs_path

from . import memory
from .convert import TextView
from .positions import PositionCodec
from .wire import FragmentCache

if TYPE_CHECKING:
    from ..model import Document


@dataclass
class OpenDocument:
    uri: str
    path: str | None  # None for non-file URIs (untitled buffers)
    version: int | None
    model: Document
    # Converted answers kept between requests (JSON fragment caches, the last outline): they go with the buffer.
    answers: dict = field(default_factory=dict)

    def view(self, codec: PositionCodec) -> TextView:
        return TextView(self.model.lines, codec, self.model.eols)

    def fragments(self, name: str) -> FragmentCache:
        cache = self.answers.get(name)
        if cache is None:
            cache = self.answers[name] = FragmentCache()
        return cache


def uri_to_path(uri: str) -> str | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    # The workspace index keys files by resolved path; so must we.
    return os.path.realpath(path) if path else None


def to_code_point_changes(
    model: Document, changes: Sequence[Any], codec: PositionCodec
) -> Document:
    """Apply LSP content changes one by one, each converted against the text before it."""
    from ..parser.incremental import Change, apply_changes  # see `lifecycle.preload`

    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = codec.from_client(model.lines, change.range.start.line, change.range.start.character)
            end = codec.from_client(model.lines, change.range.end.line, change.range.end.character)
            model = apply_changes(model, [Change(change.text, (start[0], start[1], end[0], end[1]))])
        else:
            model = apply_changes(model, [Change(change.text, None)])
    return model


class DocumentStore:
    def __init__(self) -> None:
        self._documents: dict[str, OpenDocument] = {}

    def open(self, uri: str, version: int | None, text: str) -> OpenDocument:
        from ..parser.document import parse  # see `lifecycle.preload`

        with memory.long_lived():
            model = parse(text)
        document = OpenDocument(uri, uri_to_path(uri), version, model)
        self._documents[uri] = document
        return document

    def change(self, uri: str, version: int | None, changes, codec: PositionCodec) -> OpenDocument | None:
        document = self._documents.get(uri)
        if document is None:
            return None
        if any(not isinstance(change, types.TextDocumentContentChangePartial) for change in changes):
            with memory.long_lived():  # the whole text replaced: a new model as large as on open
                document.model = to_code_point_changes(document.model, changes, codec)
        else:
            document.model = to_code_point_changes(document.model, changes, codec)
        document.version = version
        return document

    def close(self, uri: str) -> OpenDocument | None:
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> OpenDocument | None:
        return self._documents.get(uri)

    def by_path(self, path: str) -> OpenDocument | None:
        for document in self._documents.values():
            if document.path == path:
                return document
        return None

    def __iter__(self):
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)
