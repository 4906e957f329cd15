"""Field labels: every spelling the generator and its forks write, and the near misses a person types.

A label line is `Label: value` with the label plain (`TL;DR:`), bold
(`**TL;DR:**`, `**TL;DR**:`), quoted (`> **TL;DR:**`) or with a full-width
colon (`中文摘要：`). Known labels map to one canonical name so that every
layout reads into the same model; any other short label a layout writes
(`Selection reason:`, `**Keywords:**`) is read as a field under its own
name, so a layout's extra fields never leak into the field before them.

Near misses (`Motivaton:`, `TL;DR` without its colon) are recognised with
rapidfuzz's edit distance (optimal string alignment: a swapped pair of letters is one edit) and read as the field they were meant to be; the
parser records them so the rules can point at the typo.
"""

from __future__ import annotations

import re
from functools import partial
from typing import NamedTuple

# Canonical label for every spelling the generator and its forks use (keys compared case-sensitively
# first, then case-insensitively as a near miss).
KNOWN_LABELS = {
    "Main category": "Main category",
    "Category": "Main category",
    "TL;DR": "TL;DR",
    "TLDR": "TL;DR",
    "TL; DR": "TL;DR",
    "一句话总结": "TL;DR",
    "Task": "Task",
    "Motivation": "Motivation",
    "Method": "Method",
    "Result": "Result",
    "Results": "Result",
    "Conclusion": "Conclusion",
    "Abstract": "Abstract",
    "Original abstract": "Abstract",
    "Background": "Background",
    "Data": "Data",
    "Authors": "Authors",
    "Categories": "Categories",
}
# The labels a person is likely to mistype; a generic label close to one of these is a near miss.
CORE_LABELS = ("Main category", "TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract")
SINGLE_LINE_LABELS = frozenset({"Main category", "Authors", "Categories"})

_KNOWN_STARTS = frozenset(label[:2] for label in KNOWN_LABELS) | {"**"}
_QUOTE = re.compile(r">[ \t]?")
# `**Label:** value`, `**Label**: value`, `Label: value`, `中文摘要：value`. The label is at most four
# words of letters (any script), digits, `;`, `'`, `-`, `/`, `&` or parentheses; an ASCII colon must be
# followed by white space or the line's end, so `https://` or `e.g.:x` are not labels.
_LABEL = re.compile(
    r"(?P<open>\*\*)?(?P<label>[^\W\d_](?:[\w;'&/()\-]|[ \t](?=[\w(])){0,40}?)(?P<close>\*\*)?[ \t]*"
    r"(?:(?P<colon>:)(?=[ \t]|$|\*\*)|(?P<wide>：))(?(open)(?P<after>\*\*)?|)[ \t]*"
)
_WORDS_LIMIT = 4
_KNOWN_LABEL = re.compile(
    r"(?P<open>\*\*)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(KNOWN_LABELS, key=len, reverse=True))
    + r")(?P<close>\*\*)?[ \t]*(?::(?=[ \t]|$|\*\*)|：)(?(open)(?:\*\*)?|)[ \t]*"
)
# A known label followed by a space instead of its colon (`TL;DR one sentence`).
_NO_COLON = re.compile(
    r"(?P<open>\*\*)?(?P<label>TL;DR|TLDR|Main category|Motivation|Method|Result|Conclusion|Abstract)(?P<close>\*\*)?[ \t]+(?=\S)"
)


class LabelMatch(NamedTuple):  # a tuple: one is made for nearly every line of a digest
    canonical: str  # the field's name in the model
    start: int  # column where the label (with its markup) starts
    end: int  # column where the value starts
    bold: bool
    quoted: bool
    known: bool  # one of the spellings of KNOWN_LABELS, exactly
    near_miss: str | None  # what was meant, when the label is a typo of a known one
    written: str  # the label text without markup


# As `span.span_from_tuple`: a known label is matched on nearly every field line, without the named
# tuple's Python `__new__`.
_new_label_match = partial(tuple.__new__, LabelMatch)


def match_label(line: str, paragraph_start: bool) -> LabelMatch | None:
    """The label a line starts with, or None.

    Unknown labels are taken only at the start of a paragraph, where a layout puts its fields; known
    labels anywhere. Near misses of the core labels are taken at a paragraph start too.
    """
    # Most lines start at column 0: measuring the indent would copy a long line for nothing.
    position = len(line) - len(line.lstrip()) if line[:1] in (" ", "\t") else 0
    quoted = line.startswith(">", position)
    if quoted:
        position = _QUOTE.match(line, position).end()
    first = line[position : position + 1]
    if not first or not (first.isalpha() or first == "*"):
        return None
    if not paragraph_start and not quoted and line[position : position + 2] not in _KNOWN_STARTS:
        return None  # inside a paragraph only a known label counts: most prose lines stop here
    known = _KNOWN_LABEL.match(line, position)
    if known is not None:  # the common case, one C-level match
        opening, written = known.group(1, 2)  # `open` and `label`, by number: a name is looked up per call
        return _new_label_match((KNOWN_LABELS[written], position, known.end(), opening is not None, quoted, True, None, written))
    match = _LABEL.match(line, position)
    if match is not None:
        written = match.group("label").rstrip()
        canonical = KNOWN_LABELS.get(written)
        bold = match.group("open") is not None
        if canonical is not None:
            return LabelMatch(canonical, position, match.end(), bold, quoted, True, None, written)
        if written.count(" ") < _WORDS_LIMIT and (paragraph_start or bold or quoted):
            meant = near_miss_of(written)
            if meant is not None:
                return LabelMatch(meant, position, match.end(), bold, quoted, False, meant, written)
            if paragraph_start and written[0].isupper() or not written[0].isascii() or bold:
                return LabelMatch(written, position, match.end(), bold, quoted, False, None, written)
    if paragraph_start:
        missing = _NO_COLON.match(line, position)
        if missing is not None:
            written = missing.group("label")
            canonical = KNOWN_LABELS[written]
            return LabelMatch(
                canonical, position, missing.end(), missing.group("open") is not None, quoted, False, canonical, written
            )
    return None


def near_miss_of(written: str) -> str | None:
    """The known label a misspelt one was meant to be (`Motivaton` -> Motivation), or None."""
    lowered = written.lower()
    for spelling, canonical in KNOWN_LABELS.items():
        if lowered == spelling.lower():
            return canonical
    if len(written) < 4:
        return None
    # Imported at the first near miss: most runs meet none, and rapidfuzz takes 8 ms to import.
    from rapidfuzz.distance import OSA

    best = None
    for label in CORE_LABELS:
        allowed = 1 if len(label) < 7 else 2
        distance = OSA.distance(lowered, label.lower(), score_cutoff=allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, label)
    return best[1] if best else None


def label_repair(match: LabelMatch, line: str) -> str:
    """The label as the layout writes it, for a near miss: `Motivaton:` -> `Motivation: `."""
    text = line[match.start : match.end]
    trailing = text[len(text.rstrip()) :] or " "
    if match.bold:
        return f"**{match.canonical}:**{trailing}"
    return f"{match.canonical}:{trailing}"


__all__ = ["KNOWN_LABELS", "CORE_LABELS", "LabelMatch", "match_label", "near_miss_of", "label_repair"]
