"""The table of contents and the numbering a digest's sections call for: one implementation for the
rules' fixes (D101, D202) and the editor's "Regenerate table of contents" and "Renumber entries".

Both follow the file's own layout: numbers restart per section where the layout numbers that way, and
nothing is written for a layout that does not number its entries, or (for the TOC) is not upstream's.
"""

from __future__ import annotations

from ..diagnostics import Edit
from ..model import Document, EntryBlock, HeadingBlock, Span
from ..source import dominant_eol


def toc_lines(document: Document) -> list[str]:
    """The table of contents the sections call for, in the generator's layout."""
    items = [
        f"- [{section.category}](#{section.category}) [Total: {len(section.entries)}]"
        for section in document.sections
        if section.category is not None
    ]
    return ["<div id=toc></div>", "", "# Table of Contents", "", *items, "", ""]


def toc_edits(document: Document) -> list[Edit]:
    """Edits that make the TOC list every section with its count, in order; [] when it already does.

    Only in the upstream layout: another layout's TOC is never rewritten into upstream's.
    """
    if not document.layout.upstream or not document.layout.known:
        return []
    eol = dominant_eol(document.eols)
    sections = [s for s in document.sections if s.category is not None]
    lines = toc_lines(document)
    items = [line for line in lines if line.startswith("- [")]
    if document.toc is None:
        if not sections:
            return []
        first = sections[0].anchor if sections[0].anchor is not None else sections[0].heading
        line = document.starts[first]
        return [Edit(Span(line, 0, line, 0), eol.join(lines) + eol)]
    heading: HeadingBlock = document.blocks[document.toc.heading]
    start = document.starts[document.toc.heading]
    if not heading.toc_items:
        if not items:
            return []
        return [Edit(Span(start + 1, 0, start + 1, 0), eol + eol.join(items) + eol)]
    first = start + heading.toc_items[0].span.start_line
    last = start + heading.toc_items[-1].span.end_line
    current = list(document.lines[first : last + 1])
    if current == items:
        return []
    return [Edit(Span(first, 0, last, len(document.lines[last])), eol.join(items))]


def expected_numbers(document: Document):
    """(expected number, block index) of every entry, by the layout's numbering; nothing when it has none."""
    layout = document.layout
    if layout.numbering == "none" or not any(document.blocks[i].heading.number is not None for i in document.entries):
        return
    expected = 0
    for section in document.sections:
        if layout.numbering == "per-section":
            expected = 0
        for index in section.entries:
            expected += 1
            yield expected, index


def number_edit(document: Document, index: int, expected: int) -> Edit:
    """The edit that gives one entry its expected number (inserting `[N] ` where it has none)."""
    entry: EntryBlock = document.blocks[index]
    start = document.starts[index]
    number = entry.heading.number
    if number is not None:
        return Edit(number.span.shifted(start), str(expected))
    line = document.lines[start]
    hashes = len(line) - len(line.lstrip(" #"))
    column = hashes + 1 if line[hashes : hashes + 1] == " " else hashes
    return Edit(Span(start, column, start, column), f"[{expected}] ")


def renumber_edits(document: Document) -> list[Edit]:
    """Every entry numbered as the layout numbers them; [] when they already are."""
    return [
        number_edit(document, index, expected)
        for expected, index in expected_numbers(document)
        if (number := document.blocks[index].heading.number) is None or number.value != expected
    ]
