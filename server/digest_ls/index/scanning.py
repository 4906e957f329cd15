"""How a scan turns the files of the workspace into tables, reading as little as it can.

`Scanner.run` takes the stat of every wanted file and picks one of three ways:

- adopt: the cache's snapshot describes exactly these files (same sizes and
  mtimes): lazy tables over it, nothing read or decoded (a warm restart);
- update: the snapshot describes an earlier state: lazy tables over it, then
  only the changed files are read and put, and the changes are written back
  into the snapshot in one transaction, which is then adopted afresh;
- build: no usable snapshot: every file is decoded from its cache rows (when
  its size and mtime match) or parsed, counted into a new snapshot and saved
  as it goes, then the snapshot is adopted. Without a cache (or when SQLite
  refuses) the tables are built in memory instead. With a cache and enough
  to read (a year of digests), worker processes read and parse the files and
  send back what is stored and counted of each (`Extract`), in order, while
  this process counts and saves; the result is the same as reading here.

It also owns reading a file (`read_text`, `read_record`): through the command
line's reader (`files.read_text`, one byte order mark policy), a size limit,
a bad file logged once per version of it.
"""

from __future__ import annotations

import gc
import logging
import os
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import files
from ..gcpause import collector_paused
from ..parser.document import parse
from .records import Extract, FileRecord, digest_record, item_rows, metadata_records
from .snapshot import Snapshot, SnapshotBuilder, StoredFile, changed_rows, decode_items, stored_files
from .store import UNUSABLE, RecordStore
from .tables import Tables, counted

log = logging.getLogger("digest_ls.index")

MAX_FILE_BYTES = 20 * 1024 * 1024
INDEXED_KINDS = ("digest", "metadata")
SAVE_BATCH = 16  # files per cache transaction during a build
# To read in a build: below this, starting worker processes costs more than they save (measured
# on two cores: the dev corpus, 38 MB, is read faster here; a year of digests, 320 MB, not).
PARALLEL_BYTES = 64_000_000
AHEAD = 4  # files a worker may read ahead of the counting

Disk = dict[str, tuple[Path, os.stat_result]]  # key -> (path, stat) of every wanted file


class Counts:
    """What a scan reports, counted as it goes."""

    def __init__(self, files: int):
        self.files = files
        self.parsed = self.from_cache = self.skipped = 0


def put_into(tables: Tables, record: FileRecord | StoredFile) -> None:
    """A file's record into the tables; a file that is neither digest nor metadata leaves them."""
    if record.kind in INDEXED_KINDS:
        tables.put(record)
    else:
        tables.remove(record.path)


def release_freed_memory() -> None:
    """Hand the heap a build freed back to the system (glibc keeps it otherwise); a no-op elsewhere.

    A build parses the whole workspace and keeps a fraction of it: without this, the server
    would go on holding tens of megabytes of freed parser garbage for the rest of the session.
    """
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except Exception:  # not glibc (macOS, Windows, musl): nothing to do
        return
    trim(0)


def _versions(disk: Disk) -> dict[str, tuple[int, int]]:
    return {key: (stat.st_size, stat.st_mtime_ns) for key, (_, stat) in disk.items()}


