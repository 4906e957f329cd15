"""Code actions and rename: edits computed from the model, never by re-linting.

Code actions for a range: the quick fixes the diagnostics carry, then
"Regenerate table of contents", "Renumber entries", on an entry whose
paper the index knows "Fill entry from metadata", and on entries "Copy
BibTeX / CSL-JSON citation" (a command: the text is not an edit). Rename works on author
names (across the workspace: open buffers and files on disk) and on
categories (within the file: TOC item and anchor, section anchor and
heading, `Main category:` lines). Edits are absolute and use the
document's dominant line terminator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..config import Config
from ..diagnostics import Diagnostic, Edit
from ..index.names import normalize_name
from ..model import Document, EntryBlock, Span
from ..parser.entry import DETAIL_FIELDS
from ..rules.structure import renumber_edits, toc_edits  # noqa: F401 (part of the features API)
from ..source import dominant_eol
from . import cite
from .locate import block_at, target_at
from .navigation import category_spans


@dataclass(frozen=True)
class CodeAction:
    title: str
    kind: str  # "quickfix", "refactor.rewrite", "source.fixAll", "cite"
    edits: tuple[Edit, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    is_preferred: bool = False
    command: Command | None = None  # run (by the client or the server) instead of applying edits


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    arguments: dict  # plain JSON values; the adapter adds the document's URI



@dataclass(frozen=True, slots=True)
class RenameTarget:
    kind: str  # "author" or "category"
    range: Span
    text: str


def code_actions(document: Document, range: Span, diagnostics: Sequence[Diagnostic], index, config: Config) -> list[CodeAction]:
    actions: list[CodeAction] = []
    for diagnostic in diagnostics:
        if diagnostic.fix is not None and diagnostic.fix.edits and _overlaps(diagnostic.range, range):
            actions.append(CodeAction(diagnostic.fix.message, "quickfix", diagnostic.fix.edits, (diagnostic,), True))
    if not document.is_digest:
        return actions
    edits = toc_edits(document)
    if edits:
        actions.append(CodeAction("Regenerate table of contents", "refactor.rewrite", tuple(edits)))
    edits = renumber_edits(document)
    if edits:
        actions.append(CodeAction("Renumber entries", "refactor.rewrite", tuple(edits)))
    if index is not None:
        block_index, _ = block_at(document, range.start_line)
        entry = document.blocks[block_index]
        if isinstance(entry, EntryBlock) and entry.arxiv_id is not None:
            paper = index.paper(entry.heading.link.id.canonical)
            if paper is not None:
                edits = fill_entry_edits(document, block_index, paper)
                if edits:
                    actions.append(CodeAction("Fill entry from metadata", "refactor.rewrite", tuple(edits)))
    actions.extend(citation_actions(document, range))
    return actions


def citation_actions(document: Document, range: Span) -> list[CodeAction]:
    """"Copy citation" (BibTeX, CSL-JSON) for the entry at the cursor, or every entry a selection covers."""
    papers = [item.key for item in cite.references_at(document, cite.entries_in(document, range))]
    if not papers:
        return []
    what = papers[0] if len(papers) == 1 else f"{len(papers)} entries"
    return [
        CodeAction(f"Copy {label} citation of {what}", "cite", (), command=Command(cite.CITATION_COMMAND, {"papers": papers, "format": format}))
        for label, format in (("BibTeX", "bibtex"), ("CSL-JSON", "csl-json"))
    ]


def _overlaps(a: Span, b: Span) -> bool:
    return (a.start_line, a.start_col) <= (b.end_line, b.end_col) and (b.start_line, b.start_col) <= (a.end_line, a.end_col)


# --- table of contents and numbering ---------------------------------------------------------------


# --- fill from metadata --------------------------------------------------------------------------------


def fill_entry_edits(document: Document, block_index: int, paper) -> list[Edit]:
    """Insert what the entry lacks (authors, category, TL;DR, details fields) from the merged paper."""
    entry: EntryBlock = document.blocks[block_index]
    start = document.starts[block_index]
    eol = dominant_eol(document.eols)
    inserts: dict[int, list[str]] = {}  # absolute line -> lines to insert before it
    edits: list[Edit] = []

    def insert(line: int, lines: list[str]) -> None:
        inserts.setdefault(line, []).extend(lines)

    after_heading = start + 1
    if entry.authors is None and paper.authors:
        insert(after_heading, ["*" + ",".join(paper.authors) + "*"])
    after_authors = start + (entry.authors.span.end_line + 1 if entry.authors is not None else 1)
    category = entry.category
    tldr = entry.tldr
    head_point = after_authors
    if category is None and paper.category and document.template.value in ("current", "tldr"):
        insert(head_point, ["", f"Main category: {paper.category}"])
    elif category is not None:
        head_point = start + category.span.end_line + 1
    if tldr is None and paper.tldr:
        insert(head_point, ["", "TL;DR: " + " ".join(paper.tldr.split())])
    for field in (category, tldr):
        if field is not None and not field.value.strip():
            value = paper.category if field is category else paper.tldr
            if value:
                edits.append(_fill_value(document, start, field, " ".join(value.split())))
    _fill_details(document, entry, start, paper, insert, edits)
    for line in sorted(inserts):
        lines = inserts[line]
        if line < len(document.lines):
            edits.append(Edit(Span(line, 0, line, 0), eol.join(lines) + eol))
        else:
            last = len(document.lines) - 1
            edits.append(Edit(Span(last, len(document.lines[last]), last, len(document.lines[last])), eol + eol.join(lines)))
    if eol != "\n":
        # Multi-line values were joined with "\n"; give them the file's terminator too.
        edits = [Edit(edit.range, re.sub(r"(?<!\r)\n", eol, edit.new_text)) for edit in edits]
    edits.sort(key=lambda edit: (edit.range.start_line, edit.range.start_col))
    return edits


def _fill_details(document: Document, entry: EntryBlock, start: int, paper, insert, edits: list[Edit]) -> None:
    values = {label: paper.summary_field(label) for label in DETAIL_FIELDS}
    if entry.details is None:
        if not any(values.values()):
            return
        lines = ["", "", "<details>", "  <summary>Details</summary>"]
        for label in DETAIL_FIELDS:
            lines += [f"{label}: {_value_lines(values[label] or '')}", ""]
        lines.append("</details>")
        insert(start + entry.last_text_line + 1, lines)
        return
    present = {field.label: field for field in entry.fields if field.in_details}
    close = entry.details.close
    end_line = start + (close.start_line if close is not None else entry.last_text_line + 1)
    for position, label in enumerate(DETAIL_FIELDS):
        field = present.get(label)
        if field is not None:
            if not field.value.strip() and values[label]:
                edits.append(_fill_value(document, start, field, _value_lines(values[label])))
            continue
        if not values[label]:
            continue
        following = [present[later] for later in DETAIL_FIELDS[position + 1 :] if later in present]
        line = start + following[0].span.start_line if following else end_line
        insert(line, [f"{label}: {_value_lines(values[label])}", ""])


def _value_lines(value: str) -> str:
    # Keep the JSONL's line breaks (abstracts are wrapped) but never a blank line inside a value.
    return "\n".join(line.rstrip() for line in value.strip().splitlines() if line.strip())


def _fill_value(document: Document, start: int, field, value: str) -> Edit:
    """Put a value after an empty field's `Label:` (replacing trailing blanks on that line)."""
    line = start + field.label_text.span.end_line
    column = field.label_text.span.end_col
    return Edit(Span(line, column, line, len(document.lines[line])), " " + value)


