"""What stands at a position: a paper id, an author, a category, a back link or a rule code.

Every cursor-driven feature (hover, definition, references, highlight,
rename) starts here, so they all agree on what the user points at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..arxiv import find_ids
from ..model import AnchorBlock, Document, EntryBlock, HeadingBlock, Span
from ..rules.suppression import code_spans


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "paper", "author", "category", "back-link", "rule"
    text: str  # canonical id, author name as written, category, rule code
    range: Span  # absolute
    role: str = ""  # paper: "heading" | "mention"; category: "toc" | "anchor" | "heading" | "field"
    block: int | None = None


def block_at(document: Document, line: int) -> tuple[int, int]:
    """(block index, row relative to the block) for an absolute line."""
    index = document.block_at_line(line)
    return index, line - document.starts[index]


def target_at(document: Document, line: int, col: int) -> Target | None:
    if not document.blocks or not 0 <= line < len(document.lines):
        return None
    index, row = block_at(document, line)
    block = document.blocks[index]
    start = document.starts[index]
    for comment in block.comments:
        if comment.span.start_line == row and "digest-ls" in comment.body:
            found = _rule_code(document.lines[line], line, col)
            if found is not None:
                return found
    found = None
    if isinstance(block, EntryBlock):
        found = _in_entry(block, index, start, row, line, col)
    elif isinstance(block, HeadingBlock):
        found = _in_heading(block, index, start, row, col)
    elif isinstance(block, AnchorBlock) and row == 0 and not block.is_toc:
        if _hit(block.anchor.span, 0, col):
            found = Target("category", block.anchor.text, block.anchor.span.shifted(start), "anchor", index)
    return found or paper_mention(document, line, col)


def _hit(span: Span, row: int, col: int) -> bool:
    return span.start_line <= row <= span.end_line and span.contains(row, col)


def _in_entry(entry: EntryBlock, index: int, start: int, row: int, line: int, col: int) -> Target | None:
    heading = entry.heading
    if row == 0:
        link = heading.link
        if link is not None and link.id is not None:
            span = heading.url.span if heading.url is not None and _hit(heading.url.span, 0, col) else heading.span
            return Target("paper", link.id.canonical, span.shifted(start), "heading", index)
        return None
    if entry.authors is not None and entry.authors.span.start_line == row:
        for name in entry.authors.names:
            if name.text and _hit(name.span, row, col):
                return Target("author", name.text, name.span.shifted(start), "", index)
        return None
    category = entry.category
    if category is not None and category.value_span.start_line == row and _hit(category.value_span, row, col):
        value = category.value.strip()
        return Target("category", value, category.value_span.shifted(start), "field", index)
    return None


def _in_heading(block: HeadingBlock, index: int, start: int, row: int, col: int) -> Target | None:
    if block.is_toc:
        for item in block.toc_items:
            if item.span.start_line == row:
                for text in (item.category, item.anchor):
                    if _hit(text.span, row, col):
                        return Target("category", text.text, text.span.shifted(start), "toc", index)
        return None
    if row != 0:
        return None
    if block.category is not None and _hit(block.category.span, 0, col):
        return Target("category", block.category.text, block.category.span.shifted(start), "heading", index)
    if block.back_link is not None and _hit(block.back_link.span, 0, col):
        return Target("back-link", block.back_target.text if block.back_target else "toc", block.back_link.span.shifted(start), "", index)
    return None


def paper_mention(document: Document, line: int, col: int) -> Target | None:
    """An arXiv id (bare, `arXiv:ID` or inside an arxiv.org link) under the cursor anywhere."""
    text = document.lines[line]
    if not any(char.isdigit() for char in text):
        return None
    for begin, end, arxiv_id in find_ids(text):
        if begin <= col <= end:
            return Target("paper", arxiv_id.canonical, Span(line, begin, line, end), "mention", document.block_at_line(line))
    return None


def _rule_code(text: str, line: int, col: int) -> Target | None:
    body_start = text.find("<!--")
    if body_start < 0:
        return None
    body_start += 4
    body_end = text.find("-->", body_start)
    body = text[body_start : body_end if body_end >= 0 else len(text)]
    for code, begin, end in code_spans(body):
        if body_start + begin <= col <= body_start + end:
            return Target("rule", code, Span(line, body_start + begin, line, body_start + end))
    return None


# Words, keeping dotted codes and ids whole (cs.DC, 2601.00101) but not a sentence's full stop.
_WORD = re.compile(r"[\w'-]+(?:\.[\w'-]+)*")


def word_span(document: Document, line: int, col: int) -> Span | None:
    """The word (letters, digits, `-`, `'`, inner dots) around a position."""
    text = document.lines[line] if 0 <= line < len(document.lines) else ""
    for match in _WORD.finditer(text):
        if match.start() <= col <= match.end():
            return Span(line, match.start(), line, match.end())
    return None