class Scanner:
    def __init__(self, store: RecordStore):
        self.store = store
        self._reported: set[tuple[str, int, int]] = set()  # bad files already logged

    def run(self, disk: Disk, counts: Counts, progress, cancel) -> tuple[Tables, dict, bool]:
        """(tables, records of the files on disk by key, cancelled)."""
        snapshot = Snapshot.open(self.store.path) if self.store.enabled else None
        if snapshot is not None and snapshot.matches(_versions(disk)):
            tables, records = self._adopt(snapshot, counts)
            if progress is not None:
                progress(len(disk), len(disk))
            return tables, records, False
        if snapshot is not None and snapshot.valid:
            return self._update(snapshot, disk, counts, progress, cancel)
        rows = dict(snapshot.files) if snapshot is not None else {}
        if snapshot is not None:
            snapshot.close()
        built = self._build(disk, rows, counts, progress, cancel)
        release_freed_memory()
        return built

    def _adopt(self, snapshot: Snapshot, counts: Counts) -> tuple[Tables, dict]:
        """Lazy tables over a snapshot that matches the workspace: nothing is decoded yet."""
        tables = Tables(snapshot)
        tables.name_changes.update(snapshot.json_blob("names.changed", []))
        records = stored_files(snapshot)
        for path, record in records.items():
            if record.kind in INDEXED_KINDS:
                tables.records[path] = record
        counts.from_cache += len(records)
        counts.skipped += len(snapshot.files) - len(records)
        return tables, records

    def _update(self, snapshot: Snapshot, disk: Disk, counts: Counts, progress, cancel) -> tuple[Tables, dict, bool]:
        """Lazy tables over a valid snapshot of an earlier state, then the files changed since.

        Only changed files are read; what they changed is written back to the snapshot, which
        is then adopted afresh. If that write fails, these tables (over the old snapshot,
        changes in memory) serve the session, and the next scan tries again.
        """
        tables, records = self._adopt(snapshot, Counts(0))
        changed: list[Extract] = []
        stopped: list[bool] = []
        for key, path, stat in _visit(disk, progress, cancel, stopped):
            row = snapshot.files.get(key)
            if _current(row, stat):
                if row[0] == UNUSABLE:
                    counts.skipped += 1
                else:
                    counts.from_cache += 1
                continue
            record = self._parsed(self.read(path, stat), counts)
            if record is None:
                changed.append(Extract(key, UNUSABLE, stat.st_size, stat.st_mtime_ns))
                records.pop(key, None)
                tables.remove(key)
                continue
            changed.append(extract(record))
            records[key] = record
            put_into(tables, record)
        cancelled = bool(stopped)
        gone = [path for path in snapshot.files if path not in disk] if not cancelled else []
        for path in gone:
            records.pop(path, None)
            tables.remove(path)
        if cancelled:
            return tables, records, True
        authors, blobs = changed_rows(tables, snapshot)
        if self.store.write_changes(snapshot.hash, changed, gone, authors, blobs):
            fresh = Snapshot.open(self.store.path)
            if fresh is not None and fresh.matches(_versions(disk)):
                snapshot.close()
                return (*self._adopt(fresh, Counts(0)), False)
            if fresh is not None:
                fresh.close()
        return tables, records, False

    def _build(self, disk: Disk, rows: dict, counts: Counts, progress, cancel) -> tuple[Tables, dict, bool]:
        """Read every file (from the cache rows still valid, else from disk) and index it.

        With a cache, files are read and extracted by worker processes when there is enough to
        read (`extracts`), counted into a snapshot, saved, and dropped as they go, so the text of
        the workspace is never all in memory; the new snapshot is then adopted. Without one (or
        when it cannot be written, or the scan is cancelled) the tables are built in memory.
        """
        store = self.store
        builder = SnapshotBuilder(Tables()) if store.enabled else None
        tables = Tables()
        records: dict[str, FileRecord] = {}
        batch: list[Extract] = []
        saved = True  # every batch made it into the cache
        stopped: list[bool] = []
        unread = [(path, stat) for key, (path, stat) in disk.items() if not _current(rows.get(key), stat)]
        with extracts(unread if builder is not None else []) as extracted, collector_paused():
            for key, path, stat in _visit(disk, progress, cancel, stopped):
                row = rows.get(key)
                if builder is not None and not _current(row, stat):
                    found = self._extracted(next(extracted), key, path, stat, counts)
                    batch.append(found)
                    if len(batch) >= SAVE_BATCH:
                        saved = store.save(batch) and saved
                        batch.clear()
                    kind, reads = found.kind, found.reads
                else:
                    if _current(row, stat):
                        record = self._cached(key, row[0], stat, counts)
                    else:
                        record = self._parsed(self.read(path, stat), counts)
                    if record is None:
                        continue
                    if builder is None:
                        records[key] = record
                        if record.kind in INDEXED_KINDS:
                            tables.put(record)
                        continue
                    kind, reads = record.kind, _reads(record)
                if kind == UNUSABLE:
                    continue
                if kind in INDEXED_KINDS:
                    builder.add(key, reads)
                records[key] = FileRecord(key, kind, stat.st_size, stat.st_mtime_ns)  # a stub: its items are in the cache
        cancelled = bool(stopped)
        if builder is None:
            return tables, records, cancelled
        saved = store.save(batch) and saved
        if saved and not cancelled:
            store.forget([path for path in rows if path not in disk])
            if store.write_snapshot(builder.authors(), builder.blobs()):
                snapshot = Snapshot.open(store.path)
                if snapshot is not None and snapshot.matches(_versions(disk)):
                    return (*self._adopt(snapshot, Counts(0)), False)
                if snapshot is not None:
                    snapshot.close()
        # No snapshot to lean on: the same records again, in memory (from the cache when it has them).
        tables = Tables()
        kept: dict[str, FileRecord] = {}
        for key, stub in records.items():
            if stub.kind not in INDEXED_KINDS:
                record = stub
            elif saved:
                record = FileRecord(key, stub.kind, stub.size, stub.mtime_ns, *decode_items(store.read_file(key)))
            else:
                record = self.read(*disk[key]) or stub
            kept[key] = record
            put_into(tables, record)
        return tables, kept, cancelled

    def _cached(self, key: str, kind: str, stat, counts: Counts) -> FileRecord | None:
        """The record of a file whose cache row is current (None for a file remembered as unusable)."""
        if kind == UNUSABLE:
            counts.skipped += 1
            return None
        counts.from_cache += 1
        items = decode_items(self.store.read_file(key)) if kind in INDEXED_KINDS else ((), ())
        return FileRecord(key, kind, stat.st_size, stat.st_mtime_ns, *items)

    def _extracted(self, found: Extract | str, key: str, path: Path, stat: os.stat_result, counts: Counts) -> Extract:
        """What a worker read of a file; an unusable file's message is logged, and the file remembered as unusable."""
        if isinstance(found, Extract):
            counts.parsed += 1
            return found
        self._unusable(path, stat, found)
        counts.skipped += 1
        return Extract(key, UNUSABLE, stat.st_size, stat.st_mtime_ns)

    @staticmethod
    def _parsed(record: FileRecord | None, counts: Counts) -> FileRecord | None:
        if record is None:
            counts.skipped += 1
        else:
            counts.parsed += 1
        return record

    def read(self, path: Path, stat: os.stat_result) -> FileRecord | None:
        """Read one file; a bad file is logged once per version of it, not on every scan."""
        try:
            return read_record(path, stat.st_size, stat.st_mtime_ns)
        except Unusable as error:
            self._unusable(path, stat, str(error))
            return None

    def _unusable(self, path: Path, stat: os.stat_result, message: str) -> None:
        version = (str(path), stat.st_size, stat.st_mtime_ns)
        if version not in self._reported:
            self._reported.add(version)
            log.info("%s", message)


