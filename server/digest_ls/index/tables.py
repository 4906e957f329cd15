"""The index's aggregate tables, updated file by file.

Adding or removing one file's record touches only the counters that file
contributed to, so an edit in a large workspace costs the size of that file,
not of the workspace. Merged `Paper`s are built on demand and cached until a
file that mentions them changes. The owner (`WorkspaceIndex`) serialises
access with its lock; nothing here is thread-safe on its own.

Two modes, one interface. Without a snapshot everything is in memory
(plain dicts, every record's items in `by_id`). Over a `Snapshot` (a warm
restart, or the end of a scan with a cache) the tables start empty: records
are `StoredFile` stubs, counters are `LazyTable`s that fault rows in, and a
paper's items are read from the snapshot for the files still stored; only
what changed since (open buffers, files edited on disk) is held in memory.
`name_changes` and `title_changes` list what moved since the search lists
were built, so those are patched rather than rebuilt.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rapidfuzz import utils

from ..model import Span
from .names import normalize_name
from .papers import Author, AuthorOccurrence, Listing, Occurrence, Paper, date_of
from .records import EntryRecord, FileRecord, MetadataRecord
from .snapshot import Snapshot, StoredFile, author_tables, blob_table

normalized = lru_cache(maxsize=200_000)(normalize_name)


class Tables:
    def __init__(self, base: Snapshot | None = None) -> None:
        self.base = base
        self.records: dict[str, FileRecord | StoredFile] = {}
        # id -> path -> [EntryRecord | MetadataRecord]; over a snapshot, only for records held in memory.
        self.by_id: dict[str, dict[str, list]] = {}
        # Counters as plain dicts of dicts (key -> value -> count): Counter objects cost too much here.
        self.spellings: dict[str, dict[str, int]] = {}  # normalised name -> spelling -> mentions
        self.author_papers: dict[str, dict[str, int]] = {}  # normalised name -> id -> mentions
        self.author_paths: dict[str, dict[str, int]] = {}  # normalised name -> digest path -> mentions
        self.category_papers: dict[str, dict[str, int]] = {}  # main category -> id -> mentions
        self.listed_papers: dict[str, dict[str, int]] = {}  # any category, cross-lists too -> id -> mentions
        if base is not None:
            self.spellings, self.author_papers, self.author_paths = author_tables(base)
            self.category_papers = blob_table(base, "categories")
            self.listed_papers = blob_table(base, "listed")
        self._papers: dict[str, Paper] = {}
        # Search structures are rebuilt only when what they hold changes: titles (or the set
        # of papers), or the set of author names. Typing in a TL;DR changes neither.
        self.titles_generation = 0
        self.names_generation = 0
        self.title_changes: set[str] = set()  # ids whose title or presence may have changed (the search lists empty it)
        self.touched_ids: set[str] = set()  # the same since these tables were made (never emptied)
        self.name_changes: set[str] = set()  # normalised names whose mentions changed

    # --- updates ---------------------------------------------------------------

    def put(self, record: FileRecord | StoredFile) -> None:
        old = self.records.get(record.path)
        if _same_shape(old, record):
            self._put_edit(old, record)
            return
        if old is None or _titles(old) != _titles(record):
            self.titles_generation += 1
            self._titles_changed(_ids(record))
            if old is not None:
                self._titles_changed(_ids(old))
        if old is None:
            self.records[record.path] = record
            self._forget_merges(_ids(record))
            self._place(record, +1)
            self.count(record.path, _items(record), +1)
            return
        # A buffer edit changes a few entries but shifts the lines of many: re-place every
        # item (cheap), re-count only the items whose counted content changed (costly), and
        # merge again only the papers whose items changed (a keystroke within a line: one).
        before, after = _by_id(old), _by_id(record)
        self._forget_merges(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
        self._place(old, -1)
        self.records[record.path] = record
        self._place(record, +1)
        before = _by_counted_content(old)
        after = _by_counted_content(record)
        gone = [item for key, items in before.items() for item in items[len(after.get(key, ())) :]]
        new = [item for key, items in after.items() for item in items[len(before.get(key, ())) :]]
        self._recount(record.path, gone, new)

    def _recount(self, path: str, gone: list, new: list) -> None:
        """Count a buffer's `gone` items out and its `new` ones in, noting the names whose mentions moved."""
        self.count(path, gone, -1, track_names=False)
        self.count(path, new, +1, track_names=False)
        # Only names whose mentions moved: an edit to an author line recounts the whole line (the
        # 3,000 authors of a large collaboration), and each changed name is scored live by searches.
        moved = Counter(name for item in new for name in _names(item))
        moved.subtract(name for item in gone for name in _names(item))
        self.name_changes.update(normalized(name) for name, delta in moved.items() if delta)
        self.name_changes.discard("")

    def _put_edit(self, old: FileRecord, record: FileRecord) -> None:
        """`put` of a buffer whose items are the old record's but for a few (a keystroke within a line
        keeps every other entry's record, the same object): only those few are placed, counted and merged."""
        path = record.path
        changed = [(before, after) for before, after in zip(_items(old), _items(record)) if before is not after]
        self.records[path] = record
        if not changed:
            return
        ids = {item.paper_id for pair in changed for item in pair if item.paper_id is not None}
        if any((before.paper_id, before.title) != (after.paper_id, after.title) for before, after in changed):
            self.titles_generation += 1
            self._titles_changed(ids)
        self._forget_merges(ids)
        listed = _by_id(record)  # in file order, as `_place` lists them
        for paper_id in ids:
            items = listed.get(paper_id)
            per_path = self.by_id.setdefault(paper_id, {})
            if items:
                per_path[path] = items
            else:
                per_path.pop(path, None)
                if not per_path:
                    del self.by_id[paper_id]
        gone, new = [], []
        for before, after in changed:
            if _counted_content(before) != _counted_content(after):
                gone.append(before)
                new.append(after)
        self._recount(path, gone, new)

    def remove(self, path: str) -> None:
        record = self.records.pop(path, None)
        if record is not None:
            self.titles_generation += 1
            self._titles_changed(_ids(record))
            self._forget_merges(_ids(record))
            self._place(record, -1)
            self.count(path, _items(record), -1)

    def _titles_changed(self, paper_ids: set[str]) -> None:
        self.title_changes.update(paper_ids)
        self.touched_ids.update(paper_ids)

    def _forget_merges(self, paper_ids) -> None:
        for paper_id in paper_ids:
            self._papers.pop(paper_id, None)

    def _place(self, record: FileRecord | StoredFile, sign: int) -> None:
        """Where each paper is listed (by_id)."""
        if isinstance(record, StoredFile):  # its items are found through the snapshot
            return
        path = record.path
        for item in _items(record):
            paper_id = item.paper_id
            if paper_id is None:
                continue
            per_path = self.by_id.setdefault(paper_id, {})
            if sign > 0:
                per_path.setdefault(path, []).append(item)
            else:
                per_path.pop(path, None)
                if not per_path:
                    del self.by_id[paper_id]

    def count(self, path: str, items, sign: int, track_names: bool = True) -> None:
        """The counters: categories per paper, spellings, papers and files per author.

        `track_names`: note every name counted in `name_changes` (the caller may note fewer).
        """
        self.count_read(path, map(counted, items), sign, track_names)

    def count_read(self, path: str, reads, sign: int, track_names: bool = True) -> None:
        """`count` over what `counted` read of the items (a worker process reads it off the records)."""
        # Locals: a cold scan of a year runs the inner loop for a million author mentions.
        add, spellings, papers, paths = _add, self.spellings, self.author_papers, self.author_paths
        changed = self.name_changes.add if track_names else None
        appeared = 0
        for paper_id, category, listed, names, is_entry, _ in reads:
            if paper_id is not None:
                if category:
                    add(self.category_papers, category, paper_id, sign)
                for code in listed:
                    add(self.listed_papers, code, paper_id, sign)
            for key, name in names:
                if add(spellings, key, name, sign):
                    appeared += 1
                if changed is not None:
                    changed(key)
                if paper_id is not None:
                    add(papers, key, paper_id, sign)
                if is_entry:
                    add(paths, key, path, sign)
        self.names_generation += appeared

    # --- reads -------------------------------------------------------------------

    def sources(self, paper_id: str) -> dict[str, list]:
        """path -> the items listing `paper_id` there (stored files through the snapshot, the rest in memory)."""
        live = self.by_id.get(paper_id)
        if self.base is None:
            return live or {}
        found: dict[str, list] = {}
        for path, item in self.base.paper_items(paper_id):
            if isinstance(self.records.get(path), StoredFile):
                found.setdefault(path, []).append(item)
        if live:
            found.update(live)
        return found

    def paper(self, paper_id: str) -> Paper | None:
        cached = self._papers.get(paper_id)
        if cached is None:
            sources = self.sources(paper_id)
            if not sources:
                return None
            cached = self._papers[paper_id] = _merge(paper_id, sources)
        return cached

    def listings(self, paper_id: str) -> list[Listing]:
        """Every entry and metadata line describing `paper_id`, the most recent day first."""
        found = [listing(path, item) for path, items in self.sources(paper_id).items() for item in items]
        found.sort(key=lambda item: (item.date or "", item.path, -item.line), reverse=True)
        return found

    def paper_count(self) -> int:
        if self.base is None:
            return len(self.by_id)
        if not self.touched_ids:
            return len(self.base.json_blob("ids", []))
        ids = set(self.base.json_blob("ids", []))
        for paper_id in self.touched_ids:
            if self.sources(paper_id):
                ids.add(paper_id)
            else:
                ids.discard(paper_id)
        return len(ids)

    def title(self, paper_id: str) -> str:
        """The title without a full merge (search lists need only this)."""
        sources = self.sources(paper_id)
        fallback = ""
        for path in sorted(sources):
            for item in sources[path]:
                if item.title:
                    if isinstance(item, EntryRecord):
                        return item.title
                    fallback = fallback or item.title
        return fallback

    def author(self, name: str) -> Author | None:
        key = normalized(name)
        spellings = self.spellings.get(key)
        if not spellings:
            return None
        ranked = sorted(spellings.items(), key=lambda pair: (-pair[1], pair[0]))
        return Author(ranked[0][0], key, tuple(ranked), tuple(sorted(self.author_papers.get(key, ()))), sum(spellings.values()))

    def author_occurrences(self, name: str) -> list[AuthorOccurrence]:
        key = normalized(name)
        found: list[AuthorOccurrence] = []
        spellings = tuple(self.spellings.get(key, ()))
        for path in sorted(self.author_paths.get(key, ())):
            record = self.records[path]
            if isinstance(record, StoredFile):  # decode only the entries that spell the name somewhere
                entries = record.snapshot.entries_mentioning(path, spellings)
            else:
                entries = record.entries
            for entry in entries:
                for mention in entry.authors:
                    if normalized(mention.name) == key:
                        span = Span(mention.line, mention.start_col, mention.line, mention.end_col)
                        found.append(AuthorOccurrence(path, span, mention.name, entry.paper_id))
        return found


