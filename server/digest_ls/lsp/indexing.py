"""The workspace index in the server: built off the event loop, kept current by watchers.

At `initialized` the index is imported, built and scanned on a thread of
its own, so the first diagnostics of an open document never wait for it
(they cannot avoid sharing the interpreter with it); `$/progress` reports
files done/total only when the client supports work-done progress. Until
the scan ends the session's `workspace_index` is None: the features read
an index of the open buffers, the diagnostics are the document's alone.
The finished index is handed to the session (`Session.adopt_index`), which
puts the open buffers over their files and lets the diagnostics service
know; watched-file events go to the index and then `Session.index_changed`.

The cache lives in `$DIGEST_LS_CACHE_DIR`, else `$XDG_CACHE_HOME/digest-ls`,
else `~/.cache/digest-ls`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from . import memory
from .common import guarded, workspace_folder_paths
from .documents import uri_to_path
from .session import Session
from .sync import CONFIG_FILE_NAMES

if TYPE_CHECKING:
    from ..index import ScanReport, WorkspaceIndex
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
    def __init__(self, session: Session, client: LanguageServer):
        self.session = session
        self._client = client  # for progress reports and the watcher registration
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._token: str | None = None

    # --- building ------------------------------------------------------------------------

    async def start(self) -> None:
        roots = self.session.folders
        if not roots:
            logger.info("no workspace folder: only the open buffers are indexed")
            return
        config = self.session.config_for(None)
        self._stop = stop = threading.Event()
        if self.session.flags.work_done_progress:
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
            self.session.adopt_index(None, "the workspace folders changed")
            memory.thaw()  # the old index may hold cycles: the collector must see it to free it
            await self.start()
        except Exception:
            logger.exception("re-indexing the workspace failed")

    async def _begin_progress(self) -> None:
        token = f"digest-ls-index-{uuid.uuid4()}"
        try:
            await self._client.work_done_progress.create_async(token)
        except Exception:
            logger.info("the client refused a progress token; indexing silently")
            return
        self._token = token
        self._client.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="digest-ls: indexing", percentage=0, cancellable=True)
        )

    def _cancelled_by_user(self) -> bool:
        future = self._client.work_done_progress.tokens.get(self._token) if self._token else None
        return bool(future is not None and future.cancelled())

    def _scan(self, roots: list[Path], config, loop: asyncio.AbstractEventLoop, stop: threading.Event) -> None:
        """On the index thread: import the index (a first didOpen need not wait for that), build it, scan."""
        from ..index import WorkspaceIndex  # here, on this thread: see the module docstring

        last = [-_PROGRESS_STEP]

        def progress(done: int, total: int) -> None:
            percent = int(done * 100 / total) if total else 100
            if self._token and (percent - last[0] >= _PROGRESS_STEP or done == total):
                last[0] = percent
                report = types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=percent)
                loop.call_soon_threadsafe(self._client.work_done_progress.report, self._token, report)

        index = report = None
        try:
            index = WorkspaceIndex(roots, config, cache_dir=cache_dir())
            report = index.scan(progress=progress, cancel=lambda: stop.is_set() or self._cancelled_by_user())
        except Exception:
            logger.exception("indexing the workspace failed")
            report = None
        if stop.is_set():
            if index is not None:
                index.close()  # shut down or replaced while scanning
        else:
            loop.call_soon_threadsafe(self._finished, index, report)

    def _finished(self, index: WorkspaceIndex | None, report: ScanReport | None) -> None:
        if self._token:
            if report is None:
                message = "failed"
            else:
                message = f"{report.papers} papers in {report.digests} digests"
                if getattr(report, "cancelled", False):
                    message += " (cancelled: the index is partial)"
            self._client.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))
            self._token = None
        if index is None or report is None:
            return
        if report.message:
            self.session.warn(report.message)
        logger.info(
            "indexed %d files (%d digests, %d papers; %d from cache) in %.2fs",
            report.files, report.digests, report.papers, report.from_cache, report.seconds,
        )
        memory.freeze()  # the index is built and stays
        self.session.adopt_index(index, "the workspace index is built")

    def close(self, notify: bool = True) -> None:
        """Stop the scan and close the cache; `notify` False when the client is gone."""
        self._stop.set()
        if self._token and notify:  # a scan stopped halfway still closes its progress bar
            token, self._token = self._token, None
            try:
                self._client.work_done_progress.end(token, types.WorkDoneProgressEnd(message="stopped"))
            except Exception:
                logger.debug("could not end the indexing progress", exc_info=True)
        if self.session.workspace_index is not None:
            try:
                self.session.workspace_index.close()
            except Exception:
                logger.exception("closing the index failed")

    # --- keeping it current ----------------------------------------------------------------

    def files_changed(self, changes) -> None:
        settings_changed = False
        index = self.session.workspace_index
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
            self.session.settings.invalidate_files()
        # One event for both: the refresh it causes re-reads the settings too.
        self.session.index_changed("watched files changed")

    def register_watchers(self) -> None:
        """Ask the client to watch digests, JSONL and configuration files (not awaited: the index never waits)."""
        if not self.session.flags.watch_files_dynamic:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        )
        registration = types.Registration(
            id=f"digest-ls-watch-{uuid.uuid4()}", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        answer = self._client.client_register_capability(types.RegistrationParams(registrations=[registration]))
        answer.add_done_callback(_log_refusal)


def _log_refusal(answer) -> None:
    if not answer.cancelled() and answer.exception() is not None:
        logger.info("the client did not accept file watchers: %s", answer.exception())


@guarded()
def workspace_did_change_workspace_folders(ls: "DigestServer", params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Called when a folder is added to or removed from the workspace (pygls updates its list first)."""
    ls.session.folders = workspace_folder_paths(ls.workspace)
    asyncio.ensure_future(ls.indexing.restart())


@guarded()
def workspace_did_change_watched_files(indexing: IndexService, params: types.DidChangeWatchedFilesParams) -> None:
    """Called when a watched digest, JSONL or configuration file changes on disk."""
    indexing.files_changed(params.changes)


def register(server: "DigestServer") -> None:
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(partial(workspace_did_change_watched_files, server.indexing))
    server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(workspace_did_change_workspace_folders)
