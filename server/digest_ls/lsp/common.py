"""What every handler needs: the per-feature exception guard, the open-digest lookup, locations on disk.

A feature that fails on a half-typed document must not pop up an error in
the editor: `guarded` logs the traceback (stderr, log file and
`window/logMessage`) and answers the method's empty result instead.

The workspace index and the features (with fuzzy matching) take longer to
import than everything else the server needs to answer `initialize`: the
handlers import them inside the functions that use them, so they load when
first needed (the index on its own thread, at `initialized`). The parser
and the linter, which the first didOpen needs, right after `initialize` is
answered (`lifecycle.preload`).
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pygls.uris import from_fs_path, to_fs_path

from ..files import FileError, read_text
from ..source import split_lines
from .convert import TextView
from .documents import OpenDocument

if TYPE_CHECKING:
    from pygls.workspace import Workspace

    from .session import Session

logger = logging.getLogger("digest_ls.lsp")


def guarded(empty: Any = None) -> Callable:
    """Run a handler; on an exception log it and return `empty` (a value or a zero-argument factory)."""

    def decorate(handler: Callable) -> Callable:
        def fallback():
            return empty() if callable(empty) else empty

        if inspect.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(*arguments):
                try:
                    return await handler(*arguments)
                except Exception:
                    logger.exception("%s failed", handler.__name__)
                    return fallback()

            return run_async

        @functools.wraps(handler)
        def run(*arguments):
            try:
                return handler(*arguments)
            except Exception:
                logger.exception("%s failed", handler.__name__)
                return fallback()

        return run

    return decorate


def open_digest(session: "Session", uri: str) -> tuple[OpenDocument, TextView] | None:
    """The open buffer at `uri` and its view, or None when it is not open or not a digest."""
    document = session.documents.get(uri)
    if document is None or not document.model.is_digest:
        return None
    return document, document.view(session.codec)


def open_digest_at(session: "Session", params) -> tuple[OpenDocument, TextView, int, int] | None:
    """As `open_digest`, with the request's position converted to code points."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return None
    document, view = found
    line, col = view.from_position(params.position)
    return document, view, line, col


def path_to_uri(path: str) -> str:
    return from_fs_path(path) or f"file://{path}"


def locator(session: "Session") -> Callable[[str], tuple[str, TextView] | None]:
    """path -> (uri, view): the open buffer when there is one, else the file on disk."""

    def locate(path: str):
        open_document = session.documents.by_path(path)
        if open_document is not None:
            return open_document.uri, open_document.view(session.codec)
        on_disk = disk_lines(path)
        if on_disk is None:
            return None
        lines, eols = on_disk
        return path_to_uri(path), TextView(lines, session.codec, eols)

    return locate


_DISK_LINES: "OrderedDict[str, tuple[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]]]" = OrderedDict()
_DISK_LINES_KEPT = 16


def disk_lines(path: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The lines of a file on disk and their terminators, kept while its size and mtime stay the same.

    Converting a location only needs the lines (not a parse), and workspace
    symbols or references may point into the same large files again and again.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_size, stat.st_mtime_ns)
    cached = _DISK_LINES.get(path)
    if cached is not None and cached[0] == key:
        _DISK_LINES.move_to_end(path)
        return cached[1]
    try:
        lines, eols = split_lines(read_text(Path(path)))  # the reader the index used, so its columns match
    except FileError:
        return None
    found = _DISK_LINES[path] = (key, (tuple(lines), tuple(eols)))
    while len(_DISK_LINES) > _DISK_LINES_KEPT:
        _DISK_LINES.popitem(last=False)
    return found[1]


def workspace_folder_paths(workspace: "Workspace") -> list[str]:
    """The workspace folders (or the root) as resolved local paths."""
    paths: list[str] = []
    for folder in workspace.folders.values():
        path = to_fs_path(folder.uri)
        if path:
            paths.append(os.path.realpath(path))
    if not paths and workspace.root_path:
        paths.append(os.path.realpath(workspace.root_path))
    return paths