def patch_titles(tables: Tables, ids: list[str], texts: list[str], changed: set[str]) -> tuple[list[str], list[str]]:
    """Sorted ids and processed titles, updated for the `changed` ids from the tables."""
    current = dict(zip(ids, texts))
    for paper_id in changed:
        if tables.sources(paper_id):
            current[paper_id] = utils.default_process(tables.title(paper_id))
        else:
            current.pop(paper_id, None)
    ordered = sorted(current)
    return ordered, [current[paper_id] for paper_id in ordered]


def listing(path: str, item: EntryRecord | MetadataRecord) -> Listing:
    if isinstance(item, EntryRecord):
        return Listing(
            "digest", path, date_of(path), item.line, item.number, item.heading_length, item.title, item.version,
            tuple(mention.name for mention in item.authors), item.category or item.section, (), item.fields,
        )
    return Listing(
        "metadata", path, date_of(path), item.line, None, 0, item.title, None, item.authors,
        item.categories[0] if item.categories else None, item.categories, item.fields,
    )


def _add(table: dict[str, dict[str, int]], key: str, value: str, sign: int) -> bool:
    """Count `value` under `key`; True when `key` appeared or disappeared."""
    inner = table.get(key)
    if inner is None:
        if sign > 0:
            table[key] = {value: sign}
            return True
        return False
    count = inner.get(value, 0) + sign
    if count > 0:
        inner[value] = count
        return False
    inner.pop(value, None)
    if not inner:
        del table[key]
        return True
    return False


