"""The SQLite cache: per-file items, and a snapshot of the aggregate tables for instant restarts.

One database per set of workspace roots (`cache_dir/index-<hash>.sqlite3`),
so two workspaces never share a write lock or a snapshot. It holds:

- `files` (path, kind, size, mtime_ns): one row per file, valid while its size
  and mtime are unchanged; kind "unusable" remembers a file that could not be
  read, so an unchanged bad file is not read again;
- `items` (path, seq, kind, paper_id, data): one JSON row per digest entry or
  JSONL record, indexed by paper id, so a query reads one paper's items only;
- the snapshot: `authors` (normalised name -> spellings, papers and digests,
  as JSON, hashed into buckets of a few dozen names: one row per name cost
  more to write than the names are worth), `blobs` (the name index, the title
  list, category tables) and
  `meta.snapshot`, a hash of the `files` rows it was built from. A snapshot
  whose hash no longer matches (a file changed since) is not used.

Writes go through `RecordStore` (one connection, its own lock). Reads of the
snapshot go through a `Snapshot` (snapshot.py) on a second connection that
keeps one read transaction open: with WAL, it goes on seeing the database as
it was when opened, whatever this or another process writes later. The
schema version lives in `PRAGMA user_version`; a database written by another
version (or a corrupt file) is dropped and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import zlib
from pathlib import Path
from typing import Iterable

from .records import Extract

log = logging.getLogger("digest_ls.index")

# Bump when the layout or what the parser extracts changes.
SCHEMA_VERSION = 3  # 3: entries keep their link's version
UNUSABLE = "unusable"  # the kind of a file row for a file that could not be read

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL) WITHOUT ROWID",
    # Items and blobs are large rows: rowid tables store those better than WITHOUT ROWID ones.
    "CREATE TABLE IF NOT EXISTS items (path TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
    " paper_id TEXT, data TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS items_by_path ON items (path, seq)",
    "CREATE INDEX IF NOT EXISTS items_by_paper ON items (paper_id)",
    "CREATE TABLE IF NOT EXISTS authors (bucket INTEGER PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
)
_TABLES = ("files", "items", "authors", "blobs", "meta")


def database_path(cache_dir: Path, roots: Iterable[Path]) -> Path:
    """The database of one set of workspace roots."""
    key = "\n".join(sorted(str(root) for root in roots))
    return cache_dir / f"index-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}.sqlite3"


def bucket_count(names: int) -> int:
    """Author buckets for this many names: a power of two, a few dozen names each."""
    return max(64, 1 << (names // 24).bit_length())


def bucket_of(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets


def manifest_hash(rows: Iterable[tuple[str, str, int, int]]) -> str:
    """A digest of (path, kind, size, mtime_ns) rows: the identity of the files a snapshot describes."""
    digest = hashlib.sha1()
    for path, kind, size, mtime_ns in sorted(rows):
        digest.update(f"{path}\0{kind}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


class RecordStore:
    """Thread-safe writes to the database of `roots` under `cache_dir`; without a folder it keeps nothing."""

    def __init__(self, cache_dir: Path | None, roots: Iterable[Path] = ()):
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self.path: Path | None = None
        if cache_dir is None:
            return
        self.path = database_path(cache_dir, roots)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._connection = self._open(self.path)
        except (OSError, sqlite3.Error) as error:
            log.warning("index cache disabled: cannot open %s: %s", self.path, error)
            self._connection = None

    @staticmethod
    def _open(path: Path, retry: bool = True) -> sqlite3.Connection:
        connection = connect(path)
        try:
            # Items are a few kilobytes each: on 4 KB pages most would spill into overflow pages,
            # which made writing a cold scan a third slower. (Only a new database takes it.)
            connection.execute("PRAGMA page_size = 16384")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                for table in _TABLES:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last write is fine
            # Scans write tens of megabytes at once: copying them into the database file is left
            # to `checkpoint_soon`, off the scan's path, rather than done 4 MB at a time inside it.
            connection.execute("PRAGMA wal_autocheckpoint = 0")
            connection.execute(f"PRAGMA journal_size_limit = {4 * 2**20}")  # a spent log shrinks back
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            connection.close()
            if not retry:
                raise
            for suffix in ("", "-wal", "-shm"):  # not a database: start over
                Path(str(path) + suffix).unlink(missing_ok=True)
            return RecordStore._open(path, retry=False)
        return connection

    @property
    def enabled(self) -> bool:
        return self._connection is not None

    def _write(self, work) -> bool:
        """Run `work(connection)` in one transaction; False (logged) when SQLite refuses."""
        if self._connection is None:
            return False
        with self._lock:
            try:
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    work(self._connection)
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise  # sqlite3.Error is logged below; anything else is the caller's
                self._connection.execute("COMMIT")
                return True
            except sqlite3.Error as error:
                log.warning("index cache not updated: %s", error)
                return False

    def save(self, files: list[Extract]) -> bool:
        """Store (or replace) the items of these file versions; False when SQLite refused."""
        return not files or self._write(lambda connection: _put_files(connection, files))

    def forget(self, paths: list[str]) -> None:
        if paths:
            self._write(lambda connection: _drop_files(connection, paths))

    def write_snapshot(self, authors: Iterable[tuple[int, str]], blobs: dict[str, bytes]) -> bool:
        """Replace the snapshot; its hash is taken from the `files` rows inside the same transaction."""

        def work(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM authors")
            connection.execute("DELETE FROM blobs")
            connection.executemany("INSERT INTO authors VALUES (?, ?)", authors)
            _put_blobs(connection, blobs)
            _seal(connection)

        return self._write(work)

    def write_changes(
        self,
        expected: str,
        files: list[Extract],
        gone: list[str],
        authors: list[tuple[int, str | None]],
        blobs: dict[str, bytes],
    ) -> bool:
        """Apply a scan's changes to the snapshot it started from (hash `expected`), in one transaction.

        `authors` buckets with data None are deleted. False when the database moved on meanwhile
        (another process wrote it): the changes are then not written.
        """

        def work(connection: sqlite3.Connection) -> None:
            current = connection.execute("SELECT value FROM meta WHERE key = 'snapshot'").fetchone()
            rows = connection.execute("SELECT path, kind, size, mtime_ns FROM files").fetchall()
            if current is None or current[0] != expected or manifest_hash(rows) != expected:
                raise _Moved
            _put_files(connection, files)
            _drop_files(connection, gone)
            connection.executemany("DELETE FROM authors WHERE bucket = ?", [(b,) for b, data in authors if data is None])
            connection.executemany(
                "INSERT OR REPLACE INTO authors VALUES (?, ?)", [(key, data) for key, data in authors if data is not None]
            )
            _put_blobs(connection, blobs)
            _seal(connection)

        try:
            return self._write(work)
        except _Moved:
            log.info("index cache changed by another process; not updating it")
            return False

    def checkpoint_soon(self) -> None:
        """Copy the write-ahead log into the database file on a thread of its own (SQLite releases the GIL)."""
        if self._connection is None:
            return

        def run() -> None:
            with self._lock:
                if self._connection is not None:
                    try:
                        self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    except sqlite3.Error as error:
                        log.info("index cache checkpoint failed: %s", error)

        threading.Thread(target=run, name="digest-ls-index-checkpoint", daemon=True).start()

    def read_file(self, path: str) -> list[tuple[str, str]]:
        """(kind, data) of one file's items, in order (for files whose row is still valid)."""
        if self._connection is None:
            return []
        with self._lock:
            try:
                return self._connection.execute(
                    "SELECT kind, data FROM items WHERE path = ? ORDER BY seq", (path,)
                ).fetchall()
            except sqlite3.Error as error:
                log.warning("index cache unreadable: %s", error)
                return []

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class _Moved(Exception):
    """The database changed since the snapshot a scan started from."""


