"""Applying text edits and the rules' mechanical fixes.

Edits are in code points against a Document's lines. Overlapping edits are
skipped (the later one waits for the next round), and `fix_all` repeats
until nothing changes, so it converges to a text the fixable rules accept.
Line terminators are the document's own: an edit's "\n" becomes the file's
dominant terminator.
"""

from __future__ import annotations

from .config import Config
from .diagnostics import Diagnostic, Edit
from .model import Document
from .parser.document import parse
from .source import dominant_eol, with_line_endings

MAX_ROUNDS = 8


def offset_of(document: Document, line: int, col: int, line_offsets: list[int]) -> int:
    if line >= len(document.lines):
        return line_offsets[-1]
    return line_offsets[line] + min(col, len(document.lines[line]))


def line_offsets(document: Document) -> list[int]:
    offsets = [0]
    total = 0
    for line, eol in zip(document.lines, document.eols):
        total += len(line) + len(eol)
        offsets.append(total)
    return offsets


def apply_edits(document: Document, edits) -> str:
    """The document's text with non-overlapping edits applied (the first of two overlapping ones wins)."""
    text = document.text
    offsets = line_offsets(document)
    eol = dominant_eol(document.eols)
    placed: list[tuple[int, int, str]] = []
    for edit in edits:
        start = offset_of(document, edit.range.start_line, edit.range.start_col, offsets)
        end = offset_of(document, edit.range.end_line, edit.range.end_col, offsets)
        placed.append((start, end, with_line_endings(edit.new_text, eol)))
    placed.sort(key=lambda item: (item[0], item[1]))
    pieces: list[str] = []
    position = 0
    for start, end, new_text in placed:
        if start < position:
            continue
        pieces.append(text[position:start])
        pieces.append(new_text)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def fixable_edits(diagnostics) -> list[Edit]:
    edits: list[Edit] = []
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            edits.extend(diagnostic.fix.edits)
    return edits


def fix_all(document: Document, config: Config = Config(), codes=None, *, include_unsafe: bool = True) -> str:
    """Apply every available fix (of `codes` when given; unsafe ones only with `include_unsafe`) until the text stops changing."""
    from .lint import lint

    text = document.text
    for _ in range(MAX_ROUNDS):
        diagnostics: list[Diagnostic] = [
            d
            for d in lint(document, config).diagnostics
            if d.fix is not None and (include_unsafe or d.fix.safe) and (codes is None or d.code in codes)
        ]
        if not diagnostics:
            break
        new_text = apply_edits(document, fixable_edits(diagnostics))
        if new_text == text:
            break
        text = new_text
        document = parse(text)
    return text