def counted(item: EntryRecord | MetadataRecord) -> tuple:
    """What the counters read of an item: (id, category, listed categories, (normalised name, name)s, is an entry, title)."""
    names = tuple((key, name) for name in _names(item) if (key := normalized(name)))
    return item.paper_id, _category(item), tuple(sorted(_listed(item))), names, isinstance(item, EntryRecord), item.title


def _items(record: FileRecord | StoredFile):
    return (*record.entries, *record.metadata)


def _by_id(record: FileRecord | StoredFile) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for item in _items(record):
        if item.paper_id is not None:
            grouped.setdefault(item.paper_id, []).append(item)
    return grouped


def _ids(record: FileRecord | StoredFile) -> set[str]:
    return {item.paper_id for item in _items(record) if item.paper_id is not None}


def _category(item) -> str | None:
    if isinstance(item, EntryRecord):
        return item.category or item.section
    return item.categories[0] if item.categories else None


def _listed(item) -> set[str]:
    main = _category(item)
    listed = set(item.categories) if isinstance(item, MetadataRecord) else set()
    return listed | {main} if main else listed


def _names(item) -> list[str]:
    if isinstance(item, EntryRecord):
        return [mention.name for mention in item.authors]
    return list(item.authors)


def _counted_content(item) -> tuple:
    """What the counters read of an item: id, category and author names (not lines)."""
    return item.paper_id, _category(item), tuple(sorted(_listed(item))), tuple(_names(item))


