"""Inline suppression comments, invisible when the digest is rendered.

    <!-- digest-ls: disable D301 D302 -->   ...   <!-- digest-ls: enable -->
    <!-- digest-ls: disable-next-entry D205 -->
    <!-- digest-ls: disable-file D304 -->

Rules are named by code (`D205`) or name (`duplicate-paper`). No rule at
all means every rule; a directive that names only unknown rules suppresses
nothing (it must not silently widen to every rule). A directive that
suppresses nothing is reported as D001 by the linter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, EntryBlock, Span
from .registry import RULES, RULES_BY_NAME

_DIRECTIVE = re.compile(r"digest-ls:\s*(disable-next-entry|disable-file|disable|enable)\b\s*(.*)$", re.IGNORECASE)


@dataclass
class Directive:
    kind: str  # disable, enable, disable-next-entry, disable-file
    codes: tuple[str, ...]  # empty: every rule (unless `unknown` is set)
    span: Span  # absolute
    first_line: int  # the lines it covers, inclusive
    last_line: int
    used: bool = False
    unknown: tuple[str, ...] = ()  # words that name no rule

    def covers(self, code: str, line: int) -> bool:
        if not self.codes and self.unknown:
            return False
        return self.first_line <= line <= self.last_line and (not self.codes or code in self.codes)


def parse_codes(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(rule codes, unknown words) named in a directive's argument text."""
    codes: list[str] = []
    unknown: list[str] = []
    for word in re.split(r"[\s,]+", text.strip()):
        if not word:
            continue
        if word.upper() in RULES:
            codes.append(word.upper())
        elif word.lower() in RULES_BY_NAME:
            codes.append(RULES_BY_NAME[word.lower()].code)
        else:
            unknown.append(word)
    return tuple(codes), tuple(unknown)


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
            codes, unknown = parse_codes(match.group(2))
            span = comment.span.shifted(start)
            line = span.start_line
            if kind == "disable-file":
                found.append(Directive(kind, codes, span, 0, last_line, unknown=unknown))
            elif kind == "disable-next-entry":
                first, last = _next_entry(document, index, line)
                found.append(Directive(kind, codes, span, first, last, unknown=unknown))
            elif kind == "disable":
                directive = Directive(kind, codes, span, line, last_line, unknown=unknown)
                open_ranges.append(directive)
                found.append(directive)
            else:
                for directive in open_ranges:
                    # `enable` ends every open range; `enable D301` only those for D301 (not a `disable` of all).
                    closes = not codes or (directive.codes and set(directive.codes) <= set(codes))
                    if directive.last_line == last_line and closes:
                        directive.last_line = line
                open_ranges = [d for d in open_ranges if d.last_line == last_line]
    return found


def _next_entry(document: Document, block_index: int, line: int) -> tuple[int, int]:
    """The lines of the first entry that starts after the comment."""
    for index in range(block_index, len(document.blocks)):
        if isinstance(document.blocks[index], EntryBlock) and document.starts[index] > line:
            return document.starts[index], document.block_end(index) - 1
    return -1, -2
