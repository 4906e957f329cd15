"""Completion: arXiv ids, authors, categories, field labels and a new-entry snippet.

`complete` finds the context at the cursor (the heading link, `arXiv:`, the
author line, `Main category:`, a TOC item, a section heading, the start of a
line inside an entry, a line starting with `###`) and asks the index or the
taxonomy. Each item carries the span it replaces and a `filter_text` equal
to what the user typed there, so a client that filters locally keeps the
server's fuzzy matches; lists are capped and marked incomplete when capped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .. import taxonomy
from ..config import Config
from ..index.names import normalize_name
from ..index.search import NameContext
from ..model import Document, EntryBlock, HeadingBlock, Span
from ..parser.entry import DETAIL_FIELDS
from .hover import paper_card
from .locate import block_at


@dataclass(frozen=True)
class CompletionItem:
    label: str
    kind: str  # "paper", "author", "category", "field", "snippet"
    detail: str
    insert_text: str
    is_snippet: bool
    replace_range: Span
    filter_text: str
    sort_text: str
    data: dict | None = None


@dataclass(frozen=True)
class CompletionResult:
    items: tuple[CompletionItem, ...]
    incomplete: bool


EMPTY = CompletionResult((), False)

# In a heading link the user may type title words (spaces included) instead of an id.
_ABS_LINK = re.compile(r"\]\((?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/([^)]*)$", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(r"(?<![A-Za-z0-9])arXiv:[ ]?([A-Za-z0-9./-]*)$", re.IGNORECASE)
_CATEGORY_FIELD = re.compile(r"^\s*(?:\*\*)?Main category(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(\S*)$")
_TOC_ITEM = re.compile(r"^\s*[-*+][ \t]+\[([^\]]*)$")
_SECTION_HEADING = re.compile(r"^#[ \t]+(\S*)$")
_ENTRY_START = re.compile(r"^\s{0,3}#{3}\s*$")
_LABEL_START = re.compile(r"^\s*([A-Za-z;]*)$")
_ID_CHARS = re.compile(r"[^)\s]*")


def complete(document: Document, line: int, col: int, index, config: Config, path: str | None = None) -> CompletionResult:
    if not 0 <= line < len(document.lines):
        return EMPTY
    text = document.lines[line]
    col = min(col, len(text))
    before = text[:col]
    limit = max(config.completion_limit, 1)
    block_index, row = block_at(document, line) if document.blocks else (0, 0)
    block = document.blocks[block_index] if document.blocks else None

    match = _ABS_LINK.search(before) or _ARXIV_PREFIX.search(before)
    if match:
        section = document.section_of(block_index) if isinstance(block, EntryBlock) else None
        where = _PaperContext(os.path.realpath(path) if path else None, line, section.category if section else None)
        return _papers(text, line, col, match.start(1), index, limit, where)
    if isinstance(block, EntryBlock) and row > 0:
        authors = block.authors
        if authors is not None and authors.span.start_line == row:
            context = _name_context(document, block_index, row, col, index, path)
            return _authors(text, line, col, index, limit, context)
    match = _CATEGORY_FIELD.match(before)
    if match:
        return _categories(document, line, col, match.start(1), index, limit, text[col:], "")
    match = _TOC_ITEM.match(before)
    if match and isinstance(block, HeadingBlock) and block.is_toc:
        return _categories(document, line, col, match.start(1), index, limit, text[col:], "toc")
    match = _SECTION_HEADING.match(before)
    if match and not (isinstance(block, HeadingBlock) and block.is_toc and row == 0):
        return _categories(document, line, col, match.start(1), index, limit, text[col:], "heading")
    if _ENTRY_START.match(before):
        return _entry_snippet(document, line, col, text)
    if isinstance(block, EntryBlock) and row > 0:
        match = _LABEL_START.match(before)
        if match:
            return _labels(block, row, line, col, match.start(1), text)
    return EMPTY


# --- papers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PaperContext:
    """Where an id is being typed: the digest, the line, and the category of the section around it."""

    path: str | None
    line: int
    category: str | None

    def is_the_typed_entry(self, paper) -> bool:
        """The only listing of the paper is the heading being typed: offering it would offer the fragment."""
        occurrences = paper.occurrences
        return (
            bool(occurrences)
            and paper.metadata_path is None
            and all(o.path == self.path and o.line == self.line for o in occurrences)
        )


def _papers(text: str, line: int, col: int, start: int, index, limit: int, where: _PaperContext) -> CompletionResult:
    if index is None:
        return EMPTY
    end = col + _ID_CHARS.match(text, col).end() - col
    typed = text[start:col]
    found, incomplete = index.search_papers(typed, limit + 1)
    found = [hit for hit in found if not where.is_the_typed_entry(hit.paper)]
    # The section's own category first, keeping the index's order (match, then newest) within each group.
    ranked = sorted(found, key=lambda hit: where.category is None or where.category not in (hit.paper.category, *hit.paper.categories))
    hits = ranked[:limit]
    incomplete = incomplete or len(ranked) > limit
    replace = Span(line, start, line, end)
    items = tuple(
        CompletionItem(
            label=hit.paper.id,
            kind="paper",
            detail=hit.paper.title,
            insert_text=hit.paper.id,
            is_snippet=False,
            replace_range=replace,
            filter_text=typed or hit.paper.id,
            sort_text=f"{rank:05d}",
            data={"paper": hit.paper.id},
        )
        for rank, hit in enumerate(hits)
    )
    return CompletionResult(items, incomplete)


def resolve_paper_card(index, paper_id: str, config: Config) -> str | None:
    """The documentation of a paper completion item (completionItem/resolve): its most recent listing."""
    return paper_card(paper_id, index, config) if index is not None else None


# --- authors ----------------------------------------------------------------------------------


def _name_context(document: Document, block_index: int, row: int, col: int, index, path: str | None) -> NameContext:
    """The paper, digest and category a name is typed for, and the mention being typed.

    The index holds the open buffer, so the half-typed name at the cursor is one of its
    mentions: it is discounted, or the fragment itself would be offered (and, as it matches
    itself, the typo-tolerant search would never run).
    """
    entry: EntryBlock = document.blocks[block_index]
    typed = [
        name.text for name in entry.authors.names
        if name.text and name.span.start_line == row and name.span.start_col <= col <= name.span.end_col
    ]
    buffer_indexed = index is not None and path is not None and index.is_open(path)
    section = document.section_of(block_index)
    category = entry.category.value.strip() if entry.category is not None else None
    return NameContext(
        exclude=tuple(normalize_name(name) for name in typed[:1]) if buffer_indexed else (),
        paper_id=entry.arxiv_id,
        path=path,
        category=category or (section.category if section is not None else None),
    )


def _authors(text: str, line: int, col: int, index, limit: int, context: NameContext) -> CompletionResult:
    if index is None:
        return EMPTY
    lead = len(text) - len(text.lstrip())
    inner_start = lead + 1 if text[lead : lead + 1] == "*" else lead
    if col < inner_start:
        return EMPTY
    segment_start = text.rfind(",", inner_start, col) + 1 or inner_start
    segment_start = max(segment_start, inner_start)
    while segment_start < col and text[segment_start] == " ":
        segment_start += 1
    end = col
    while end < len(text) and text[end] not in ",*":
        end += 1
    typed = text[segment_start:col]
    hits, incomplete = index.search_authors(typed, limit, context)
    replace = Span(line, segment_start, line, len(text[:end].rstrip()) if end > col else col)
    items = tuple(
        CompletionItem(
            label=hit.name,
            kind="author",
            detail=f"{hit.count} mention{'s' if hit.count != 1 else ''} in the workspace",
            insert_text=hit.name,
            is_snippet=False,
            replace_range=replace,
            filter_text=typed or hit.name,
            sort_text=f"{rank:05d}",
        )
        for rank, hit in enumerate(hits)
    )
    return CompletionResult(items, incomplete)


# --- categories ---------------------------------------------------------------------------------


def _categories(document: Document, line: int, col: int, start: int, index, limit: int, after: str, where: str) -> CompletionResult:
    typed = document.lines[line][start:col]
    end = col + len(re.match(r"[^\]\s]*", after).group())
    folded = typed.casefold()
    present = [section.category for section in document.sections if section.category]
    ranked: list[tuple[tuple, str]] = []
    for category, name in taxonomy.CATEGORIES.items():
        code = category.casefold()
        if folded and not (code.startswith(folded) or folded in code or folded in name.casefold()):
            continue
        used = category in present
        ranked.append(((0 if code.startswith(folded) else 1, 0 if used else 1, category), category))
    ranked.sort()
    rest_of_line = after[end - col :].strip()
    items = []
    for rank, (_, category) in enumerate(ranked[:limit]):
        insert = category
        if where == "toc" and not rest_of_line:
            count = sum(len(s.entries) for s in document.sections if s.category == category)
            insert = f"{category}](#{category}) [Total: {count}]"
        elif where == "heading" and not rest_of_line:
            insert = f"{category} [[Back]](#toc)"
        items.append(
            CompletionItem(
                label=category,
                kind="category",
                detail=taxonomy.CATEGORIES[category],
                insert_text=insert,
                is_snippet=False,
                replace_range=Span(line, start, line, end),
                filter_text=typed or category,
                sort_text=f"{rank:05d}",
            )
        )
    return CompletionResult(tuple(items), len(ranked) > limit)


# --- field labels and the entry snippet ------------------------------------------------------------


def _labels(entry: EntryBlock, row: int, line: int, col: int, start: int, text: str) -> CompletionResult:
    details = entry.details
    inside = details is not None and details.open.start_line < row and (details.close is None or row < details.close.start_line)
    labels = DETAIL_FIELDS if inside else ("Main category", "TL;DR")
    present = {field.label for field in entry.fields}
    typed = text[start:col]
    end = col + len(re.match(r"[A-Za-z;]*", text[col:]).group())
    items = []
    ordered = [label for label in labels if label not in present] + [label for label in labels if label in present]
    for rank, label in enumerate(ordered):
        if typed and not label.casefold().startswith(typed.casefold()):
            continue
        items.append(
            CompletionItem(
                label=f"{label}:",
                kind="field",
                detail="missing in this entry" if label not in present else "already present",
                insert_text=f"{label}: ",
                is_snippet=False,
                replace_range=Span(line, start, line, end),
                filter_text=typed or label,
                sort_text=f"{rank:05d}",
            )
        )
    return CompletionResult(tuple(items), False)


def _entry_snippet(document: Document, line: int, col: int, text: str) -> CompletionResult:
    previous = None
    section_category = None
    for section in document.sections:
        for index in section.entries:
            if document.starts[index] < line:
                previous = document.blocks[index]
                section_category = section.category
    if section_category is None:
        heading_above = [s for s in document.sections if s.heading is not None and document.starts[s.heading] < line]
        if heading_above:
            section_category = heading_above[-1].category
    number = 1
    if previous is not None and previous.heading.number is not None:
        number = previous.heading.number.value + 1
    elif document.entries:
        number = sum(1 for index in document.entries if document.starts[index] < line) + 1
    category = _snippet_escape(section_category or "")
    body = "\n".join(
        [
            f"### [{number}] [${{1:Title}}](https://arxiv.org/abs/${{2:ID}})",
            "*${3:Authors}*",
            "",
            f"Main category: ${{4:{category}}}",
            "",
            "TL;DR: ${5}",
            "",
            "",
            "<details>",
            "  <summary>Details</summary>",
            "Motivation: ${6}",
            "",
            "Method: ${7}",
            "",
            "Result: ${8}",
            "",
            "Conclusion: ${9}",
            "",
            "Abstract: ${10}",
            "",
            "</details>$0",
        ]
    )
    item = CompletionItem(
        label=f"### [{number}] entry",
        kind="snippet",
        detail="a new paper entry in the digest template",
        insert_text=body,
        is_snippet=True,
        replace_range=Span(line, 0, line, len(text)),
        filter_text=text[:col],
        sort_text="00000",
    )
    return CompletionResult((item,), False)


def _snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
