"""Workspace rules: D401 seen-before and D402 author-variant, as one pure function over the index.

They need the other files of the workspace, so they live beside the index
rather than in `digest_ls.rules`; configuration (select, ignore, severity,
per-paper ignores) and suppression comments apply exactly as in `lint`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostic, Related, Severity
from ..model import Document
from ..rules import suppression
from ..rules.registry import RULES, enabled_codes, matches
from .names import normalize_name

MAX_RELATED = 5


def workspace_diagnostics(index, path: str, document: Document) -> list[Diagnostic]:
    """D401 and D402 for one document, ranges absolute; the document itself comes from the caller."""
    if not document.is_digest:
        return []
    config = index.config
    enabled = enabled_codes(config.select, config.ignore) & {"D401", "D402"}
    overrides = config.severity_overrides()
    enabled = {code for code in enabled if overrides.get(code) != "off"}
    if not enabled:
        return []
    here = os.path.realpath(path) if path else None
    found: list[Diagnostic] = []
    if "D401" in enabled:
        found.extend(_seen_before(index, here, document))
    if "D402" in enabled:
        found.extend(_author_variants(index, document))
    return _configure(found, document, config, overrides)


def _seen_before(index, here: str | None, document: Document) -> list[Diagnostic]:
    found = []
    for _, start, entry in document.entry_blocks():
        link = entry.heading.link
        if link is None or link.id is None:
            continue
        paper_id = link.id.canonical
        others = [occurrence for occurrence in index.occurrences(paper_id) if occurrence.path != here]
        if not others:
            continue
        files = sorted({occurrence.path for occurrence in others})
        names = ", ".join(Path(path).name for path in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        span = (entry.heading.url.span if entry.heading.url is not None else entry.heading.span).shifted(start)
        related = tuple(
            Related(occurrence.range, f"also listed here as entry [{occurrence.number}]" if occurrence.number else "also listed here", occurrence.path)
            for occurrence in others[:MAX_RELATED]
        )
        found.append(
            Diagnostic("D401", f"{paper_id} is already listed in {names}", span, RULES["D401"].severity, paper_id, None, related)
        )
    return found


def _author_variants(index, document: Document) -> list[Diagnostic]:
    found = []
    verdicts: dict[str, tuple[str, int] | None] = {}
    for _, start, entry in document.entry_blocks():
        if entry.authors is None:
            continue
        for name in entry.authors.names:
            if not name.text:
                continue
            if name.text not in verdicts:
                verdicts[name.text] = _better_spelling(index, name.text)
            better = verdicts[name.text]
            if better is None:
                continue
            spelling, count = better
            found.append(
                Diagnostic(
                    "D402",
                    f"`{name.text}` is spelled `{spelling}` {count} time{'s' if count != 1 else ''} in the workspace",
                    name.span.shifted(start),
                    RULES["D402"].severity,
                    entry.arxiv_id,
                )
            )
    return found


def _better_spelling(index, name: str) -> tuple[str, int] | None:
    if not normalize_name(name):
        return None
    author = index.author(name)
    if author is None:
        return None
    counts = dict(author.spellings)
    mine = counts.get(name, 0)
    best, best_count = author.spellings[0]
    if best != name and best_count > mine:
        return best, best_count
    return None


def _configure(found: list[Diagnostic], document: Document, config, overrides) -> list[Diagnostic]:
    paper_ignores = config.paper_ignores()
    directives = suppression.collect(document)
    kept = []
    for diagnostic in found:
        if diagnostic.paper is not None and diagnostic.paper in paper_ignores:
            if matches(diagnostic.code, paper_ignores[diagnostic.paper]):
                continue
        line = diagnostic.range.start_line
        if any(directive.covers(diagnostic.code, line) for directive in directives):
            continue
        level = overrides.get(diagnostic.code)
        if level is not None:
            diagnostic = replace(diagnostic, severity=Severity.parse(level))
        kept.append(diagnostic)
    kept.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    return kept
