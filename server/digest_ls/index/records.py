"""What the index keeps per file: compact, immutable, JSON-serialisable records.

A digest becomes one `EntryRecord` per entry (id, heading line, title,
authors with their absolute spans, category, field values); a paper-metadata
JSONL becomes one `MetadataRecord` per line. The SQLite cache stores one row
per item (`dump_item`), so a restart never re-parses an unchanged file and a
query can read the few items of one paper without decoding a whole file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import NamedTuple

from ..model import Document, EntryBlock
from .names import record_id

# Field labels carried over from digests and JSONL `AI` objects.
SUMMARY_FIELDS = ("TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract")
_AI_KEYS = {"tldr": "TL;DR", "motivation": "Motivation", "method": "Method", "result": "Result", "conclusion": "Conclusion"}
METADATA_KEYS = ("id", "title", "authors", "summary", "categories")


def _field_value(fields: tuple[tuple[str, str], ...], label: str) -> str | None:
    for name, value in fields:
        if name == label:
            return value
    return None


@dataclass(frozen=True, slots=True)
class AuthorMention:
    name: str
    line: int  # absolute
    start_col: int
    end_col: int


@dataclass(frozen=True, slots=True)
class EntryRecord:
    paper_id: str | None  # canonical, no version
    line: int  # absolute line of the heading
    heading_length: int
    number: int | None
    title: str
    section: str | None
    category: str | None  # `Main category:` value
    authors: tuple[AuthorMention, ...]
    fields: tuple[tuple[str, str], ...]  # (canonical label, value) for SUMMARY_FIELDS
    version: int | None = None  # of the heading link (`2601.00101v2`), None when it names none

    def field(self, label: str) -> str | None:
        return _field_value(self.fields, label)


@dataclass(frozen=True, slots=True)
class MetadataRecord:
    paper_id: str
    line: int  # the JSONL line
    title: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # Abstract (from `summary`) and the `AI` values

    def field(self, label: str) -> str | None:
        return _field_value(self.fields, label)


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    kind: str  # "digest", "metadata" or "other" (remembered so that a restart skips it too)
    size: int
    mtime_ns: int
    entries: tuple[EntryRecord, ...] = ()
    metadata: tuple[MetadataRecord, ...] = ()


class Extract(NamedTuple):
    """A file version as a build stores and counts it, without its records (cheap to send between processes)."""

    path: str
    kind: str
    size: int
    mtime_ns: int
    rows: tuple[tuple[str, str | None, bytes], ...] = ()  # per item: ("e" or "m", paper id, `dump_item`), `item_rows`
    reads: tuple[tuple, ...] = ()  # per item: what the counters read of it (`tables.counted`)


# --- extraction ------------------------------------------------------------------


def digest_record(path: str, document: Document, size: int = -1, mtime_ns: int = -1, reuse: dict | None = None) -> FileRecord:
    """The record of a parsed digest (an open buffer or a file read from disk).

    `reuse` (an open buffer's, kept between keystrokes) maps an entry block to the record made of it:
    an edit leaves most blocks the same objects at the same lines, and their records are kept as they are.
    """
    if not document.is_digest:
        return FileRecord(path, "other", size, mtime_ns)
    section_of: dict[int, str | None] = {}
    for section in document.sections:
        for index in section.entries:
            section_of[index] = section.category
    made: dict = {}
    entries = []
    for index, start, entry in document.entry_blocks():
        section = section_of.get(index)
        known = reuse.get(id(entry)) if reuse else None
        if known is not None and known[0] is entry and known[1] == start and known[2] == section:
            record = known[3]
        else:
            record = entry_record(entry, start, section)
        made[id(entry)] = (entry, start, section, record)
        entries.append(record)
    if reuse is not None:
        reuse.clear()
        reuse.update(made)
    return FileRecord(path, "digest", size, mtime_ns, tuple(entries))


def entry_record(entry: EntryBlock, start: int, section: str | None) -> EntryRecord:
    """What the index keeps of one entry whose heading is on absolute line `start`."""
    heading = entry.heading
    link = heading.link
    paper_id = link.id.canonical if link is not None and link.id is not None else None
    authors: tuple[AuthorMention, ...] = ()
    if entry.authors is not None:
        authors = tuple(
            AuthorMention(name.text, name.span.start_line + start, name.span.start_col, name.span.end_col)
            for name in entry.authors.names
            if name.text
        )
    category = entry.category
    fields = tuple((field.label, field.value) for field in entry.fields if field.label in SUMMARY_FIELDS and field.value)
    return EntryRecord(
        paper_id,
        start,
        heading.span.end_col,
        heading.number.value if heading.number is not None else None,
        heading.title.text.strip() if heading.title is not None else "",
        section,
        category.value.strip() or None if category is not None else None,
        authors,
        fields,
        link.id.version if paper_id is not None else None,
    )


def metadata_records(text: str) -> tuple[MetadataRecord, ...] | None:
    """Paper records of a JSONL file; None when its first record is not paper metadata."""
    records: list[MetadataRecord] = []
    seen_first = False
    # Only "\n" ends a JSONL record: str.splitlines would also cut at form feeds and U+2028
    # inside the strings of a record.
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        if _SURROGATE_ESCAPE.search(line):
            value = _without_lone_surrogates(value)
        record = _metadata(value, number)
        if not seen_first:
            seen_first = True
            if record is None:
                return None
        if record is not None:
            records.append(record)
    return tuple(records) if seen_first else None


# JSON can spell half of a surrogate pair (`"\\ud800"`); such a string cannot be written as UTF-8
# (the cache, the protocol), so a lone half becomes U+FFFD. A whole pair is one character already.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(value):
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _metadata(value, line: int) -> MetadataRecord | None:
    if not isinstance(value, dict) or not all(key in value for key in METADATA_KEYS):
        return None
    raw_id, title, authors, summary, categories = (value[key] for key in METADATA_KEYS)
    if not isinstance(raw_id, str) or not raw_id.strip():
        return None
    fields: list[tuple[str, str]] = []
    if isinstance(summary, str) and summary.strip():
        fields.append(("Abstract", summary.strip()))
    ai = value.get("AI")
    if isinstance(ai, dict):
        for key, label in _AI_KEYS.items():
            text = ai.get(key)
            if isinstance(text, str) and text.strip():
                fields.append((label, text.strip()))
    return MetadataRecord(
        record_id(raw_id),
        line,
        " ".join(title.split()) if isinstance(title, str) else "",
        tuple(str(name).strip() for name in authors if str(name).strip()) if isinstance(authors, list) else (),
        tuple(str(code) for code in categories) if isinstance(categories, list) else (),
        tuple(fields),
    )


# --- serialisation (the SQLite cache: one JSON row per item) --------------------------------


# No check for cycles: an item is a few tuples of strings and numbers.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def item_rows(record: FileRecord) -> tuple[tuple[str, str | None, bytes], ...]:
    """The cache rows of a file's items, in order (entries, then metadata records), their JSON in UTF-8.

    Bytes, not text: a build's worker process sends them to the one writing the cache, and bytes
    cross (pickled) and reach SQLite without being encoded or decoded again on the way.
    """
    return (
        *(("e", entry.paper_id, dump_item(entry).encode("utf-8")) for entry in record.entries),
        *(("m", item.paper_id, dump_item(item).encode("utf-8")) for item in record.metadata),
    )


def dump_item(item: EntryRecord | MetadataRecord) -> str:
    # Tuples write the same JSON arrays as lists, and cost less to make.
    if isinstance(item, EntryRecord):
        value = (
            item.paper_id, item.line, item.heading_length, item.number, item.title, item.section, item.category,
            [(a.name, a.line, a.start_col, a.end_col) for a in item.authors],
            item.fields,
            item.version,
        )
    else:
        value = (item.paper_id, item.line, item.title, item.authors, item.categories, item.fields)
    return _ENCODE(value)


def load_entry(data: str) -> EntryRecord:
    e = json.loads(data)
    return EntryRecord(
        e[0], e[1], e[2], e[3], e[4], e[5], e[6],
        tuple(AuthorMention(*a) for a in e[7]),
        tuple(tuple(pair) for pair in e[8]),
        e[9],
    )


def load_metadata(data: str) -> MetadataRecord:
    m = json.loads(data)
    return MetadataRecord(m[0], m[1], m[2], tuple(m[3]), tuple(m[4]), tuple(tuple(pair) for pair in m[5]))
