"""The workspace index in the server: built off the event loop, kept current by buffers and watchers.

At `initialized` the index is imported, built and scanned on a thread of
its own, so the first diagnostics of an open document never wait for it
(they cannot avoid sharing the interpreter with it); `$/progress` reports
files done/total only when the client supports work-done progress. Until
the scan ends `ls.index` is None and features work on the document alone.
Then open buffers override their files on disk, watched-file events keep
it current, and `ls.index_generation` moves so cached diagnostics
(D401/D402 read the index) are recomputed.

The cache lives in `$DIGEST_LS_CACHE_DIR`, else `$XDG_CACHE_HOME/digest-ls`,
else `~/.cache/digest-ls`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from . import memory
from .common import guarded, lazy_module, workspace_folder_paths
from .documents import OpenDocument, uri_to_path
from .sync import CONFIG_FILE_NAMES

workspace_index = lazy_module("digest_ls.index.workspace")

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)

WATCHED_GLOBS = ("**/*.md", "**/*.jsonl", "**/pyproject.toml", "**/.digest-ls.toml")
_PROGRESS_STEP = 5  # percent between two `$/progress` reports


def cache_dir() -> Path:
    configured = os.environ.get("DIGEST_LS_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "digest-ls"


class IndexService:
    def __init__(self, ls: "DigestServer"):
        self.ls = ls
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._token: str | None = None

    # --- building ------------------------------------------------------------------------

    async def start(self) -> None:
        roots = workspace_folder_paths(self.ls)
        if not roots:
            logger.info("no workspace folder: the index stays empty")
            return
        config = self.ls.settings.config_for(None, roots[0])
        self._stop = stop = threading.Event()
        if self.ls.flags.work_done_progress:
            await self._begin_progress()
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(
            target=self._scan, args=([Path(root) for root in roots], config, loop, stop), name="digest-ls-index",
            daemon=True,
        )
        self._thread.start()

    async def restart(self) -> None:
        """The workspace folders changed: drop the index and scan the new roots."""
        try:
            self.close()
            self.ls.index = None
            memory.thaw()  # the old index may hold cycles: the collector must see it to free it
            self.ls.index_generation += 1
            await self.start()
        except Exception:
            logger.exception("re-indexing the workspace failed")

    async def _begin_progress(self) -> None:
        token = f"digest-ls-index-{uuid.uuid4()}"
        try:
            await self.ls.work_done_progress.create_async(token)
        except Exception:
            logger.info("the client refused a progress token; indexing silently")
            return
        self._token = token
        self.ls.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="digest-ls: indexing", percentage=0, cancellable=True)
        )

    def _cancelled_by_user(self) -> bool:
        future = self.ls.work_done_progress.tokens.get(self._token) if self._token else None
        return bool(future is not None and future.cancelled())

    def _scan(self, roots: list[Path], config, loop: asyncio.AbstractEventLoop, stop: threading.Event) -> None:
        """On the index thread: import the index (a first didOpen need not wait for that), build it, scan."""
        last = [-_PROGRESS_STEP]

        def progress(done: int, total: int) -> None:
            percent = int(done * 100 / total) if total else 100
            if self._token and (percent - last[0] >= _PROGRESS_STEP or done == total):
                last[0] = percent
                report = types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=percent)
                loop.call_soon_threadsafe(self.ls.work_done_progress.report, self._token, report)

        index = report = None
        try:
            index = workspace_index.WorkspaceIndex(roots, config, cache_dir=cache_dir())
            report = index.scan(progress=progress, cancel=lambda: stop.is_set() or self._cancelled_by_user())
        except Exception:
            logger.exception("indexing the workspace failed")
            report = None
        if stop.is_set():
            if index is not None:
                index.close()  # shut down or replaced while scanning
        else:
            loop.call_soon_threadsafe(self._finished, index, report)

    def _finished(self, index, report) -> None:
        if self._token:
            if report is None:
                message = "failed"
            else:
                message = f"{report.papers} papers in {report.digests} digests"
                if getattr(report, "cancelled", False):
                    message += " (cancelled: the index is partial)"
            self.ls.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))
            self._token = None
        if report is None:
            return
        if report.message:
            self.ls.show_warning(report.message)
        logger.info(
            "indexed %d files (%d digests, %d papers; %d from cache) in %.2fs",
            report.files, report.digests, report.papers, report.from_cache, report.seconds,
        )
        for document in self.ls.documents:
            if document.path:
                index.set_open_document(document.path, document.model)
        self.ls.index = index
        self.ls.index_generation += 1
        memory.freeze()  # the index is built and stays
        self.ls.diagnostics.refresh()

    def close(self, notify: bool = True) -> None:
        """Stop the scan and close the cache; `notify` False when the client is gone."""
        self._stop.set()
        if self._token and notify:  # a scan stopped halfway still closes its progress bar
            token, self._token = self._token, None
            try:
                self.ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message="stopped"))
            except Exception:
                logger.debug("could not end the indexing progress", exc_info=True)
        if self.ls.index is not None:
            try:
                self.ls.index.close()
            except Exception:
                logger.exception("closing the index failed")

    # --- keeping it current ----------------------------------------------------------------

    def buffer_changed(self, document: OpenDocument) -> None:
        if self.ls.index is not None and document.path:
            self.ls.index.set_open_document(document.path, document.model)

    def buffer_closed(self, document: OpenDocument) -> None:
        if self.ls.index is not None and document.path:
            self.ls.index.close_document(document.path)

    def files_changed(self, changes) -> None:
        settings_changed = False
        index = self.ls.index
        for change in changes:
            path = uri_to_path(change.uri)
            if path is None:
                continue
            if path.endswith(CONFIG_FILE_NAMES):
                settings_changed = True
                continue
            if index is None:
                continue
            if change.type == types.FileChangeType.Deleted:
                index.file_deleted(path)
            else:
                index.file_changed(path)
        if settings_changed:
            self.ls.settings.invalidate_files()
        self.ls.index_generation += 1
        self.ls.diagnostics.refresh()

    def register_watchers(self) -> None:
        """Ask the client to watch digests, JSONL and configuration files (not awaited: the index never waits)."""
        if not self.ls.flags.watch_files_dynamic:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        )
        registration = types.Registration(
            id=f"digest-ls-watch-{uuid.uuid4()}", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        answer = self.ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
        answer.add_done_callback(_log_refusal)


def _log_refusal(answer) -> None:
    if not answer.cancelled() and answer.exception() is not None:
        logger.info("the client did not accept file watchers: %s", answer.exception())


@guarded()
def workspace_did_change_workspace_folders(ls: "DigestServer", params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Called when a folder is added to or removed from the workspace (pygls updates its list first)."""
    asyncio.ensure_future(ls.indexing.restart())


@guarded()
def workspace_did_change_watched_files(ls: "DigestServer", params: types.DidChangeWatchedFilesParams) -> None:
    """Called when a watched digest, JSONL or configuration file changes on disk."""
    ls.indexing.files_changed(params.changes)


def register(server) -> None:
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(workspace_did_change_watched_files)
    server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(workspace_did_change_workspace_folders)
