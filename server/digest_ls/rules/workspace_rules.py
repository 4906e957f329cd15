"""Workspace rules: D401 seen-before and D402 author-variant, per entry block, over a small protocol.

They need the other files of the workspace. What they read of it is the
`Workspace` protocol: the occurrences of a paper id and the spellings of an
author's name. The server's index satisfies it; a command-line run builds
`CheckedFiles` from the files it checks. What they read of an entry is its
`Mentions`, which the command line keeps in its results cache, so that a
warm run checks the workspace again without reading a file.
They run inside `lint` like every other scope, so configuration and
suppression apply to them once, in the same place; their results are cached
per block and workspace generation, so a keystroke re-checks one entry.
Spans here are relative to the entry's first line.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple, Protocol, Sequence

from ..diagnostics import Related
from ..model import EntryBlock, Span
from ..span import span_from_tuple
from ..names import normalize_name
from .context import make
from .registry import AUTHOR_VARIANT, SEEN_BEFORE

MAX_RELATED = 5


class Occurrence(Protocol):
    path: str
    number: int | None

    @property
    def range(self) -> Span: ...


class Author(Protocol):
    spellings: Sequence[tuple[str, int]]  # most frequent first


class Workspace(Protocol):
    def occurrences(self, paper_id: str) -> Sequence[Occurrence]: ...

    def author(self, name: str) -> Author | None: ...


@dataclass(frozen=True)
class WorkspaceView:
    """The workspace as one document sees it: itself excluded, at a generation that keys the cache."""

    workspace: Workspace
    path: str | None  # the document's own file, whose occurrences are not "elsewhere"
    generation: object  # changes whenever the workspace does

    @property
    def here(self) -> str | None:
        return os.path.realpath(self.path) if self.path else None


class Mentions(NamedTuple):
    """What the workspace rules read of one entry: its paper, where it is listed, and the names it spells.

    Plain tuples all through: a command-line worker sends every entry's to the parent, and the cache
    stores them as JSON."""

    paper_id: str | None  # canonical, of the heading link
    link: Span  # where D401 points: the heading's link, or the heading
    heading: Span  # the entry's heading, as an occurrence elsewhere points at it
    number: int | None
    paper: str | None  # `Diagnostic.paper` of the entry's diagnostics
    names: Sequence[tuple[str, int, int, int, int]]  # each author name: its text and span


def mentions_of(entry: EntryBlock) -> Mentions:
    """The entry's mentions, spans relative to its first line."""
    heading = entry.heading
    link = heading.link
    paper_id = link.id.canonical if link is not None and link.id is not None else None
    names = tuple((name.text, *name.span) for name in entry.authors.names if name.text) if entry.authors is not None else ()
    return Mentions(
        paper_id,
        heading.url.span if heading.url is not None else heading.span,
        heading.span,
        heading.number.value if heading.number is not None else None,
        entry.arxiv_id,
        names,
    )


def check_mentions(mentions: Mentions, workspace: Workspace, here: str | None, spellings: dict, start: int = 0) -> list:
    """D401 and D402 of one entry whose first line is `start` (0: spans relative to it).

    `spellings` memoises each name's better spelling for one workspace generation: a digest names the
    same authors many times, and each lookup in the server's index takes its lock."""
    found: list = []
    if mentions.paper_id is not None:
        _seen_before(mentions, workspace, here, found, start)
    if mentions.names:
        _author_variants(mentions, workspace, found, spellings, start)
    return found


