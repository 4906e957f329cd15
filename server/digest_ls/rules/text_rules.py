"""Character-level checks over a block's lines: control characters (D302) and whitespace (D304).

One compiled character class per rule scans each line in C; nothing here
walks characters in Python unless a line is already known to be dirty.
"""

from __future__ import annotations

import re
from itertools import repeat

from ..model import Span
from ..parser.labels import match_label
from .context import Edit, Fix, make
from .registry import CONTROL_CHARACTER, WHITESPACE

# A tab right before letters is `\t` eaten out of `\textsc`, `\theta` or `\tau`: a control character.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\t(?=[a-z])")
# Not U+200C/U+200D: the joiners are part of emoji sequences and of Persian or Indic words.
INVISIBLE = re.compile(r"[\u00ad\u200b\u200e\u200f\u2028\u2029\u2060-\u2064\ufeff]")
TRAILING = re.compile(r"[ \t]+$")
TAB = re.compile(r"\t(?![a-z])")
_CONTROL_NAMES = {"\t": "tab", "\x0c": "form feed", "\x08": "backspace", "\x0b": "vertical tab", "\x07": "bell", "\x1b": "escape", "\x00": "NUL"}


# A character any check below could report.
SUSPECT_CHARACTER = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u00ad\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]")


def _suspect(line: str) -> bool:
    """Whether a line holds anything a check below could report."""
    return line.endswith(" ") or SUSPECT_CHARACTER.search(line) is not None


def may_hold_suspects(lines) -> bool:
    """False for a block in which no line is `_suspect`, as nearly every block is; True for a few more.

    Every character `SUSPECT_CHARACTER` finds is unprintable, and `str.isprintable` scans a line twice
    as fast as the class does (U+3000 or a joiner is unprintable too: its block is then read line by
    line).
    """
    return not all(map(str.isprintable, lines)) or any(map(str.endswith, lines, repeat(" ")))


def _empty_label(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith((":", "：", ":**", "**:")) and match_label(stripped, True) is not None


def check_text(lines: list[str], paper: str | None) -> list:
    found: list = []
    if not may_hold_suspects(lines):
        return found
    for row, line in enumerate(lines):
        if not line or not _suspect(line):
            continue
        control = CONTROL.search(line)
        if control:
            found.append(_control(line, row, control, paper))
        found.extend(_whitespace(line, row, paper))
    return found


def _control(line: str, row: int, match: re.Match, paper):
    character = match.group()
    name = _CONTROL_NAMES.get(character, f"U+{ord(character):04X}")
    count = len(CONTROL.findall(line))
    more = f" ({count} on this line)" if count > 1 else ""
    hint = " (a LaTeX escape eaten as a JSON escape?)" if character in "\t\x0c\x08\x0b\x07\x0d" else ""
    span = Span(row, match.start(), row, match.end())
    return make(CONTROL_CHARACTER, f"control character {name}{more}{hint}", span, paper)


def _whitespace(line: str, row: int, paper) -> list:
    found = []
    trailing = TRAILING.search(line)
    if trailing and _empty_label(line[: trailing.start()]):
        trailing = None  # `TL;DR: `: the generator's own way of writing an empty value
    if trailing:
        span = Span(row, trailing.start(), row, trailing.end())
        fix = Fix("Remove trailing whitespace", (Edit(span, ""),))
        found.append(make(WHITESPACE, "trailing whitespace", span, paper, fix))
    limit = trailing.start() if trailing else len(line)
    # A tab in the indentation is Markdown's own (a layout's `\t1. item` list); one inside text is not.
    indent = len(line) - len(line.lstrip(" \t"))
    tab = TAB.search(line, indent, limit)
    if tab:
        span = Span(row, tab.start(), row, tab.end())
        edits = tuple(Edit(Span(row, m.start(), row, m.end()), " ") for m in TAB.finditer(line, indent, limit))
        found.append(make(WHITESPACE, "tab character", span, paper, Fix("Replace tabs with spaces", edits)))
    invisible = INVISIBLE.search(line)
    if invisible:
        span = Span(row, invisible.start(), row, invisible.end())
        edits = tuple(Edit(Span(row, m.start(), row, m.end()), "") for m in INVISIBLE.finditer(line))
        # Removing a character changes the text: a person confirms (an invisible joiner may be meant).
        fix = Fix("Remove invisible characters", edits, safe=False)
        found.append(make(WHITESPACE, f"invisible character U+{ord(invisible.group()):04X}", span, paper, fix))
    return found
