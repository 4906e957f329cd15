"""Skeleton lines: the lines that start a block, and the blocks that are not entries.

A skeleton line is an ATX heading (`#` to `######`, up to three spaces of
indentation, as CommonMark has it) or a `<div id=...>` anchor. Everything
between two skeleton lines belongs to the first one's block.
"""

from __future__ import annotations

import re

from .. import taxonomy
from ..model import AnchorBlock, Comment, HeadingBlock, Number, Span, StrayBlock, Text, TocItem

HEADING = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)[ \t]*")
# `###[12] [Title](...)`: the `#`s run into the text; a heading only when the text is an entry heading.
_GLUED_HEADING = re.compile(r" {0,3}#{1,6}(?=[^#\s])")
ANCHOR = re.compile(r"""<(?:div|a)\s+(?:id|name)\s*=\s*(['"]?)([^'">\s]*)\1\s*/?>\s*(?:</(?:div|a)>)?""", re.IGNORECASE)
COMMENT = re.compile(r"\s*<!--(.*?)-->\s*$")
# `- [TEXT](#target)` and whatever follows; the count is read by `_count` in every shape layouts write.
TOC_ITEM = re.compile(r"(\s*[-*+][ \t]+)\[([^\]\n]*)\]\(#([^)\s]*)\)[ \t]*(.*?)[ \t]*$")
_COUNT_AFTER = re.compile(r"(?P<shape>\[?[ \t]*(?P<word>[^\W\d_]+)?[ \t]*[:：]?[ \t]*(?P<n>\d+)[ \t]*(?:篇)?[ \t]*[\])]?)$")
_COUNT_IN_TEXT = re.compile(r"[ \t]*\((\d+)\)$")
ENTRY_NUMBER = re.compile(r"(\[)?(\d+)(\])?(?:[ \t]+|$|(?=\[))")
ARXIV_URL = re.compile(r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/[^\s)\]]+", re.IGNORECASE)
_TOC_TITLES = frozenset({"table of contents", "contents", "目录", "目錄", "toc"})
CATEGORY_SHAPE = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z-]{2,})?$")
_BRACKETED_CODE = re.compile(r"\[([a-z][a-z-]*(?:\.[A-Za-z-]{2,})?)\][ \t]*$")
_TRAILING_LINK = re.compile(r"[ \t]+(\[.*\]?\]?\(?#?[^)\s]*\)?)[ \t]*$")
_LINK_TARGET = re.compile(r"\(#([^)\s]*)\)?|#([^)\s\]]+)")


def classify(line: str) -> str | None:
    """What a line starts: "anchor", "entry", "toc", "section", "heading" (any other `#`/`##`), or None.

    An entry heading is recognised at any level and even without the space after its `#`s, so a typo in
    one never folds the entry into its neighbour. Sub-headings (`####` and deeper) start nothing.
    """
    if not line:
        return None
    first = line[0]
    if first == "<":
        return "anchor" if line[1:2] in "dDaA" and ANCHOR.match(line) else None
    if first != "#" and not (first == " " and line.lstrip(" ")[:1] == "#"):
        return None
    match = HEADING.match(line)
    if match is None:
        glued = _GLUED_HEADING.match(line)
        if glued is not None and looks_like_entry_heading(line[glued.end() :]):
            return "entry"
        return None
    level = len(match.group(2))
    body = line[match.end() :]
    if level <= 3 and is_toc_title(body):
        return "toc"
    if level == 3 or looks_like_entry_heading(body):
        return "entry"
    if level > 2:
        return None
    return "section" if section_category(body.rstrip()) is not None else "heading"


def is_skeleton(line: str) -> bool:
    """Whether a line can start a block."""
    return classify(line) is not None


def is_strong(line: str) -> bool:
    """A skeleton line that starts a block wherever it stands; a plain heading does not inside an open `<details>`."""
    kind = classify(line)
    return kind is not None and kind != "heading"


def section_category(body: str) -> tuple[int, int] | None:
    """Where the category code stands in a section heading's text, or None when the text is not one.

    `cs.DC [[Back]](#toc)`, `cs.CR`, `cs.CL [[Bakc]](#toc)` (a broken back link still makes a section),
    and `人工智能 (Artificial Intelligence) [cs.AI]`.
    """
    bracketed = _BRACKETED_CODE.search(body)
    if bracketed and taxonomy.is_known(bracketed.group(1)):
        return bracketed.start(1), bracketed.end(1)
    word_end = 0
    while word_end < len(body) and not body[word_end].isspace():
        word_end += 1
    word = body[:word_end]
    if not word or not CATEGORY_SHAPE.match(word):
        return None
    rest = body[word_end:].strip()
    if taxonomy.is_known(word) and (not rest or rest[0] == "["):
        return 0, word_end
    if rest and rest[0] == "[" and "#" in rest:
        return 0, word_end
    return None


