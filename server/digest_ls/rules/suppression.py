"""Inline suppression comments, invisible when the digest is rendered.

    <!-- digest-ls: disable D301 D302 -->   ...   <!-- digest-ls: enable -->
    <!-- digest-ls: disable-next-entry D205 -->
    <!-- digest-ls: disable-file D304 -->

No codes means every rule. A directive that suppresses nothing is reported
as D001 by the linter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, EntryBlock, Span

_DIRECTIVE = re.compile(r"digest-ls:\s*(disable-next-entry|disable-file|disable|enable)\b\s*(.*)$", re.IGNORECASE)
_CODE = re.compile(r"D\d{3}$")


@dataclass
class Directive:
    kind: str  # disable, enable, disable-next-entry, disable-file
    codes: tuple[str, ...]  # empty: every rule
    span: Span  # absolute
    first_line: int  # the lines it covers, inclusive
    last_line: int
    used: bool = False

    def covers(self, code: str, line: int) -> bool:
        return self.first_line <= line <= self.last_line and (not self.codes or code in self.codes)


def code_spans(comment_body: str) -> list[tuple[str, int, int]]:
    """Rule codes named in a comment body with their offsets in the body (for hover)."""
    return [(m.group(), m.start(), m.end()) for m in re.finditer(r"D\d{3}", comment_body)]


def collect(document: Document) -> list[Directive]:
    found: list[Directive] = []
    last_line = len(document.lines) - 1
    open_ranges: list[Directive] = []
    for index, block in enumerate(document.blocks):
        start = document.starts[index]
        for comment in block.comments:
            match = _DIRECTIVE.search(comment.body)
            if not match:
                continue
            kind = match.group(1).lower()
            codes = tuple(code.upper() for code in re.split(r"[\s,]+", match.group(2).strip()) if _CODE.match(code.upper()))
            span = comment.span.shifted(start)
            line = span.start_line
            if kind == "disable-file":
                found.append(Directive(kind, codes, span, 0, last_line))
            elif kind == "disable-next-entry":
                first, last = _next_entry(document, index, line)
                found.append(Directive(kind, codes, span, first, last))
            elif kind == "disable":
                directive = Directive(kind, codes, span, line, last_line)
                open_ranges.append(directive)
                found.append(directive)
            else:
                for directive in open_ranges:
                    if directive.last_line == last_line and (not codes or set(directive.codes) <= set(codes)):
                        directive.last_line = line
                open_ranges = [d for d in open_ranges if d.last_line == last_line]
    return found


def _next_entry(document: Document, block_index: int, line: int) -> tuple[int, int]:
    """The lines of the first entry that starts after the comment."""
    for index in range(block_index, len(document.blocks)):
        if isinstance(document.blocks[index], EntryBlock) and document.starts[index] > line:
            return document.starts[index], document.block_end(index) - 1
    return -1, -2
