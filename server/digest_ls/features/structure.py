"""Folding ranges, document links and selection ranges: the file's structure for the editor.

Folds: the table of contents, each section, each entry and each details
block. Links: entry and in-text arXiv abs/PDF URLs, `arXiv:ID` mentions,
TOC anchors and back links (as a line of this document). Selection ranges
grow word -> field (or line) -> entry -> section -> document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..arxiv import canonical_abs_url, find_ids, parse_link
from ..model import Document, EntryBlock, HeadingBlock, Span
from .navigation import section_heading, toc_span
from .locate import block_at, word_span


@dataclass(frozen=True, slots=True)
class FoldingRange:
    start_line: int
    end_line: int
    kind: str | None  # "region", "comment" or None


@dataclass(frozen=True, slots=True)
class DocumentLink:
    range: Span
    url: str | None  # an https URL
    target_line: int | None  # a line of this document (TOC anchors, back links)
    tooltip: str


@dataclass(frozen=True, slots=True)
class SelectionRange:
    range: Span
    parent: "SelectionRange | None"


# --- folding ----------------------------------------------------------------------------------------


def folding_ranges(document: Document) -> list[FoldingRange]:
    if not document.is_digest:
        return []
    folds: list[FoldingRange] = []
    if document.toc is not None:
        heading_index = document.toc.heading
        heading: HeadingBlock = document.blocks[heading_index]
        start = document.starts[heading_index]
        last = start + max((item.span.end_line for item in heading.toc_items), default=0)
        folds.append(FoldingRange(start, last, "region"))
    sections = [s for s in document.sections if s.heading is not None]
    for number, section in enumerate(sections):
        first = document.starts[section.heading]
        blocks_end = len(document.blocks) if number + 1 == len(sections) else (
            sections[number + 1].anchor if sections[number + 1].anchor is not None else sections[number + 1].heading
        )
        folds.append(FoldingRange(first, _last_text_line(document, section.heading, blocks_end), "region"))
    for index, start, entry in document.entry_blocks():
        folds.append(FoldingRange(start, start + entry.last_text_line, "region"))
        details = entry.details
        if details is not None:
            close = details.close.start_line if details.close is not None else entry.last_text_line
            folds.append(FoldingRange(start + details.open.start_line, start + close, "region"))
    return [fold for fold in folds if fold.end_line > fold.start_line]


def _last_text_line(document: Document, first_block: int, end_block: int) -> int:
    """The last non-blank line of blocks first_block..end_block-1."""
    last = document.starts[first_block]
    end_line = document.block_end(end_block - 1) if end_block > first_block else last + 1
    for line in range(end_line - 1, last, -1):
        if document.lines[line].strip():
            return line
    return last


# --- links ---------------------------------------------------------------------------------------------

_URL = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/[^\s)\]>\"'<]+", re.IGNORECASE)


def document_links(document: Document) -> list[DocumentLink]:
    if not document.is_digest:
        return []
    links: list[DocumentLink] = []
    heading_urls: set[tuple[int, int]] = set()
    for index, block in enumerate(document.blocks):
        start = document.starts[index]
        if isinstance(block, EntryBlock) and block.heading.url is not None and block.heading.link is not None:
            link = block.heading.link
            if link.is_arxiv and link.id is not None:
                span = block.heading.url.span.shifted(start)
                url = block.heading.url.text if block.heading.url.text.startswith("https://") else canonical_abs_url(link.id)
                links.append(DocumentLink(span, url, None, f"Open {link.id} on arXiv"))
                heading_urls.add((span.start_line, span.start_col))
        elif isinstance(block, HeadingBlock):
            for item in block.toc_items:
                target = section_heading(document, item.anchor.text)
                if target is not None:
                    links.append(
                        DocumentLink(item.anchor.span.shifted(start), None, target.start_line, f"Go to section {item.anchor.text}")
                    )
            if block.back_target is not None and block.back_target.text == "toc":
                toc = toc_span(document)
                if toc is not None:
                    links.append(DocumentLink(block.back_target.span.shifted(start), None, toc.start_line, "Go to the table of contents"))
    for number, text in enumerate(document.lines):
        if "arxiv" not in text and "arXiv" not in text and "ARXIV" not in text:
            continue
        for match in _URL.finditer(text):
            if (number, match.start()) in heading_urls:
                continue
            url = match.group().rstrip(".,;:")
            if parse_link(url).id is not None:
                links.append(DocumentLink(Span(number, match.start(), number, match.start() + len(url)), url.replace("http://", "https://", 1), None, "Open on arXiv"))
        for begin, end, arxiv_id in find_ids(text):
            prefix = text[max(0, begin - 7) : begin].lower()
            if "arxiv:" in prefix:
                links.append(DocumentLink(Span(number, begin, number, end), canonical_abs_url(arxiv_id), None, f"Open {arxiv_id} on arXiv"))
    links.sort(key=lambda link: (link.range.start_line, link.range.start_col))
    return links


# --- selection ranges -------------------------------------------------------------------------------


def selection_ranges(document: Document, positions: list[tuple[int, int]]) -> list[SelectionRange]:
    return [_selection(document, line, col) for line, col in positions]


def _selection(document: Document, line: int, col: int) -> SelectionRange:
    last = len(document.lines) - 1
    line = max(0, min(line, last))
    col = max(0, min(col, len(document.lines[line])))
    spans: list[Span] = []
    word = word_span(document, line, col)
    if word is not None:
        spans.append(word)
    index, row = block_at(document, line)
    block = document.blocks[index] if document.blocks else None
    start = document.starts[index] if document.blocks else 0
    if isinstance(block, EntryBlock):
        for field in block.fields:
            if field.span.start_line <= row <= field.span.end_line:
                if field.value_span.contains(row, col) and field.value_span.start_line != field.value_span.end_line:
                    spans.append(field.value_span.shifted(start))
                spans.append(field.span.shifted(start))
                break
        else:
            spans.append(Span(line, 0, line, len(document.lines[line])))
        entry_last = start + max(block.last_text_line, row)
        spans.append(Span(start, 0, entry_last, len(document.lines[entry_last])))
    else:
        spans.append(Span(line, 0, line, len(document.lines[line])))
    section = _section_span(document, index)
    if section is not None:
        spans.append(section)
    spans.append(Span(0, 0, last, len(document.lines[last])))
    result: SelectionRange | None = None
    previous = None
    for span in reversed(_growing(spans)):
        if span == previous:
            continue
        result = SelectionRange(span, result)
        previous = span
    return result


def _growing(spans: list[Span]) -> list[Span]:
    """Drop any span that does not contain the one before it (each parent must contain its child)."""
    kept: list[Span] = []
    for span in spans:
        if kept and not _contains(span, kept[-1]):
            continue
        if kept and span == kept[-1]:
            continue
        kept.append(span)
    return kept


def _contains(outer: Span, inner: Span) -> bool:
    return (outer.start_line, outer.start_col) <= (inner.start_line, inner.start_col) and (
        inner.end_line,
        inner.end_col,
    ) <= (outer.end_line, outer.end_col)


def _section_span(document: Document, block_index: int) -> Span | None:
    sections = [s for s in document.sections if s.heading is not None]
    for number, section in enumerate(sections):
        first_block = section.anchor if section.anchor is not None else section.heading
        end_block = len(document.blocks) if number + 1 == len(sections) else (
            sections[number + 1].anchor if sections[number + 1].anchor is not None else sections[number + 1].heading
        )
        if first_block <= block_index < end_block:
            first = document.starts[first_block]
            last = _last_text_line(document, first_block, end_block)
            return Span(first, 0, last, len(document.lines[last]))
    return None
