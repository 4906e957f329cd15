"""Skeleton lines: the lines that start a block, and the blocks that are not entries.

A skeleton line is an ATX heading (`#` to `######`, up to three spaces of
indentation, as CommonMark has it) or a `<div id=...>` anchor. Everything
between two skeleton lines belongs to the first one's block.
"""

from __future__ import annotations

import re

from ..model import AnchorBlock, Comment, HeadingBlock, Number, Span, StrayBlock, Text, TocItem

HEADING = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)[ \t]*")
ANCHOR = re.compile(r"""<div\s+id\s*=\s*(['"]?)([^'">\s]*)\1\s*>\s*(?:</div>)?""", re.IGNORECASE)
COMMENT = re.compile(r"\s*<!--(.*?)-->\s*$")
TOC_ITEM = re.compile(
    r"(\s*[-*+][ \t]+)\[([^\]\n]*)\]\(#([^)\s]*)\)(?:[ \t]*\[Total:[ \t]*(\d+)[ \t]*\])?[ \t]*$"
)
SECTION_TITLE = re.compile(r"(\S+)(?:[ \t]+(\[\[Back\]\]\(#([^)\s]*)\)))?[ \t]*$")
CATEGORY_SHAPE = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z-]{2,})?$")
TOC_TITLE = "table of contents"


def is_skeleton(line: str) -> bool:
    """Whether a line starts a block. Cheap first-character checks keep it off the hot path."""
    if not line:
        return False
    first = line[0]
    if first == "#" or (first == " " and line.lstrip(" ")[:1] == "#"):
        return HEADING.match(line) is not None
    if first == "<" and line[:4].lower() == "<div":
        return ANCHOR.match(line) is not None
    return False


def heading_level(line: str) -> int:
    match = HEADING.match(line)
    return len(match.group(2)) if match else 0


def collect_tail(lines: list[str], first_row: int) -> tuple[tuple[Text, ...], tuple[Comment, ...]]:
    """Stray text and comments in the lines after a skeleton line."""
    stray: list[Text] = []
    comments: list[Comment] = []
    for row in range(first_row, len(lines)):
        line = lines[row]
        if not line.strip():
            continue
        comment = COMMENT.match(line)
        if comment:
            comments.append(Comment(comment.group(1).strip(), Span(row, 0, row, len(line))))
        else:
            stray.append(line_text(line, row))
    return tuple(stray), tuple(comments)


def line_text(line: str, row: int) -> Text:
    """The line without its surrounding white space, with that span."""
    stripped = line.strip()
    start = line.find(stripped) if stripped else 0
    return Text(stripped, Span(row, start, row, start + len(stripped)))


def parse_stray(lines: list[str]) -> StrayBlock:
    stray, comments = collect_tail(lines, 0)
    return StrayBlock(len(lines), stray, comments)


def parse_anchor(lines: list[str]) -> AnchorBlock:
    first = lines[0]
    match = ANCHOR.match(first)
    anchor = Text(match.group(2), Span(0, match.start(2), 0, match.end(2)))
    stray, comments = collect_tail(lines, 1)
    trailing = first[match.end() :]
    if trailing.strip():
        start = match.end() + (len(trailing) - len(trailing.lstrip()))
        stray = (Text(trailing.strip(), Span(0, start, 0, start + len(trailing.strip()))),) + stray
    return AnchorBlock(len(lines), Span(0, 0, 0, len(first)), anchor, stray, comments)


def parse_heading(lines: list[str]) -> HeadingBlock:
    first = lines[0]
    match = HEADING.match(first)
    level = len(match.group(2))
    body_start = match.end()
    body = first[body_start:].rstrip()
    # A closing sequence of #s is not part of the heading's text (CommonMark).
    title = Text(body, Span(0, body_start, 0, body_start + len(body)))
    span = Span(0, 0, 0, len(first))
    if level == 1 and body.lower() == TOC_TITLE:
        items, stray, comments = _parse_toc_items(lines)
        return HeadingBlock(len(lines), span, level, title, None, None, None, True, items, stray, comments)
    category = back_link = back_target = None
    if level == 1:
        section = SECTION_TITLE.match(body)
        if section and (section.group(2) or CATEGORY_SHAPE.match(section.group(1))):
            category = Text(section.group(1), Span(0, body_start, 0, body_start + section.end(1)))
            if section.group(2):
                back_link = Text(
                    section.group(2),
                    Span(0, body_start + section.start(2), 0, body_start + section.end(2)),
                )
                back_target = Text(
                    section.group(3),
                    Span(0, body_start + section.start(3), 0, body_start + section.end(3)),
                )
    stray, comments = collect_tail(lines, 1)
    return HeadingBlock(len(lines), span, level, title, category, back_link, back_target, False, (), stray, comments)


def _parse_toc_items(lines: list[str]):
    items: list[TocItem] = []
    stray: list[Text] = []
    comments: list[Comment] = []
    for row in range(1, len(lines)):
        line = lines[row]
        if not line.strip():
            continue
        item = TOC_ITEM.match(line)
        if item:
            total = None
            if item.group(4) is not None:
                total = Number(int(item.group(4)), Span(row, item.start(4), row, item.end(4)))
            items.append(
                TocItem(
                    Span(row, len(item.group(1)), row, len(line.rstrip())),
                    Text(item.group(2), Span(row, item.start(2), row, item.end(2))),
                    Text(item.group(3), Span(row, item.start(3), row, item.end(3))),
                    total,
                )
            )
            continue
        comment = COMMENT.match(line)
        if comment:
            comments.append(Comment(comment.group(1).strip(), Span(row, 0, row, len(line))))
        else:
            stray.append(line_text(line, row))
    return tuple(items), tuple(stray), tuple(comments)
