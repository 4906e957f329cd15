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
  refuses) the tables are built in memory instead.

It also owns reading a file (`read_text`, `read_record`): through the command
line's reader (`files.read_text`, one byte order mark policy), a size limit,
a bad file logged once per version of it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .. import files
from ..parser.document import parse
from .records import FileRecord, digest_record, metadata_records
from .snapshot import Snapshot, SnapshotBuilder, StoredFile, changed_rows, decode_items, stored_files
from .store import UNUSABLE, RecordStore
from .tables import Tables

log = logging.getLogger("digest_ls.index")

MAX_FILE_BYTES = 20 * 1024 * 1024
INDEXED_KINDS = ("digest", "metadata")
SAVE_BATCH = 16  # files per cache transaction during a build

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
        changed: list[FileRecord] = []
        cancelled = False
        for done, (key, (path, stat)) in enumerate(disk.items()):
            if cancel is not None and cancel():
                cancelled = True
                break
            if progress is not None:
                progress(done, len(disk))
            row = snapshot.files.get(key)
            if row is not None and row[1] == stat.st_size and row[2] == stat.st_mtime_ns:
                if row[0] == UNUSABLE:
                    counts.skipped += 1
                else:
                    counts.from_cache += 1
                continue
            record = self._cached_or_read(key, path, stat, None, counts, changed)
            if record is None:
                records.pop(key, None)
                tables.remove(key)
                continue
            records[key] = record
            put_into(tables, record)
        gone = [path for path in snapshot.files if path not in disk] if not cancelled else []
        for path in gone:
            records.pop(path, None)
            tables.remove(path)
        if progress is not None and not cancelled:
            progress(len(disk), len(disk))
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

        With a cache, records are counted into a snapshot, saved, and dropped as they go, so the
        text of the workspace is never all in memory; the new snapshot is then adopted. Without
        one (or when it cannot be written, or the scan is cancelled) the tables are built in memory.
        """
        store = self.store
        builder = SnapshotBuilder(Tables()) if store.enabled else None
        tables = Tables()
        records: dict[str, FileRecord] = {}
        batch: list[FileRecord] | None = [] if builder is not None else None
        saved = True  # every batch made it into the cache
        cancelled = False
        for done, (key, (path, stat)) in enumerate(disk.items()):
            if cancel is not None and cancel():
                cancelled = True
                break
            if progress is not None:
                progress(done, len(disk))
            record = self._cached_or_read(key, path, stat, rows.get(key), counts, batch)
            if record is None:
                continue
            if builder is not None:
                builder.add(record)
                records[key] = FileRecord(key, record.kind, record.size, record.mtime_ns)  # a stub for now
            else:
                records[key] = record
                if record.kind in INDEXED_KINDS:
                    tables.put(record)
            if batch is not None and len(batch) >= SAVE_BATCH:
                saved = store.save(batch) and saved
                batch.clear()
        if progress is not None and not cancelled:
            progress(len(disk), len(disk))
        if builder is None or batch is None:
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

    def _cached_or_read(self, key: str, path: Path, stat, row, counts: Counts, batch: list | None) -> FileRecord | None:
        """The file's record: from its cache row when size and mtime match, else read (and added to `batch`)."""
        if row is not None and row[1] == stat.st_size and row[2] == stat.st_mtime_ns:
            kind = row[0]
            if kind == UNUSABLE:
                counts.skipped += 1
                return None
            counts.from_cache += 1
            items = decode_items(self.store.read_file(key)) if kind in INDEXED_KINDS else ((), ())
            return FileRecord(key, kind, stat.st_size, stat.st_mtime_ns, *items)
        record = self.read(path, stat)
        if record is None:
            counts.skipped += 1
            if batch is not None:
                batch.append(FileRecord(key, UNUSABLE, stat.st_size, stat.st_mtime_ns))
            return None
        counts.parsed += 1
        if batch is not None:
            batch.append(record)
        return record

    def read(self, path: Path, stat: os.stat_result) -> FileRecord | None:
        """Read one file; a bad file is logged once per version of it, not on every scan."""
        try:
            return read_record(path, stat.st_size, stat.st_mtime_ns)
        except Unusable as error:
            version = (str(path), stat.st_size, stat.st_mtime_ns)
            if version not in self._reported:
                self._reported.add(version)
                log.info("%s", error)
            return None


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

