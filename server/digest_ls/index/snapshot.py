"""The lazy side of the index: a pinned read-only view of the SQLite cache, loaded on demand.

A warm restart on an unchanged workspace builds nothing: the tables start
empty over a `Snapshot` and fault rows in when a query first needs them
(one author row for a hover, one paper's items for a definition), while the
name index and the title list are flat blobs read on the first search.

- `Snapshot` keeps one read transaction open on its own connection, so what
  it reads never changes under the tables, even when this or another
  process writes the database afterwards.
- `StoredFile` stands for a file whose items are in the snapshot; its
  `entries`/`metadata` are decoded on access (a few recent files are kept).
- `LazyTable` is the dict-of-dicts interface the counters use, with rows
  faulted in from the snapshot and changes (and deletions) kept in memory.
- `SnapshotBuilder` counts the records of a full scan into what a snapshot
  stores; it keeps no items, so a cold scan does not hold the corpus text.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Iterator

from rapidfuzz import utils

from .name_index import NameIndex
from .records import EntryRecord, MetadataRecord, load_entry, load_metadata
from .store import UNUSABLE, bucket_count, bucket_of, connect, dump_json, manifest_hash
from .word_index import WordIndex

log = logging.getLogger("digest_ls.index")

_RECENT_FILES = 8
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_TITLE_BLOBS = ("words", "offsets", "positions")
_NAME_BLOBS = ("names", "counts", "spelled", "spelled_at", "alpha", "words", "offsets", "postings")


class Snapshot:
    """The database as it was when opened; `valid` says whether its snapshot tables match its files."""

    def __init__(self, path: Path):
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, tuple[tuple, tuple]] = OrderedDict()
        self._buckets: int | None = None
        self._connection = connect(path)
        try:
            self._connection.execute("BEGIN")  # held until close(): the reads below see one state
            rows = self._connection.execute("SELECT path, kind, size, mtime_ns FROM files").fetchall()
            stored = self._connection.execute("SELECT value FROM meta WHERE key = 'snapshot'").fetchone()
        except sqlite3.Error:
            self._connection.close()
            raise
        self.files: dict[str, tuple[str, int, int]] = {path: (kind, size, mtime) for path, kind, size, mtime in rows}
        self.hash = stored[0] if stored is not None else None
        self.valid = self.hash is not None and self.hash == manifest_hash(rows)

    @classmethod
    def open(cls, path: Path | None) -> "Snapshot | None":
        if path is None or not path.exists():
            return None
        try:
            return cls(path)
        except sqlite3.Error as error:
            log.warning("index cache unreadable: %s", error)
            return None

    def matches(self, disk: dict[str, tuple[int, int]]) -> bool:
        """A valid snapshot of exactly these files (path -> size, mtime_ns)."""
        if not self.valid or len(disk) != len(self.files):
            return False
        for path, (size, mtime_ns) in disk.items():
            row = self.files.get(path)
            if row is None or row[1] != size or row[2] != mtime_ns:
                return False
        return True

    def _query(self, sql: str, parameters: tuple = ()) -> list:
        with self._lock:
            if self._connection is None:
                return []
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                log.warning("index cache unreadable: %s", error)
                return []

    # --- rows --------------------------------------------------------------------------------

    @property
    def buckets(self) -> int:
        if self._buckets is None:
            self._buckets = int(self.json_blob("authors.buckets", 1))
        return self._buckets

    def author_bucket(self, bucket: int) -> dict[str, list[dict]]:
        """name -> [spellings, papers, digests] for the names hashed into `bucket`."""
        rows = self._query("SELECT data FROM authors WHERE bucket = ?", (bucket,))
        return json.loads(rows[0][0]) if rows else {}

    def author_rows(self) -> Iterator[tuple[str, list[dict]]]:
        for (data,) in self._query("SELECT data FROM authors"):
            yield from json.loads(data).items()

    def file_items(self, path: str) -> tuple[tuple[EntryRecord, ...], tuple[MetadataRecord, ...]]:
        with self._lock:
            cached = self._recent.get(path)
            if cached is not None:
                self._recent.move_to_end(path)
                return cached
        rows = self._query("SELECT kind, data FROM items WHERE path = ? ORDER BY seq", (path,))
        decoded = decode_items(rows)
        with self._lock:
            self._recent[path] = decoded
            if len(self._recent) > _RECENT_FILES:
                self._recent.popitem(last=False)
        return decoded

    def entries_mentioning(self, path: str, spellings: tuple[str, ...]) -> list[EntryRecord]:
        """The entries of a file whose stored text holds one of these spellings (as JSON strings)."""
        if not spellings:
            return []
        needles = [_ENCODE(spelling) for spelling in spellings]
        test = " OR ".join("instr(data, ?) > 0" for _ in needles)
        rows = self._query(
            f"SELECT data FROM items WHERE path = ? AND kind = 'e' AND ({test}) ORDER BY seq", (path, *needles)
        )
        return [load_entry(data) for (data,) in rows]

    def paper_items(self, paper_id: str) -> list[tuple[str, EntryRecord | MetadataRecord]]:
        rows = self._query("SELECT path, kind, data FROM items WHERE paper_id = ? ORDER BY path, seq", (paper_id,))
        return [(path, load_entry(data) if kind == "e" else load_metadata(data)) for path, kind, data in rows]

    def blob(self, name: str) -> bytes | None:
        rows = self._query("SELECT data FROM blobs WHERE name = ?", (name,))
        return bytes(rows[0][0]) if rows else None

    def json_blob(self, name: str, default):
        data = self.blob(name)
        return json.loads(data) if data is not None else default

    def title_words(self) -> WordIndex:
        blobs = {name: self.blob(f"titles.{name}") for name in _TITLE_BLOBS}
        if any(data is None for data in blobs.values()):
            return WordIndex.build(self.json_blob("titles", []))
        return WordIndex.from_blobs(blobs)

    def name_index(self) -> NameIndex:
        blobs = {name: self.blob(f"names.{name}") for name in _NAME_BLOBS}
        if any(data is None for data in blobs.values()):
            return NameIndex.build(name_row(key, row[0]) for key, row in self.author_rows())
        return NameIndex.from_blobs(blobs)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()  # ends the read transaction
                self._connection = None
            self._recent.clear()


def decode_items(rows: list[tuple[str, str]]) -> tuple[tuple[EntryRecord, ...], tuple[MetadataRecord, ...]]:
    """(kind, data) item rows -> (entries, metadata records)."""
    entries = tuple(load_entry(data) for kind, data in rows if kind == "e")
    metadata = tuple(load_metadata(data) for kind, data in rows if kind == "m")
    return entries, metadata


class StoredFile:
    """A file version whose items live in a snapshot: the same reads as `FileRecord`, decoded on demand."""

    __slots__ = ("path", "kind", "size", "mtime_ns", "snapshot")

    def __init__(self, path: str, kind: str, size: int, mtime_ns: int, snapshot: Snapshot):
        self.path = path
        self.kind = kind
        self.size = size
        self.mtime_ns = mtime_ns
        self.snapshot = snapshot

    @property
    def entries(self) -> tuple[EntryRecord, ...]:
        return self.snapshot.file_items(self.path)[0]

    @property
    def metadata(self) -> tuple[MetadataRecord, ...]:
        return self.snapshot.file_items(self.path)[1]


_MISSING = object()


class LazyTable:
    """key -> {value: count} with rows faulted in by `fault(key)` (which calls `load`); edits stay here."""

    def __init__(self, fault: Callable[[str], None], everything: Callable[[], None]):
        self._rows: dict[str, dict | None] = {}  # None: known absent (or deleted here)
        self._fault = fault
        self._everything = everything
        self.complete = False

    def load(self, key: str, row: dict | None) -> None:
        """A row as the snapshot has it; ignored when the key is already known here."""
        self._rows.setdefault(key, row)

    def get(self, key: str, default=None):
        row = self._rows.get(key, _MISSING)
        if row is _MISSING:
            if self.complete:
                return default
            self._fault(key)
            row = self._rows.get(key)
        return default if row is None else row

    def __getitem__(self, key: str) -> dict:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __setitem__(self, key: str, row: dict) -> None:
        self._rows[key] = row

    def __delitem__(self, key: str) -> None:
        self._rows[key] = None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def items(self) -> Iterator[tuple[str, dict]]:
        if not self.complete:
            self._everything()
            self.complete = True
        return ((key, row) for key, row in list(self._rows.items()) if row is not None)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.items())

    def __len__(self) -> int:
        return sum(1 for _ in self.items())


def author_tables(snapshot: Snapshot) -> tuple[LazyTable, LazyTable, LazyTable]:
    """spellings, author_papers and author_paths, faulted in together (one row holds all three)."""

    def fault(key: str) -> None:
        # The whole bucket comes in one read: its other names are likely asked for soon (D402).
        for name, row in snapshot.author_bucket(bucket_of(key, snapshot.buckets)).items():
            for table, part in zip(tables, row):
                table.load(name, part or None)
        for table in tables:
            table.load(key, None)  # absent from the snapshot

    def everything() -> None:
        for key, row in snapshot.author_rows():
            for table, part in zip(tables, row):
                table.load(key, part or None)
        for table in tables:
            table.complete = True

    tables = (LazyTable(fault, everything), LazyTable(fault, everything), LazyTable(fault, everything))
    return tables


def blob_table(snapshot: Snapshot, name: str) -> LazyTable:
    """A small table stored whole as one JSON blob, read on first use."""

    def everything() -> None:
        for key, row in snapshot.json_blob(name, {}).items():
            table.load(key, row)
        table.complete = True

    table = LazyTable(lambda key: everything(), everything)
    return table


class SnapshotBuilder:
    """What a snapshot stores, counted file by file from the records of a full scan."""

    def __init__(self, tables) -> None:
        self.tables = tables  # an empty in-memory `Tables`; only its counters are used
        self.entry_titles: dict[str, tuple[str, str]] = {}  # id -> (path, title), smallest path wins
        self.metadata_titles: dict[str, tuple[str, str]] = {}
        self.ids: set[str] = set()
        self.buckets = 0  # set by authors()

    def add(self, path: str, reads) -> None:
        """A digest's or metadata file's items, as `tables.counted` reads them."""
        self.tables.count_read(path, reads, +1, track_names=False)  # a new snapshot has no changed names
        for paper_id, _, _, _, is_entry, title in reads:
            if paper_id is None:
                continue
            self.ids.add(paper_id)
            if title:
                titles = self.entry_titles if is_entry else self.metadata_titles
                known = titles.get(paper_id)
                if known is None or path < known[0]:
                    titles[paper_id] = (path, title)

    def authors(self) -> list[tuple[int, str]]:
        """The author buckets: (bucket, JSON of name -> [spellings, papers, digests])."""
        tables = self.tables
        papers, paths = tables.author_papers, tables.author_paths
        self.buckets = buckets = bucket_count(len(tables.spellings))
        grouped: dict[int, dict[str, list]] = {}
        for key, spellings in tables.spellings.items():
            bucket = bucket_of(key, buckets)
            rows = grouped.get(bucket)
            if rows is None:
                rows = grouped[bucket] = {}
            rows[key] = [spellings, papers.get(key, {}), paths.get(key, {})]
        return [(bucket, _ENCODE(rows)) for bucket, rows in grouped.items()]

    def blobs(self) -> dict[str, bytes]:
        tables = self.tables
        ids = sorted(self.ids)
        titles = []
        for paper_id in ids:
            found = self.entry_titles.get(paper_id) or self.metadata_titles.get(paper_id)
            titles.append(utils.default_process(found[1]) if found else "")
        names = NameIndex.build(name_row(key, spellings) for key, spellings in tables.spellings.items())
        blobs = {f"names.{name}": data for name, data in names.to_blobs().items()}
        blobs["names.changed"] = dump_json([])
        blobs["authors.buckets"] = dump_json(self.buckets)
        blobs["ids"] = dump_json(ids)
        blobs["titles"] = dump_json(titles)
        blobs.update({f"titles.{name}": data for name, data in WordIndex.build(titles).to_blobs().items()})
        blobs["categories"] = dump_json(tables.category_papers)
        blobs["listed"] = dump_json(tables.listed_papers)
        return blobs


def changed_rows(tables, snapshot: Snapshot) -> tuple[list[tuple[str, str | None]], dict[str, bytes]]:
    """The author buckets (None: emptied) and blobs that bring `snapshot` up to lazy `tables` over it.

    The tables must not have been searched yet: the search lists empty `name_changes`.
    """
    from .tables import patch_titles  # tables imports this module

    buckets: dict[int, dict[str, list]] = {}
    for key in tables.name_changes:
        bucket = bucket_of(key, snapshot.buckets)
        rows = buckets.get(bucket)
        if rows is None:
            rows = buckets[bucket] = snapshot.author_bucket(bucket)
        spellings = tables.spellings.get(key)
        if spellings:
            rows[key] = [spellings, tables.author_papers.get(key, {}), tables.author_paths.get(key, {})]
        else:
            rows.pop(key, None)
    authors = [(bucket, _ENCODE(rows) if rows else None) for bucket, rows in buckets.items()]
    ids, titles = patch_titles(tables, snapshot.json_blob("ids", []), snapshot.json_blob("titles", []), tables.touched_ids)
    blobs = {
        "ids": dump_json(ids),
        "titles": dump_json(titles),
        **{f"titles.{name}": data for name, data in WordIndex.build(titles).to_blobs().items()},
        "categories": dump_json(dict(tables.category_papers.items())),
        "listed": dump_json(dict(tables.listed_papers.items())),
    }
    # Changed names are scored beside the stored name index until there are too many of them.
    names = snapshot.name_index()
    changed = set(snapshot.json_blob("names.changed", [])) | tables.name_changes
    if names.outgrown_by(len(changed)):
        names = names.rebuilt(changed, lambda key: name_row(key, tables.spellings.get(key) or {})[1:])
        blobs.update({f"names.{name}": data for name, data in names.to_blobs().items()})
        changed = set()
    blobs["names.changed"] = dump_json(sorted(changed))
    return authors, blobs


def name_row(key: str, spellings: dict[str, int]) -> tuple[str, int, str]:
    """(name, mentions, most frequent spelling) for the name index; ties go to the first spelling in order."""
    best = min(spellings.items(), key=lambda pair: (-pair[1], pair[0]))[0] if spellings else key
    return key, sum(spellings.values()), best


def stored_files(snapshot: Snapshot) -> dict[str, StoredFile]:
    """A stub per indexed file of the snapshot (unusable and "other" files have no items)."""
    return {
        path: StoredFile(path, kind, size, mtime_ns, snapshot)
        for path, (kind, size, mtime_ns) in snapshot.files.items()
        if kind != UNUSABLE
    }