# --- rename --------------------------------------------------------------------------------------------------


def prepare_rename(document: Document, line: int, col: int) -> RenameTarget | None:
    target = target_at(document, line, col)
    if target is None:
        return None
    if target.kind == "author":
        return RenameTarget("author", target.range, target.text)
    if target.kind == "category":
        return RenameTarget("category", target.range, target.text)
    return None


def rename_author(index, old: str, new: str) -> dict[str, list[Edit]]:
    """Every spelling of `old` (same normalised name) becomes `new`, in open buffers and on disk."""
    key = normalize_name(old)
    new = new.strip()
    if not key or not new or "," in new or "*" in new:
        return {}
    paths = sorted({occurrence.path for occurrence in index.author_occurrences(old)})
    changes: dict[str, list[Edit]] = {}
    for path in paths:
        document = index.document(path)
        if document is None:
            continue
        edits = [
            Edit(name.span.shifted(start), new)
            for _, start, entry in document.entry_blocks()
            if entry.authors is not None
            for name in entry.authors.names
            if name.text and name.text != new and normalize_name(name.text) == key
        ]
        if edits:
            changes[path] = edits
    return changes


def rename_category(document: Document, old: str, new: str) -> list[Edit]:
    new = new.strip()
    if not new or any(char in new for char in " \t[]()#'\"<>"):
        return []
    return [Edit(span, new) for span in category_spans(document, old)]
