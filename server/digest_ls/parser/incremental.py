"""Incremental re-parsing: apply LSP-style content changes to a parsed document.

Each change replaces a range (lines and code-point columns) with new text.
Only the blocks the change touches are parsed again: scanning for skeleton
lines starts at the block holding the change (one block earlier when the
change touches a skeleton line, which may stop being one) and stops at the
first skeleton line past the change that was a block start before it. Every
block after that is the very same object, only its start line shifts.

The result is by construction the value `parse(new_text)` would give, and
the property tests hold it to that.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..model import Document
from ..source import split_lines
from .document import assemble, parse, parse_blocks
from .skeleton import is_strong


@dataclass(frozen=True, slots=True)
class Change:
    """A content change; `range` None replaces the whole document.

    `range` is (start_line, start_col, end_line, end_col) in code points.
    """

    text: str
    range: tuple[int, int, int, int] | None = None


def apply_changes(document: Document, changes) -> Document:
    for change in changes:
        if change.range is None:
            document = parse(change.text)
        else:
            document = _apply(document, change.range, change.text)
    return document


def clamp(document: Document, line: int, col: int) -> tuple[int, int]:
    """Positions past a line's end or the document's end mean its end (as LSP says)."""
    last = len(document.lines) - 1
    if line < 0:
        return 0, 0
    if line > last:
        return last, len(document.lines[last])
    return line, max(0, min(col, len(document.lines[line])))


def _apply(document: Document, change_range, new_text: str) -> Document:
    start_line, start_col = clamp(document, change_range[0], change_range[1])
    end_line, end_col = clamp(document, change_range[2], change_range[3])
    if (end_line, end_col) < (start_line, start_col):
        start_line, start_col, end_line, end_col = end_line, end_col, start_line, start_col
    old_lines, old_eols = document.lines, document.eols
    first = start_line
    prefix = old_lines[start_line][:start_col]
    # A lone "\r" before the region may pair with a "\n" the change brings.
    if first > 0 and old_eols[first - 1] == "\r":
        first -= 1
        prefix = old_lines[first] + "\r" + prefix
    region = prefix + new_text + old_lines[end_line][end_col:] + old_eols[end_line]
    region_lines, region_eols = split_lines(region)
    if old_eols[end_line]:
        # The region ended with a terminator: the empty piece after it is not a line.
        region_lines.pop()
        region_eols.pop()
    lines = old_lines[:first] + tuple(region_lines) + old_lines[end_line + 1 :]
    eols = old_eols[:first] + tuple(region_eols) + old_eols[end_line + 1 :]
    delta = len(region_lines) - (end_line + 1 - first)
    changed_end = first + len(region_lines)  # first line after the replaced region, new numbering
    return _reparse(document, lines, eols, first, end_line + 1, changed_end, delta)


def _reparse(document: Document, lines, eols, first: int, old_changed_end: int, changed_end: int, delta: int):
    starts, blocks = document.starts, document.blocks
    index = max(0, bisect_right(starts, first) - 1)
    if index > 0 and starts[index] == first:
        index -= 1  # the edited line was a skeleton line and may no longer be one
    # Whether a plain heading starts a block depends on the entry before it: scan from a strong line.
    while index > 0 and not is_strong(lines[starts[index]]):
        index -= 1
    scan_from = starts[index]
    reuse = bisect_right(starts, old_changed_end - 1)  # first old block starting after the change
    while reuse < len(starts) and not is_strong(lines[starts[reuse] + delta]):
        reuse += 1
    stop = starts[reuse] + delta if reuse < len(starts) else len(lines)
    # A strong line starts a block wherever it stands, so the old blocks from `reuse` on are still valid.
    new_blocks, new_starts = parse_blocks(lines, scan_from, stop)
    all_blocks = blocks[:index] + tuple(new_blocks) + blocks[reuse:]
    all_starts = starts[:index] + tuple(new_starts) + tuple(start + delta for start in starts[reuse:])
    return assemble(lines, eols, all_blocks, all_starts)
