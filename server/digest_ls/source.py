"""Lines and their terminators, the way LSP counts lines, and the one line-ending policy.

Only `\n`, `\r\n` and `\r` end a line (not the form feed or the other breaks
that `str.splitlines` honours: digests carry form feeds from eaten LaTeX).

Rules write the text of their edits with `\n`. Whoever applies or sends an
edit (`fixes.apply_edits` for the command line, `lsp.convert.to_text_edits`
for the server, `formatting` for blank lines) writes its line breaks in the
document's own ending, `dominant_eol`, through `with_line_endings`.
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
    """The terminator most lines use ("\n" for a file of one line, and on a tie with "\n")."""
    counts = {eol: eols.count(eol) for eol in ("\n", "\r\n", "\r")}  # a count runs in C: this is per code action
    return max(counts, key=counts.__getitem__)


def with_line_endings(text: str, eol: str) -> str:
    """`text` with each of its line breaks (`\n`, `\r\n` or `\r`) written as `eol`."""
    if "\r" not in text:
        return text if eol == "\n" or "\n" not in text else text.replace("\n", eol)
    return _LINE_BREAK.sub(lambda _: eol, text)