def is_toc_title(text: str) -> bool:
    return text.strip().strip("#").strip().lower() in _TOC_TITLES


def looks_like_entry_heading(body: str) -> bool:
    """Whether a heading's text (after its `#`s) is an entry heading, whatever its level or spacing.

    `[12] [Title](link)`, `[Title](https://arxiv.org/abs/ID)`, or a numbered title with an arXiv link.
    """
    body = body.lstrip()
    if not body:
        return False
    numbered = ENTRY_NUMBER.match(body)
    if numbered and (numbered.group(1) or numbered.group(3)):
        return True
    return body[0] == "[" and "](" in body or ARXIV_URL.search(body) is not None and body[0] in "[(0123456789"


def fence_after(fence: str | None, stripped: str) -> str | None:
    """The open fence after a line: a fence opens with three backticks or tildes, and closes with as many."""
    marker = stripped[:1]
    run = len(stripped) - len(stripped.lstrip(marker)) if marker in "`~" else 0
    if fence is None:
        return stripped[:run] if run >= 3 else None
    if marker == fence[0] and run >= len(fence) and not stripped[run:].strip():
        return None
    return fence


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
    title = Text(body, Span(0, body_start, 0, body_start + len(body)))
    span = Span(0, 0, 0, len(first))
    if level <= 3 and is_toc_title(body):
        items, stray, comments = _parse_toc_items(lines)
        return HeadingBlock(len(lines), span, level, title, None, None, None, True, items, stray, comments)
    category = back_link = back_target = None
    where = section_category(body) if level <= 2 else None
    if where is not None:
        code_start, code_end = where
        category = Text(body[code_start:code_end], Span(0, body_start + code_start, 0, body_start + code_end))
        if code_start == 0:
            back_link, back_target = _back_link(body, code_end, body_start)
    stray, comments = collect_tail(lines, 1)
    return HeadingBlock(len(lines), span, level, title, category, back_link, back_target, False, (), stray, comments)


def _back_link(body: str, after: int, offset: int) -> tuple[Text | None, Text | None]:
    """The link after a section's code, as written (`[[Back]](#toc)`, `[⬆️ 返回分类顶部](#cscr)`, or a typo of one)."""
    rest = body[after:]
    text = rest.strip()
    if not text:
        return None, None
    start = after + rest.find(text)
    link = Text(text, Span(0, offset + start, 0, offset + start + len(text)))
    target = _LINK_TARGET.search(text)
    if target is None:
        return link, Text("", Span(0, offset + start + len(text), 0, offset + start + len(text)))
    group = 1 if target.group(1) is not None else 2
    column = offset + start + target.start(group)
    return link, Text(target.group(group), Span(0, column, 0, column + len(target.group(group))))


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
            items.append(_toc_item(line, row, item))
            continue
        comment = COMMENT.match(line)
        if comment:
            comments.append(Comment(comment.group(1).strip(), Span(row, 0, row, len(line))))
        else:
            stray.append(line_text(line, row))
    return tuple(items), tuple(stray), tuple(comments)


def _toc_item(line: str, row: int, item: re.Match) -> TocItem:
    """`- [cs.DC](#cs.DC) [Total: 11]`, `- [NAME (9)](#cs-ai)`, `- [cs.AI](#cs.AI) (9 篇)`, or no count."""
    label_start, label_end = item.start(2), item.end(2)
    total = count = None
    in_text = _COUNT_IN_TEXT.search(item.group(2))
    after = item.group(4)
    if after:
        counted = _COUNT_AFTER.match(after)
        if counted is not None:
            column = item.start(4)
            total = Number(int(counted.group("n")), Span(row, column + counted.start("n"), row, column + counted.end("n")))
            count = Text(counted.group("shape"), Span(row, column, row, column + len(counted.group("shape"))))
    elif in_text is not None:
        label_end = label_start + in_text.start()
        column = label_start + in_text.start(1)
        total = Number(int(in_text.group(1)), Span(row, column, row, column + len(in_text.group(1))))
        count = Text(in_text.group().strip(), Span(row, label_start + in_text.start() + (len(in_text.group()) - len(in_text.group().lstrip())), row, label_start + in_text.end()))
    return TocItem(
        Span(row, len(item.group(1)), row, len(line.rstrip())),
        Text(line[label_start:label_end], Span(row, label_start, row, label_end)),
        Text(item.group(3), Span(row, item.start(3), row, item.end(3))),
        total,
        count,
    )
