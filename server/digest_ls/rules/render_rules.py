"""Text that a Markdown renderer swallows (D305): `<think>` in a summary, a heading under `</details>`.

Titles, TL;DRs and abstracts quote the tokens of language models, and a
renderer (GitHub, markdown-it) takes `<think>` for an HTML tag and prints
nothing. markdown-it-py decides what is HTML: an `html_inline` token of a
paragraph or heading, or any tag inside an `html_block` (the `<details>`
line opens one that runs to the next blank line, so it holds the
`Motivation:` line). A code span or an escaped `\\<` is not HTML, and the
tags the template writes on purpose (`ALLOWED_TAGS`) are not reported.

The same rule of HTML blocks swallows a heading: with no blank line between
`</details>` and the next `### [N]`, the heading is part of the HTML block
and the page shows it as plain text. That is a fact about two blocks, so
`check_swallowed_headings` looks at the document (one test per block
boundary), while `check_render` looks at one block and is cached with it.

markdown-it costs about a millisecond per entry and almost no entry holds a
suspicious `<`: one regular expression over the block picks the few that
do, and markdown-it reads only those. It reads the whole entry rather than
the suspicious line, because what a line is depends on the lines before it
(an open fence or HTML block). `check_render`'s spans are relative to the
block's first line, `check_swallowed_headings`' are absolute.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import EntryBlock, Span
from ..parser.entry import near_tag
from .context import Edit, Fix, make
from .registry import SWALLOWED_HTML

# The HTML the generator and its forks write on purpose, and what people add by hand.
ALLOWED_TAGS = frozenset({"details", "summary", "div", "a", "br", "sup", "sub", "img"})

# `<` and a letter, except the allowed tag names: no other `<` can become HTML. Case-sensitive
# because it is faster, and a `<DETAILS>` only costs a markdown-it pass that reports nothing.
_SUSPECT = re.compile(r"<(?!/?(?:" + "|".join(sorted(ALLOWED_TAGS)) + r")(?![A-Za-z0-9-]))/?[A-Za-z]")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# Inside an HTML block the browser decides: `<` and a letter open a tag that runs to the next `>`.
_TAG_IN_HTML_BLOCK = re.compile(r"</?[A-Za-z][^<>]*>")

_parser = None


def check_render(lines, paper: str | None) -> list:
    found: list = []
    if not _has_suspect(lines):
        return found
    source = "\n".join(lines)
    tokens = _markdown().parse(source)
    for token in tokens:
        if token.type == "html_block" and token.map is not None:
            for row in range(*token.map):
                for match in _TAG_IN_HTML_BLOCK.finditer(lines[row]):
                    if _is_swallowed(match.group()):
                        span = Span(row, match.start(), row, match.end())
                        found.append(_diagnostic(match.group(), span, paper, in_html_block=True))
        elif token.type == "inline" and token.map is not None and token.children:
            backticks_safe = "`" not in token.content  # a new pair of backticks cannot pair with an old one
            for tag, span in _inline_tags(token, lines, source):
                found.append(_diagnostic(tag, span, paper, in_html_block=False, backticks=backticks_safe))
    return found


def _has_suspect(lines) -> bool:
    # A loop over the lines, not one search over them joined: joining every block costs more than the search.
    for line in lines:
        if "<" in line and _SUSPECT.search(line) is not None:
            return True
    return False


def check_swallowed_headings(document) -> list:
    """Headings that an HTML block above them takes in (absolute spans).

    Such a block runs to the next blank line, across skeleton lines, so a
    run of lines without a blank one is parsed as a whole, once, and only
    when a heading in it has text right above it.
    """
    found: list = []
    lines, starts = document.lines, document.starts
    html_rows: set[int] = set()
    run_end = 0  # the row after the run parsed last
    for index in range(1, len(starts)):
        start = starts[index]
        above = lines[start - 1]
        if not above or above.isspace() or not lines[start].lstrip(" ").startswith("#"):
            continue  # a blank line ends every HTML block that could take the heading in (runs per keystroke)
        if start >= run_end:
            first, run_end = _run_around(lines, start)
            html_rows = _html_block_rows(lines, first, run_end) if any("<" in line for line in lines[first:run_end]) else set()
        if start in html_rows:
            block = document.blocks[index]
            paper = block.arxiv_id if isinstance(block, EntryBlock) else None
            message = "this heading is read into the HTML block above it (no blank line ends that block): the rendered page shows it as plain text"
            fix = Fix("Insert a blank line before the heading", (Edit(Span(start, 0, start, 0), "\n"),))
            found.append(make(SWALLOWED_HTML, message, Span(start, 0, start, len(lines[start])), paper, fix))
    return found


def _run_around(lines, row: int) -> tuple[int, int]:
    """(first, end) of the lines around `row` with no blank line among them."""
    first = row
    while first > 0 and lines[first - 1].strip():
        first -= 1
    end = row + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return first, end


def _html_block_rows(lines, first: int, end: int) -> set[int]:
    rows: set[int] = set()
    for token in _markdown().parse("\n".join(lines[first:end])):
        if token.type == "html_block":
            rows.update(range(first + token.map[0], first + token.map[1]))
    return rows


def _markdown():
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt  # imported at the first suspicious entry: most runs never need it

        _parser = MarkdownIt("commonmark")
    return _parser


def _is_swallowed(tag: str) -> bool:
    name = _TAG_NAME.match(tag)
    # `<detail>` is a misspelt `<details>`: D220 reports it, once.
    return name is not None and name.group(1).lower() not in ALLOWED_TAGS and near_tag(name.group(1).lower()) is None


def _inline_tags(token, lines, source: str) -> list[tuple[str, Span]]:
    """(tag, span) of every swallowed tag of one paragraph or heading, in source order.

    Inline tokens carry no columns, so each `html_inline` is found again in
    the paragraph's lines by its text. When that text also stands where it
    is not HTML (in a code span, escaped), escaping one occurrence at a time
    and parsing again tells which ones are.
    """
    wanted = Counter(
        child.content for child in token.children if child.type == "html_inline" and _is_swallowed(child.content)
    )
    if not wanted:
        return []
    first, last = token.map
    paragraph = "\n".join(lines[first:last])
    base = sum(len(line) + 1 for line in lines[:first])  # the paragraph's offset in `source`
    located: list[tuple[int, str]] = []
    for tag, count in wanted.items():
        places = _occurrences(paragraph, tag)
        if len(places) != count:
            places = [place for place in places if _is_html_at(source, base + place, tag, token.map, count)]
        located.extend((place, tag) for place in places)
    located.sort()
    return [(tag, _span(lines, first, place, len(tag))) for place, tag in located]


def _occurrences(text: str, needle: str) -> list[int]:
    places = []
    position = text.find(needle)
    while position >= 0:
        places.append(position)
        position = text.find(needle, position + len(needle))
    return places


def _is_html_at(source: str, offset: int, tag: str, where: list[int], count: int) -> bool:
    """Whether the `tag` at `offset` is HTML: escaping its `<` leaves one `html_inline` fewer."""
    escaped = source[:offset] + "&lt;" + source[offset + 1 :]
    left = 0
    for token in _markdown().parse(escaped):
        if token.type == "inline" and token.map == where and token.children:
            left += sum(1 for child in token.children if child.type == "html_inline" and child.content == tag)
    return left == count - 1


def _span(lines, row: int, offset: int, length: int) -> Span:
    """The span of `length` characters at `offset` into the rows joined by "\\n" from `row` on."""
    start_line, start_col = _position(lines, row, offset)
    end_line, end_col = _position(lines, start_line, start_col + length)
    return Span(start_line, start_col, end_line, end_col)


def _position(lines, row: int, offset: int) -> tuple[int, int]:
    while offset > len(lines[row]) and row + 1 < len(lines):
        offset -= len(lines[row]) + 1
        row += 1
    return row, offset


def _diagnostic(tag: str, span: Span, paper, in_html_block: bool, backticks: bool = False):
    where = " (this line is part of an HTML block, which runs to the next blank line)" if in_html_block else ""
    shown = " ".join(tag.split())  # a tag may span lines; the message is one line
    message = f"`{shown}` is taken for an HTML tag{where}: the rendered page does not show it"
    # Unsafe: it rewrites a title or summary (a generated digest stays as generated unless a person asks).
    if backticks and span.start_line == span.end_line:
        fix = Fix(f"Put `{tag}` in backticks", (Edit(span, f"`{tag}`"),), safe=False)
    else:
        # An HTML block shows backticks as they are; an entity reads the same everywhere.
        less_than = Span(span.start_line, span.start_col, span.start_line, span.start_col + 1)
        fix = Fix("Escape `<` as `&lt;`", (Edit(less_than, "&lt;"),), safe=False)
    return make(SWALLOWED_HTML, message, span, paper, fix)
