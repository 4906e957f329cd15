"""The index's aggregate tables, updated file by file.

Adding or removing one file's record touches only the counters that file
contributed to, so an edit in a large workspace costs the size of that file,
not of the workspace. Merged `Paper`s are built on demand and cached until a
file that mentions them changes. The owner (`WorkspaceIndex`) serialises
access with its lock; nothing here is thread-safe on its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from ..model import Span
from .names import normalize_name
from .papers import Author, AuthorOccurrence, Occurrence, Paper
from .records import EntryRecord, FileRecord, MetadataRecord

normalized = lru_cache(maxsize=200_000)(normalize_name)


class Tables:
    def __init__(self) -> None:
        self.records: dict[str, FileRecord] = {}
        self.by_id: dict[str, dict[str, list]] = {}  # id -> path -> [EntryRecord | MetadataRecord]
        self.spellings: dict[str, Counter] = defaultdict(Counter)  # normalised name -> spelling -> mentions
        self.author_papers: dict[str, Counter] = defaultdict(Counter)  # normalised name -> id -> mentions
        self.author_paths: dict[str, Counter] = defaultdict(Counter)  # normalised name -> digest path -> mentions
        self.category_papers: dict[str, Counter] = defaultdict(Counter)
        self._papers: dict[str, Paper] = {}
        self.generation = 0  # bumped on every change; search caches compare it

    # --- updates ---------------------------------------------------------------

    def put(self, record: FileRecord) -> None:
        self.remove(record.path)
        self.records[record.path] = record
        self._count(record, +1)

    def remove(self, path: str) -> None:
        record = self.records.pop(path, None)
        if record is not None:
            self._count(record, -1)

    def _count(self, record: FileRecord, sign: int) -> None:
        self.generation += 1
        path = record.path
        for item in (*record.entries, *record.metadata):
            paper_id = item.paper_id
            if paper_id is not None:
                self._papers.pop(paper_id, None)
                per_path = self.by_id.setdefault(paper_id, {})
                if sign > 0:
                    per_path.setdefault(path, []).append(item)
                else:
                    per_path.pop(path, None)
                    if not per_path:
                        del self.by_id[paper_id]
                category = item.category or item.section if isinstance(item, EntryRecord) else (
                    item.categories[0] if item.categories else None
                )
                if category:
                    _add(self.category_papers, category, paper_id, sign)
            if isinstance(item, EntryRecord):
                names = [mention.name for mention in item.authors]
            else:
                names = list(item.authors)
            for name in names:
                key = normalized(name)
                if not key:
                    continue
                _add(self.spellings, key, name, sign)
                if paper_id is not None:
                    _add(self.author_papers, key, paper_id, sign)
                if isinstance(item, EntryRecord):
                    _add(self.author_paths, key, path, sign)

    # --- reads -------------------------------------------------------------------

    def paper(self, paper_id: str) -> Paper | None:
        cached = self._papers.get(paper_id)
        if cached is None:
            sources = self.by_id.get(paper_id)
            if not sources:
                return None
            cached = self._papers[paper_id] = _merge(paper_id, sources)
        return cached

    def title(self, paper_id: str) -> str:
        """The title without a full merge (search lists need only this)."""
        sources = self.by_id.get(paper_id, {})
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
        return Author(ranked[0][0], key, tuple(ranked), tuple(sorted(self.author_papers[key])), sum(spellings.values()))

    def author_occurrences(self, name: str) -> list[AuthorOccurrence]:
        key = normalized(name)
        found: list[AuthorOccurrence] = []
        for path in sorted(self.author_paths.get(key, ())):
            for entry in self.records[path].entries:
                for mention in entry.authors:
                    if normalized(mention.name) == key:
                        span = Span(mention.line, mention.start_col, mention.line, mention.end_col)
                        found.append(AuthorOccurrence(path, span, mention.name, entry.paper_id))
        return found


def _add(table: dict[str, Counter], key: str, value: str, sign: int) -> None:
    counter = table[key]
    counter[value] += sign
    if counter[value] <= 0:
        del counter[value]
        if not counter:
            del table[key]


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
