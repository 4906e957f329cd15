"""Go to definition, find references and document highlights.

Definition: a TOC item or `Main category:` value goes to its section
heading, a `[[Back]](#toc)` link to the table of contents, an arXiv id to
its first listing in the workspace. References: every entry listing a paper,
every entry naming an author, every mention of a category in the file.
`path` is the document's own path; a `Location` with path None is in the
document passed in (whose text may be newer than the index's copy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NamedTuple

from ..model import AnchorBlock, Document, EntryBlock, HeadingBlock, Span
from ..index.names import normalize_name
from .locate import target_at


class Location(NamedTuple):
    path: str | None
    range: Span


@dataclass(frozen=True, slots=True)
class Highlight:
    range: Span
    kind: str  # "text", "read", "write"


def definition(document: Document, line: int, col: int, index, path: str | None = None) -> list[Location]:
    target = target_at(document, line, col)
    if target is None:
        return []
    if target.kind == "category" and target.role in ("toc", "field", "anchor"):
        span = section_heading(document, target.text)
        return [Location(None, span)] if span is not None else []
    if target.kind == "back-link":
        span = toc_span(document)
        return [Location(None, span)] if span is not None else []
    if target.kind == "paper":
        locations = paper_locations(document, target.text, index, path)
        return locations[:1]
    return []


def references(
    document: Document, line: int, col: int, index, path: str | None = None, include_declaration: bool = True
) -> list[Location]:
    target = target_at(document, line, col)
    if target is None:
        return []
    if target.kind == "paper":
        locations = paper_locations(document, target.text, index, path)
        return locations if include_declaration else locations[1:]
    if target.kind == "author":
        return author_locations(document, target.text, index, path)
    if target.kind == "category":
        spans = category_spans(document, target.text)
        if not include_declaration:
            declaration = section_category_span(document, target.text)
            spans = [span for span in spans if span != declaration]
        return [Location(None, span) for span in spans]
    return []


def document_highlight(document: Document, line: int, col: int) -> list[Highlight]:
    target = target_at(document, line, col)
    if target is None:
        return []
    if target.kind == "paper":
        spans = [span for span, _ in paper_spans(document, target.text)]
    elif target.kind == "author":
        spans = author_spans(document, target.text)
    elif target.kind == "category":
        spans = category_spans(document, target.text)
    else:
        return []
    return [Highlight(span, "text") for span in spans]


# --- shared lookups (also used by rename and structure) ------------------------------------------


def section_heading(document: Document, category: str) -> Span | None:
    for section in document.sections:
        if section.category == category and section.heading is not None:
            heading: HeadingBlock = document.blocks[section.heading]
            return heading.span.shifted(document.starts[section.heading])
    return None


def section_category_span(document: Document, category: str) -> Span | None:
    """The category code in the section heading: the category's declaration."""
    for section in document.sections:
        if section.category == category and section.heading is not None:
            heading: HeadingBlock = document.blocks[section.heading]
            return heading.category.span.shifted(document.starts[section.heading])
    return None


def toc_span(document: Document) -> Span | None:
    if document.toc is None:
        return None
    index = document.toc.anchor if document.toc.anchor is not None else document.toc.heading
    return document.blocks[index].span.shifted(document.starts[index])


def paper_spans(document: Document, paper_id: str) -> list[tuple[Span, bool]]:
    """(span, is_heading) for the entry headings listing the id and the id's mentions in the text."""
    from ..arxiv import find_ids

    found: list[tuple[Span, bool]] = []
    heading_lines = set()
    for _, start, entry in document.entry_blocks():
        link = entry.heading.link
        if link is not None and link.id is not None and link.id.canonical == paper_id:
            url = entry.heading.url
            found.append(((url.span if url is not None else entry.heading.span).shifted(start), True))
            heading_lines.add(start)
    needle = paper_id.split("/")[-1]
    for number, text in enumerate(document.lines):
        if number in heading_lines or needle not in text:
            continue
        for begin, end, arxiv_id in find_ids(text):
            if arxiv_id.canonical == paper_id:
                found.append((Span(number, begin, number, end), False))
    found.sort(key=lambda pair: (pair[0].start_line, pair[0].start_col))
    return found


def paper_locations(document: Document, paper_id: str, index, path: str | None) -> list[Location]:
    """The first workspace occurrence first (by path, then line), this document's from the document."""
    here = os.path.realpath(path) if path else None
    own = [Location(None, span) for span, is_heading in paper_spans(document, paper_id) if is_heading]
    others: list[Location] = []
    if index is not None:
        for occurrence in index.occurrences(paper_id):
            if occurrence.path != here:
                others.append(Location(occurrence.path, occurrence.range))
    if here is None:
        return own + others
    # Keep the workspace order: files before this one, this one, files after it.
    before = [loc for loc in others if loc.path < here]
    after = [loc for loc in others if loc.path > here]
    return before + own + after


def author_spans(document: Document, name: str) -> list[Span]:
    key = normalize_name(name)
    spans = []
    for _, start, entry in document.entry_blocks():
        if entry.authors is None:
            continue
        for author in entry.authors.names:
            if author.text and normalize_name(author.text) == key:
                spans.append(author.span.shifted(start))
    return spans


def author_locations(document: Document, name: str, index, path: str | None) -> list[Location]:
    here = os.path.realpath(path) if path else None
    found = [Location(None, span) for span in author_spans(document, name)]
    if index is not None:
        found += [Location(o.path, o.range) for o in index.author_occurrences(name) if o.path != here]
    return found


def category_spans(document: Document, category: str) -> list[Span]:
    """TOC item text and anchor, section anchor and heading, and `Main category:` values naming it."""
    spans: list[Span] = []
    for index, block in enumerate(document.blocks):
        start = document.starts[index]
        if isinstance(block, HeadingBlock):
            for item in block.toc_items:
                for text in (item.category, item.anchor):
                    if text.text == category:
                        spans.append(text.span.shifted(start))
            if block.category is not None and block.category.text == category:
                spans.append(block.category.span.shifted(start))
        elif isinstance(block, AnchorBlock):
            if block.anchor.text == category:
                spans.append(block.anchor.span.shifted(start))
        elif isinstance(block, EntryBlock):
            field = block.category
            if field is not None and field.value.strip() == category and field.value_span.start_line == field.value_span.end_line:
                spans.append(field.value_span.shifted(start))
    return spans


__all__ = ["Location", "Highlight", "definition", "references", "document_highlight"]