def _visit(disk: Disk, progress, cancel, stopped: list[bool]) -> Iterator[tuple[str, Path, os.stat_result]]:
    """The files on disk in order, each reported to `progress` before its turn, the end too.

    When `cancel` says so, it stops and notes it in `stopped`.
    """
    for done, (key, (path, stat)) in enumerate(disk.items()):
        if cancel is not None and cancel():
            stopped.append(True)
            return
        if progress is not None:
            progress(done, len(disk))
        yield key, path, stat
    if progress is not None:
        progress(len(disk), len(disk))


def _current(row, stat: os.stat_result) -> bool:
    """Whether a file's cache row is for this version of it (same size and mtime)."""
    return row is not None and row[1] == stat.st_size and row[2] == stat.st_mtime_ns


def extract(record: FileRecord) -> Extract:
    """A record as a build stores and counts it."""
    if record.kind not in INDEXED_KINDS:
        return Extract(record.path, record.kind, record.size, record.mtime_ns)
    return Extract(record.path, record.kind, record.size, record.mtime_ns, item_rows(record), _reads(record))


def _reads(record: FileRecord) -> tuple[tuple, ...]:
    return tuple(map(counted, (*record.entries, *record.metadata)))


# --- reading files ---------------------------------------------------------------------------


class Unusable(Exception):
    """A file the index skips; the message names it and says why."""