def _by_counted_content(record: FileRecord) -> dict[tuple, list]:
    """Items grouped by `_counted_content`."""
    groups: dict[tuple, list] = {}
    for item in _items(record):
        groups.setdefault(_counted_content(item), []).append(item)
    return groups


def _same_shape(old, record) -> bool:
    """Whether `record` is an edit of the in-memory `old` that `Tables._put_edit` can take: as many items."""
    return (
        isinstance(old, FileRecord)
        and isinstance(record, FileRecord)
        and old.kind == record.kind
        and len(old.entries) == len(record.entries)
        and len(old.metadata) == len(record.metadata)
    )


def _titles(record: FileRecord) -> list[tuple]:
    return [(item.paper_id, item.title) for item in (*record.entries, *record.metadata)]


def _merge(paper_id: str, sources: dict[str, list]) -> Paper:
    entries: list[tuple[str, EntryRecord]] = []
    metadata: list[tuple[str, MetadataRecord]] = []
    for path in sorted(sources):
        for item in sources[path]:
            (entries if isinstance(item, EntryRecord) else metadata).append((path, item))
    entries.sort(key=lambda pair: (pair[0], pair[1].line))
    items = [entry for _, entry in entries] + [record for _, record in metadata]

    def first(get):
        for item in items:
            value = get(item)
            if value:
                return value
        return None

    def entry_authors(item):
        if isinstance(item, EntryRecord):
            return tuple(mention.name for mention in item.authors)
        return item.authors

    def entry_category(item):
        if isinstance(item, EntryRecord):
            return item.category or item.section
        return item.categories[0] if item.categories else None

    categories = first(lambda item: item.categories if isinstance(item, MetadataRecord) else None) or ()
    category = first(entry_category)
    return Paper(
        id=paper_id,
        title=first(lambda item: item.title) or "",
        authors=first(entry_authors) or (),
        category=category,
        categories=tuple(categories) or ((category,) if category else ()),
        tldr=first(lambda item: item.field("TL;DR")),
        abstract=first(lambda item: item.field("Abstract")),
        motivation=first(lambda item: item.field("Motivation")),
        method=first(lambda item: item.field("Method")),
        result=first(lambda item: item.field("Result")),
        conclusion=first(lambda item: item.field("Conclusion")),
        occurrences=tuple(Occurrence(path, entry.line, entry.number, entry.heading_length) for path, entry in entries),
        metadata_path=metadata[0][0] if metadata else None,
    )
