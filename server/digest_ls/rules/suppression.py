"""Inline suppression comments, invisible when the digest is rendered.

    <!-- digest-ls: disable D301 D302 -->   ...   <!-- digest-ls: enable -->
    <!-- digest-ls: disable-next-entry D205 -->
    <!-- digest-ls: disable-file D304 -->

Rules are named by code (`D205`) or name (`duplicate-paper`). No rule at
all means every rule; a directive that names only unknown rules suppresses
nothing (it must not silently widen to every rule). A directive that
suppresses nothing is reported as D001 by the linter; a `digest-ls:`
comment whose directive or rule is not understood, as D002 (`misunderstood`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Document, EntryBlock, Span
from .context import make
from .registry import INVALID_SUPPRESSION, RULES, RULES_BY_NAME, closest

DIRECTIVES = ("disable", "enable", "disable-next-entry", "disable-file")
_DIRECTIVE = re.compile(r"digest-ls:\s*(disable-next-entry|disable-file|disable|enable)(?![\w-])\s*(.*)$", re.IGNORECASE)
# Any comment addressed to digest-ls, understood or not: `digest-ls:` and the word after it.
_ADDRESSED = re.compile(r"digest-ls\s*:\s*(\S*)", re.IGNORECASE)


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


def _comments(document: Document):
    """Every comment of the document: its block's index, the comment, and its absolute span."""
    for index, block in enumerate(document.blocks):
        start = document.starts[index]
        for comment in block.comments:
            yield index, comment, comment.span.shifted(start)


def collect(document: Document) -> list[Directive]:
    found: list[Directive] = []
    last_line = len(document.lines) - 1
    open_ranges: list[Directive] = []
    for index, comment, span in _comments(document):
        match = _DIRECTIVE.search(comment.body)
        if not match:
            continue
        kind = match.group(1).lower()
        codes, unknown = parse_codes(match.group(2))
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


def misunderstood(document: Document) -> list[Diagnostic]:
    """D002 for each `digest-ls:` comment with an unknown directive or naming an unknown rule, at the word."""
    found: list[Diagnostic] = []
    for _, comment, span in _comments(document):
        addressed = _ADDRESSED.search(comment.body)
        if not addressed:
            continue
        row = span.start_line
        line = document.lines[row]
        directive = _DIRECTIVE.search(comment.body)
        if directive is None:
            word = addressed.group(1)
            found.append(make(INVALID_SUPPRESSION, _unknown_directive(word), _word_span(line, row, word or "digest-ls")))
            continue
        for word in parse_codes(directive.group(2))[1]:
            close = closest(word)
            hint = f"; did you mean `{close}`?" if close else ""
            message = f"`{word}` names no rule: the comment does not suppress it{hint}"
            found.append(make(INVALID_SUPPRESSION, message, _word_span(line, row, word)))
    return found


def _unknown_directive(word: str) -> str:
    known = ", ".join(DIRECTIVES)
    if not word:
        return f"a `digest-ls:` comment without a directive ({known}): it suppresses nothing"
    close = difflib.get_close_matches(word.lower(), DIRECTIVES, n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"expected one of {known}"
    return f"`{word}` is not a directive ({hint}): the comment suppresses nothing"


def _word_span(line: str, row: int, word: str) -> Span:
    """The word in the comment's line (after `digest-ls`), or the whole line if it cannot be found."""
    column = line.find(word, max(line.find("digest-ls"), 0))
    if column < 0:
        return Span(row, 0, row, len(line))
    return Span(row, column, row, column + len(word))


def _next_entry(document: Document, block_index: int, line: int) -> tuple[int, int]:
    """The lines of the first entry that starts after the comment."""
    for index in range(block_index, len(document.blocks)):
        if isinstance(document.blocks[index], EntryBlock) and document.starts[index] > line:
            return document.starts[index], document.block_end(index) - 1
    return -1, -2
