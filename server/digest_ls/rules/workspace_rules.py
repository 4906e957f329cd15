"""Workspace rules: D401 seen-before and D402 author-variant, per entry block, over a small protocol.

They need the other files of the workspace. What they read of it is the
`Workspace` protocol: the occurrences of a paper id and the spellings of an
author's name. The server's index satisfies it; a command-line run could
satisfy it from the files it checks.
They run inside `lint` like every other scope, so configuration and
suppression apply to them once, in the same place; their results are cached
per block and workspace generation, so a keystroke re-checks one entry.
Spans here are relative to the entry's first line.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, Sequence

from ..diagnostics import Related
from ..model import Document, EntryBlock, Span
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


def check_workspace_entry(entry: EntryBlock, view: WorkspaceView, here: str | None, spellings: dict) -> list:
    """`spellings` memoises each name's better spelling for one workspace generation: a digest names the
    same authors many times, and each lookup takes the index's lock."""
    found: list = []
    link = entry.heading.link
    if link is not None and link.id is not None:
        _seen_before(entry, link.id.canonical, view.workspace, here, found)
    if entry.authors is not None:
        _author_variants(entry, view.workspace, found, spellings)
    return found


def _seen_before(entry: EntryBlock, paper_id: str, workspace: Workspace, here: str | None, found: list) -> None:
    others = [occurrence for occurrence in workspace.occurrences(paper_id) if occurrence.path != here]
    if not others:
        return
    files = sorted({occurrence.path for occurrence in others})
    names = ", ".join(Path(path).name for path in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    span = entry.heading.url.span if entry.heading.url is not None else entry.heading.span
    related = tuple(
        Related(occurrence.range, f"also listed here as entry [{occurrence.number}]" if occurrence.number else "also listed here", occurrence.path)
        for occurrence in others[:MAX_RELATED]
    )
    found.append(make(SEEN_BEFORE, f"{paper_id} is already listed in {names}", span, paper_id, related=related))


def _author_variants(entry: EntryBlock, workspace: Workspace, found: list, spellings: dict) -> None:
    for name in entry.authors.names:
        if not name.text:
            continue
        better = spellings.get(name.text, spellings)
        if better is spellings:
            better = spellings[name.text] = better_spelling(workspace, name.text)
        if better is None:
            continue
        spelling, count = better
        found.append(
            make(AUTHOR_VARIANT,
                f"`{name.text}` is spelled `{spelling}` {count} time{'s' if count != 1 else ''} in the workspace",
                name.span,
                entry.arxiv_id,
            )
        )


def better_spelling(workspace: Workspace, name: str) -> tuple[str, int] | None:
    if not normalize_name(name):
        return None
    author = workspace.author(name)
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


def summarise_repeats(document: Document, diagnostics: list) -> list:
    """One D401 at the first entry for the file most of the repeats come from, its entries as related
    information; per-entry D401 stays only for the exceptions (papers listed in some other file)."""
    seen = [d for d in diagnostics if d.code == SEEN_BEFORE.code]
    if len(seen) < REPEAT_SUMMARY_MIN:
        return diagnostics
    by_file: dict[str, list] = defaultdict(list)
    for diagnostic in seen:
        for path in {related.path for related in diagnostic.related}:
            by_file[path].append(diagnostic)
    path, covered = max(by_file.items(), key=lambda item: (len(item[1]), item[0]))
    if len(covered) < max(REPEAT_SUMMARY_MIN, len(document.entries) // 4):
        return diagnostics
    covered_ids = {id(d) for d in covered}
    first = document.starts[document.entries[0]]
    span = Span(first, 0, first, len(document.lines[first]))
    related = tuple(Related(d.range, f"{d.paper}, listed there too") for d in covered)
    count = len(covered)
    summary = replace(
        covered[0],
        message=f"{count} paper{'s' if count != 1 else ''} of this digest {'were' if count != 1 else 'was'} already listed in {Path(path).name}",
        range=span,
        paper=None,
        related=related,
    )
    kept = [d for d in diagnostics if id(d) not in covered_ids]
    kept.append(summary)
    kept.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    return kept