def read_text(path: Path) -> str:
    """The file as the command line reads it (`files.read_text`: UTF-8, no byte order mark), up to a size limit."""
    try:
        return files.read_text(path, MAX_FILE_BYTES)
    except files.FileError as error:
        raise Unusable(str(error)) from None


def read_record(path: Path, size: int, mtime_ns: int) -> FileRecord:
    """Read and extract one file; raises Unusable."""
    text = read_text(path)
    key = str(path)
    if path.suffix.lower() == ".md":
        return digest_record(key, parse(text), size, mtime_ns)
    records = metadata_records(text)
    if records is None:
        return FileRecord(key, "other", size, mtime_ns)
    return FileRecord(key, "metadata", size, mtime_ns, metadata=records)



def read_extract(path: str, size: int, mtime_ns: int) -> Extract | str:
    """One file read and extracted (in a worker process, for a build); the reason as text when it is unusable."""
    try:
        return extract(read_record(Path(path), size, mtime_ns))
    except Unusable as error:
        return str(error)


@contextmanager
def extracts(files: list[tuple[Path, os.stat_result]]) -> Iterator[Iterator[Extract | str]]:
    """`read_extract` of each file, in order: by worker processes when there is enough to read.

    Parsing is most of a cold scan and each file is parsed on its own, so the workers share it
    while this process counts and saves what they send back: extracts, not records, because
    unpickling a file's records costs as much as parsing it. At most `AHEAD` files per worker
    are read ahead of the counting, so what waits in memory stays a few files' worth.
    """
    jobs = [(str(path), stat.st_size, stat.st_mtime_ns) for path, stat in files]
    workers = min(worker_count(), len(jobs)) if sum(job[1] for job in jobs) >= PARALLEL_BYTES else 1
    if workers <= 1:
        yield (read_extract(*job) for job in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Not forked: the server has threads (and their locks) a forked child would copy mid-use.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_started)
    finished: list[bool] = []
    try:
        yield _in_order(pool, jobs, workers * AHEAD, finished)
    finally:
        # Idle workers exit at once; a cancelled scan does not wait for the files they are on.
        pool.shutdown(wait=bool(finished), cancel_futures=True)


def _in_order(pool, jobs: list[tuple[str, int, int]], ahead: int, finished: list[bool]) -> Iterator[Extract | str]:
    queued = deque(jobs)  # not given to the pool yet
    waiting: deque = deque()  # (job, future), in order
    try:
        while queued or waiting:
            while queued and len(waiting) < ahead:
                waiting.append((queued[0], pool.submit(read_extract, *queued[0])))
                queued.popleft()
            found = waiting[0][1].result()
            waiting.popleft()
            if not queued and not waiting:
                finished.append(True)  # (before the last yield: the caller need not ask past it)
            yield found
    except Exception as error:  # no workers (cannot start, killed, out of memory): this process reads the rest
        log.warning("index worker processes failed (%s); reading in the server instead", error)
        finished.append(True)
        for job in (*(job for job, _ in waiting), *queued):
            yield read_extract(*job)


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _worker_started() -> None:
    # What a worker builds is acyclic (models, records, JSON values) and freed by reference
    # counting; the collector would only rescan it.
    gc.disable()
    # A worker inherits the server's standard output, which is the protocol's pipe: a stray
    # print there would corrupt it. Its output goes where the server's log goes instead.
    try:
        os.dup2(2, 1)
    except OSError:
        pass
