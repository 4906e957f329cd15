"""`WorkspaceIndex`: every digest and paper-metadata file under the workspace roots.

It owns the crawl (`scan`), the SQLite cache, the open-buffer overrides and
the queries. Writers (scan, buffer and file events) and readers (hover,
completion, workspace symbols, often on worker threads) share one lock; a
query holds it only while it reads the tables. An open buffer overrides its
file on disk; closing it falls back to the disk copy.

`set_open_document` runs on the editor's event loop at every change, so it
only records the new model; the first query after it (usually on a worker
thread) extracts the buffer's record, once per batch of changes. How a scan
turns the files into tables (from the snapshot, by updating it, or from
scratch) is `scanning.Scanner`'s business.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..config import Config
from ..model import Document
from ..parser.document import parse
from . import search
from .search import NameContext
from .crawl import candidate_files, is_unsafe_root, within, wanted
from .names import canonical_id
from .papers import Author, AuthorHit, AuthorOccurrence, Listing, Occurrence, Paper, PaperHit, ScanReport, WorkspaceSymbol
from .records import FileRecord, digest_record
from .scanning import Counts, Scanner, Unusable, put_into, read_text
from .snapshot import StoredFile
from .store import RecordStore
from .tables import Tables

log = logging.getLogger("digest_ls.index")

def _key(path) -> str:
    return os.path.realpath(os.fspath(path))


class WorkspaceIndex:
    def __init__(self, roots: list[Path], config: Config, cache_dir: Path | None = None):
        self.config = config
        self._roots = [Path(root).resolve() for root in roots]
        self._unsafe = [root for root in self._roots if is_unsafe_root(root)]
        self._safe_roots = [root for root in self._roots if root not in self._unsafe]
        self._store = RecordStore(cache_dir, self._safe_roots)
        self._scanner = Scanner(self._store)
        self._lock = threading.RLock()
        self._tables = Tables()
        self._lists = search.SearchLists()
        self._disk: dict[str, FileRecord | StoredFile] = {}  # what the files on disk hold
        self._open: dict[str, Document] = {}
        self._pending: dict[str, Document] = {}  # open buffers whose record is not extracted yet
        self._buffer_records: dict[str, dict] = {}  # per open buffer: entry block -> its record, kept between edits
        self._unsafe_reported = False

    @property
    def roots(self) -> list[Path]:
        return list(self._safe_roots)

    # --- building ------------------------------------------------------------------

    def scan(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> ScanReport:
        """(Re)index every wanted file under the safe roots; unchanged files come from the cache.

        With a cache, an unchanged workspace (the same files with the same sizes and mtimes as
        the last snapshot) is adopted as it is, lazily; otherwise unchanged files are decoded
        from the cache, the others parsed, and a new snapshot is written and adopted.
        """
        began = time.perf_counter()
        message = None
        if self._unsafe and not self._unsafe_reported:
            self._unsafe_reported = True
            names = ", ".join(str(root) for root in self._unsafe)
            message = (
                f"digest-ls: not indexing {names}: a home folder or filesystem root is too large to crawl; "
                "only open documents are indexed. Open a project folder instead."
            )
            log.warning(message)
        paths = candidate_files(self._safe_roots, self.config, cancel)
        counts = Counts(len(paths))
        cancelled = cancel is not None and cancel()  # the crawl itself may have stopped early
        disk: dict[str, tuple[Path, os.stat_result]] = {}
        for path in paths:
            if cancelled:
                break
            try:
                disk[str(path)] = (path, path.stat())
            except OSError as error:
                log.info("skipping %s: %s", path, error)
                counts.skipped += 1
        if not cancelled:  # (stopped before reading anything, what was indexed stays)
            tables, records, cancelled = self._scanner.run(disk, counts, progress, cancel)
            self._store.checkpoint_soon()
            with self._lock:
                previous = self._tables
                self._tables = tables
                self._disk = records
                self._lists = search.SearchLists()
                self._pending = dict(self._open)  # open buffers override the files just read
                if previous.base is not None and previous.base is not tables.base:
                    previous.base.close()
        with self._lock:
            tables = self._tables_now()
            digests = sum(1 for r in tables.records.values() if r.kind == "digest")
            metadata = sum(1 for r in tables.records.values() if r.kind == "metadata")
            papers = tables.paper_count()
        return ScanReport(
            counts.files, digests, metadata, papers, counts.parsed, counts.from_cache, counts.skipped,
            time.perf_counter() - began, message, cancelled,
        )

    def _put(self, record: FileRecord | StoredFile) -> None:
        put_into(self._tables, record)

    def _accepts(self, key: str) -> bool:
        path = Path(key)
        root = within(path, self._safe_roots)
        return root is not None and wanted(path, root, self.config)

    # --- buffers and file events ---------------------------------------------------------

    def set_open_document(self, path, document: Document) -> None:
        key = _key(path)
        with self._lock:
            self._open[key] = document
            self._pending[key] = document

    def close_document(self, path) -> None:
        key = _key(path)
        with self._lock:
            self._pending.pop(key, None)
            self._buffer_records.pop(key, None)
            if self._open.pop(key, None) is None:
                return
            disk = self._disk.get(key)
            if disk is not None:
                self._put(disk)  # over the buffer's record: only the entries that differ are counted again
            else:
                self._tables.remove(key)
        self.file_changed(key)

    def _tables_now(self) -> Tables:
        """The tables with every pending buffer applied; call with the lock held."""
        if self._pending:
            pending, self._pending = self._pending, {}
            for key, document in pending.items():
                self._put(digest_record(key, document, reuse=self._buffer_records.setdefault(key, {})))
        return self._tables

    def is_open(self, path) -> bool:
        return _key(path) in self._open

    def file_changed(self, path) -> None:
        """A watched file was created or changed on disk; open buffers keep precedence.

        The cache is not written here: the next scan finds the change (size or mtime) and writes
        it into the snapshot it started from, which the cache must keep intact until then.
        """
        key = _key(path)
        if not self._accepts(key):
            return
        try:
            stat = os.stat(key)
        except OSError:
            self.file_deleted(key)
            return
        with self._lock:
            known = self._disk.get(key)
        if known is not None and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            record = known
        else:
            record = self._scanner.read(Path(key), stat)
            if record is None:
                self.file_deleted(key)
                return
        with self._lock:
            self._disk[key] = record
            if key not in self._open:
                self._put(record)

    def file_deleted(self, path) -> None:
        key = _key(path)
        with self._lock:
            self._disk.pop(key, None)
            if key not in self._open:
                self._tables.remove(key)

    def document(self, path) -> Document | None:
        """The open buffer, else the file on disk parsed (None when unreadable or not a digest)."""
        key = _key(path)
        with self._lock:
            document = self._open.get(key)
        if document is not None:
            return document
        try:
            text = read_text(Path(key))
        except Unusable:
            return None
        document = parse(text)
        return document if document.is_digest else None

    def close(self) -> None:
        self._store.close()
        with self._lock:
            if self._tables.base is not None:
                self._tables.base.close()

    # --- queries ---------------------------------------------------------------------------

    def paper(self, paper_id: str) -> Paper | None:
        key = canonical_id(paper_id) or paper_id.strip()
        with self._lock:
            return self._tables_now().paper(key)

    def occurrences(self, paper_id: str) -> tuple[Occurrence, ...]:
        paper = self.paper(paper_id)
        return paper.occurrences if paper is not None else ()

    def listings(self, paper_id: str) -> list[Listing]:
        """Each digest entry and metadata line describing the paper, as written there; the most recent day first."""
        key = canonical_id(paper_id) or paper_id.strip()
        with self._lock:
            return self._tables_now().listings(key)

    def search_papers(self, query: str, limit: int) -> tuple[list[PaperHit], bool]:
        with self._lock:
            return search.search_papers(self._tables_now(), self._lists, query, limit)

    def search_authors(self, query: str, limit: int, context: NameContext | None = None) -> tuple[list[AuthorHit], bool]:
        """Names matching `query`, ranked for where it is typed (`context`: the paper, digest, category)."""
        context = context and replace(context, path=_key(context.path) if context.path else None)
        with self._lock:
            return search.search_authors(self._tables_now(), self._lists, query, limit, context)

    def author(self, name: str) -> Author | None:
        with self._lock:
            return self._tables_now().author(name)

    def papers_by_author(self, name: str) -> list[Paper]:
        with self._lock:
            author = self._tables_now().author(name)
            if author is None:
                return []
            return [self._tables_now().paper(paper_id) for paper_id in author.papers]

    def author_occurrences(self, name: str) -> list[AuthorOccurrence]:
        with self._lock:
            return self._tables_now().author_occurrences(name)

    def category_count(self, category: str) -> int:
        with self._lock:
            return len(self._tables_now().category_papers.get(category, ()))

    def workspace_symbols(self, query: str, limit: int) -> tuple[list[WorkspaceSymbol], int]:
        """Entries matching the query, the open documents' papers first; and how many more papers matched."""
        with self._lock:
            return search.workspace_symbols(self._tables_now(), self._lists, query, limit, set(self._open))

    def digest_paths(self) -> list[str]:
        with self._lock:
            return sorted(path for path, record in self._tables_now().records.items() if record.kind == "digest")

    def metadata_paths(self) -> list[str]:
        with self._lock:
            return sorted(path for path, record in self._tables_now().records.items() if record.kind == "metadata")
