"""The SQLite cache of file records, so that a restart on an unchanged workspace parses nothing.

One row per file, valid while the file's size and mtime_ns are unchanged.
The schema version lives in `PRAGMA user_version`; a cache written by
another version (or a corrupt file) is dropped and rebuilt, never trusted.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from .records import FileRecord, dump_record, load_record

log = logging.getLogger("digest_ls.index")

# Bump when the record layout or what the parser extracts changes.
SCHEMA_VERSION = 1
CACHE_FILE = "index.sqlite3"


class RecordStore:
    """Thread-safe access to `cache_dir/index.sqlite3`; a store without a folder keeps nothing."""

    def __init__(self, cache_dir: Path | None):
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        if cache_dir is None:
            return
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._connection = self._open(cache_dir / CACHE_FILE)
        except (OSError, sqlite3.Error) as error:
            log.warning("index cache disabled: cannot open %s: %s", cache_dir / CACHE_FILE, error)
            self._connection = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                connection.execute("DROP TABLE IF EXISTS files")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS files ("
                "path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,"
                " mtime_ns INTEGER NOT NULL, data TEXT NOT NULL)"
            )
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            connection.close()
            path.unlink(missing_ok=True)  # not a database: start over
            return RecordStore._open(path)
        return connection

    @property
    def enabled(self) -> bool:
        return self._connection is not None

    def load_all(self) -> dict[str, tuple[str, int, int, str]]:
        """path -> (kind, size, mtime_ns, data), undecoded: only rows that are still valid get decoded."""
        if self._connection is None:
            return {}
        with self._lock:
            try:
                rows = self._connection.execute("SELECT path, kind, size, mtime_ns, data FROM files").fetchall()
            except sqlite3.Error as error:
                log.warning("index cache unreadable: %s", error)
                return {}
        return {path: (kind, size, mtime_ns, data) for path, kind, size, mtime_ns, data in rows}

    @staticmethod
    def decode(path: str, row: tuple[str, int, int, str]) -> FileRecord | None:
        kind, size, mtime_ns, data = row
        try:
            return load_record(path, kind, size, mtime_ns, data)
        except (ValueError, TypeError, IndexError):
            return None

    def save(self, records: list[FileRecord]) -> None:
        if self._connection is None or not records:
            return
        rows = [(r.path, r.kind, r.size, r.mtime_ns, dump_record(r)) for r in records]
        with self._lock:
            try:
                with self._connection:
                    self._connection.execute("BEGIN")
                    self._connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", rows)
            except sqlite3.Error as error:
                log.warning("index cache not updated: %s", error)

    def forget(self, paths: list[str]) -> None:
        if self._connection is None or not paths:
            return
        with self._lock:
            try:
                with self._connection:
                    self._connection.execute("BEGIN")
                    self._connection.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])
            except sqlite3.Error as error:
                log.warning("index cache not updated: %s", error)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
