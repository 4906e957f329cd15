"""The index's answers: papers, authors, where they occur, and scored search hits.

All are frozen dataclasses holding plain values, safe to hand to any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Span


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
