"""Splitting text into lines and their terminators, the way LSP counts lines.

Only `\n`, `\r\n` and `\r` end a line (not the form feed or the other breaks
that `str.splitlines` honours: digests carry form feeds from eaten LaTeX).
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Return (lines, terminators); there is always at least one line."""
    if "\r" not in text:
        lines = text.split("\n")
        eols = ["\n"] * (len(lines) - 1)
        eols.append("")
        return lines, eols
    lines: list[str] = []
    eols: list[str] = []
    position = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[position : match.start()])
        eols.append(match.group())
        position = match.end()
    lines.append(text[position:])
    eols.append("")
    return lines, eols


def dominant_eol(eols) -> str:
    """The terminator most lines use ("\n" for a file of one line)."""
    counts = {"\n": 0, "\r\n": 0, "\r": 0}
    for eol in eols:
        if eol:
            counts[eol] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else "\n"