def _put_files(connection: sqlite3.Connection, files: list[Extract]) -> None:
    connection.executemany("DELETE FROM items WHERE path = ?", [(f.path,) for f in files])
    connection.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", [(f.path, f.kind, f.size, f.mtime_ns) for f in files]
    )
    connection.executemany(
        # The JSON comes as UTF-8 bytes (`item_rows`): the cast makes it the text it is, byte for byte.
        "INSERT INTO items VALUES (?, ?, ?, ?, CAST(? AS TEXT))",
        [(f.path, seq, kind, paper_id, data) for f in files for seq, (kind, paper_id, data) in enumerate(f.rows)],
    )


def _drop_files(connection: sqlite3.Connection, paths: list[str]) -> None:
    connection.executemany("DELETE FROM items WHERE path = ?", [(p,) for p in paths])
    connection.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])


def _put_blobs(connection: sqlite3.Connection, blobs: dict[str, bytes]) -> None:
    connection.executemany("INSERT OR REPLACE INTO blobs VALUES (?, ?)", list(blobs.items()))


def _seal(connection: sqlite3.Connection) -> None:
    """Mark the snapshot as describing the `files` rows as they are now."""
    rows = connection.execute("SELECT path, kind, size, mtime_ns FROM files").fetchall()
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)", (manifest_hash(rows),))


def dump_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