def _seen_before(mentions: Mentions, workspace: Workspace, here: str | None, found: list, start: int) -> None:
    paper_id = mentions.paper_id
    others = [occurrence for occurrence in workspace.occurrences(paper_id) if occurrence.path != here]
    if not others:
        return
    files = sorted({occurrence.path for occurrence in others})
    names = ", ".join(os.path.basename(path) for path in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    related = tuple(
        Related(occurrence.range, f"also listed here as entry [{occurrence.number}]" if occurrence.number else "also listed here", occurrence.path)
        for occurrence in others[:MAX_RELATED]
    )
    link = span_from_tuple(mentions.link).shifted(start)
    found.append(make(SEEN_BEFORE, f"{paper_id} is already listed in {names}", link, paper_id, related=related))


def _author_variants(mentions: Mentions, workspace: Workspace, found: list, spellings: dict, start: int) -> None:
    for text, *span in mentions.names:
        better = spellings.get(text, spellings)
        if better is spellings:
            better = spellings[text] = better_spelling(workspace, text)
        if better is None:
            continue
        spelling, count = better
        found.append(
            make(AUTHOR_VARIANT,
                f"`{text}` is spelled `{spelling}` {count} time{'s' if count != 1 else ''} in the workspace",
                span_from_tuple(span).shifted(start),
                mentions.paper,
            )
        )


def better_spelling(workspace: Workspace, name: str) -> tuple[str, int] | None:
    author = workspace.author(name)  # None for a name whose normal form is empty: a workspace counts none
    if author is None:
        return None
    counts = dict(author.spellings)
    mine = counts.get(name, 0)
    best, best_count = author.spellings[0]
    if best != name and best_count > mine:
        return best, best_count
    return None


# A digest that repeats a previous day's papers wholesale gets one D401 for that day, not one per entry.
REPEAT_SUMMARY_MIN = 5


def summarise_repeats(diagnostics: list, anchor: Span | None, entry_count: int) -> list:
    """One D401 at `anchor` (the first entry's heading) for the file most of the repeats come from, its
    entries as related information; per-entry D401 stays only for the exceptions (papers listed in some
    other file)."""
    seen = [d for d in diagnostics if d.code == SEEN_BEFORE.code]
    if len(seen) < REPEAT_SUMMARY_MIN or anchor is None:
        return diagnostics
    by_file: dict[str, list] = defaultdict(list)
    for diagnostic in seen:
        for path in {related.path for related in diagnostic.related}:
            by_file[path].append(diagnostic)
    path, covered = max(by_file.items(), key=lambda item: (len(item[1]), item[0]))
    if len(covered) < max(REPEAT_SUMMARY_MIN, entry_count // 4):
        return diagnostics
    covered_ids = {id(d) for d in covered}
    related = tuple(Related(d.range, f"{d.paper}, listed there too") for d in covered)
    count = len(covered)
    summary = replace(
        covered[0],
        message=f"{count} paper{'s' if count != 1 else ''} of this digest {'were' if count != 1 else 'was'} already listed in {Path(path).name}",
        range=anchor,
        paper=None,
        related=related,
    )
    kept = [d for d in diagnostics if id(d) not in covered_ids]
    kept.append(summary)
    kept.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    return kept


@dataclass(frozen=True, slots=True)
class _Listed:
    path: str
    number: int | None
    range: Span


@dataclass(frozen=True, slots=True)
class _Spellings:
    spellings: tuple[tuple[str, int], ...]


class CheckedFiles:
    """The workspace of a command-line run: the digests it checks, from each one's mentions.

    Spellings are ranked as the server's index ranks them (most mentions first, then by spelling)."""

    def __init__(self, files: dict[str, Sequence[tuple[int, Mentions]]]):
        """`files`: each file's entries, as (first line, mentions relative to it)."""
        self._listed: dict[str, list[_Listed]] = defaultdict(list)
        mentioned: Counter[str] = Counter()
        for path, entries in files.items():
            here = os.path.realpath(path)
            for start, mentions in entries:
                if mentions.paper_id is not None:
                    self._listed[mentions.paper_id].append(_Listed(here, mentions.number, span_from_tuple(mentions.heading).shifted(start)))
                mentioned.update(name[0] for name in mentions.names)
        self._key_of = {text: normalize_name(text) for text in mentioned}
        self._spellings: dict[str, dict[str, int]] = defaultdict(dict)
        for text, count in mentioned.items():
            key = self._key_of[text]
            if key:
                self._spellings[key][text] = count

    def occurrences(self, paper_id: str) -> Sequence[_Listed]:
        return self._listed.get(paper_id, ())

    def spellings_memo(self) -> dict:
        """The `check_mentions` memo, filled for every name mentioned: only a name spelled more than one way
        can have a better spelling, so only those are looked up."""
        memo: dict = dict.fromkeys(self._key_of)
        for counts in self._spellings.values():
            if len(counts) > 1:
                for text in counts:
                    memo[text] = better_spelling(self, text)
        return memo

    def author(self, name: str) -> _Spellings | None:
        key = self._key_of.get(name)
        counts = self._spellings.get(key if key is not None else normalize_name(name))
        if not counts:
            return None
        return _Spellings(tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))))
