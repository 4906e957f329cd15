"""The index's answers: papers, authors, where they occur, and scored search hits.

All are frozen dataclasses holding plain values, safe to hand to any thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from ..model import Span

_DATE = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


def date_of(path: str) -> str | None:
    """The day a digest or metadata file is for, from its name (`2026-01-11_AI_enhanced_English.jsonl`)."""
    match = _DATE.search(PurePath(path).name)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One entry listing a paper: the digest, its heading's absolute line and the entry number."""

    path: str
    line: int
    number: int | None
    heading_length: int = 0

    @property
    def range(self) -> Span:
        return Span(self.line, 0, self.line, self.heading_length)


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper merged from every digest that lists it, with a metadata JSONL filling the gaps."""

    id: str
    title: str
    authors: tuple[str, ...]
    category: str | None
    categories: tuple[str, ...]
    tldr: str | None
    abstract: str | None
    motivation: str | None
    method: str | None
    result: str | None
    conclusion: str | None
    occurrences: tuple[Occurrence, ...]
    metadata_path: str | None

    def summary_field(self, label: str) -> str | None:
        """The value for a digest field label (`TL;DR`, `Motivation`, ..., `Abstract`)."""
        return {
            "TL;DR": self.tldr,
            "Motivation": self.motivation,
            "Method": self.method,
            "Result": self.result,
            "Conclusion": self.conclusion,
            "Abstract": self.abstract,
        }.get(label)


@dataclass(frozen=True, slots=True)
class Listing:
    """One place a paper is described, as written there: a digest entry or a metadata (JSONL) line."""

    kind: str  # "digest" or "metadata"
    path: str
    date: str | None  # YYYY-MM-DD from the file name
    line: int  # the heading's absolute line, or the JSONL line
    number: int | None  # the entry number
    heading_length: int
    title: str
    version: int | None  # written in the heading link
    authors: tuple[str, ...]
    category: str | None  # `Main category:` (else the section), or the first metadata category
    categories: tuple[str, ...]  # metadata only: every category, the main one first
    fields: tuple[tuple[str, str], ...]  # (label, value): TL;DR, Motivation, ..., Abstract

    def field(self, label: str) -> str | None:
        for name, value in self.fields:
            if name == label:
                return value
        return None

    @property
    def occurrence(self) -> Occurrence:
        return Occurrence(self.path, self.line, self.number, self.heading_length)


@dataclass(frozen=True, slots=True)
class Author:
    name: str  # the most frequent spelling
    normalized: str
    spellings: tuple[tuple[str, int], ...]  # (spelling, mentions), most frequent first
    papers: tuple[str, ...]
    count: int  # mentions over digests and metadata


@dataclass(frozen=True, slots=True)
class AuthorOccurrence:
    path: str
    range: Span
    name: str  # as written there
    paper_id: str | None


@dataclass(frozen=True, slots=True)
class PaperHit:
    paper: Paper
    score: float


@dataclass(frozen=True, slots=True)
class AuthorHit:
    name: str
    normalized: str
    score: float
    count: int


@dataclass(frozen=True, slots=True)
class WorkspaceSymbol:
    name: str
    detail: str
    path: str
    range: Span
    container: str | None
    paper_id: str


@dataclass(frozen=True, slots=True)
class ScanReport:
    files: int  # files looked at
    digests: int
    metadata_files: int
    papers: int
    parsed: int  # files read and parsed
    from_cache: int  # files taken from the SQLite cache unchanged
    skipped: int  # unreadable, not UTF-8, too large or vanished
    seconds: float
    message: str | None = None  # shown once: the root is unsafe to crawl
    cancelled: bool = False
