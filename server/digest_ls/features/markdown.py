"""Safe Markdown for hovers and completion documentation.

Every piece of text that comes from a digest or a JSONL file goes through
`escape_markdown` before it reaches the client: a title with `*`, `[`, `](`,
`<think>` or `$` must render as written, never as emphasis, a link, raw
HTML or (in VS Code) a `command:` link. Links are built only by `link`,
which accepts https and file URLs and nothing else.

`plain_text` renders such Markdown for a client that shows hover and
documentation text as it is: markdown-it-py parses it into tokens and the
text a reader would see is taken from them, so no backslash escape, `**` or
link syntax is left over.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

# Inline Markdown syntax: emphasis, code, links and images (`[`), raw HTML and
# autolinks (`<`), entities (`&`), tables, strikethrough, math. Escaping only
# these keeps the text readable in clients that show Markdown source.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&])")
# What starts a block when it opens a line: heading, list, quote, fence, rule, ordered list.
_BLOCK_START = re.compile(r"^(#|>|[-+=]|[0-9]+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax and neutralise HTML; control characters become spaces.

    Line breaks are kept as soft breaks, and no line can open a heading,
    list, quote, fence or setext underline: those markers are escaped too.
    """
    text = _CONTROL.sub(" ", text)
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", line).strip()
        line = _SPECIAL.sub(r"\\\1", line)
        block = _BLOCK_START.match(line)
        if block:
            marker = block.group(1)
            line = (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker) + line[block.end():]
        lines.append(line)
    return "\n".join(lines).strip("\n")


def escape_inline(text: str) -> str:
    """Escaped text on one line (titles, names): line breaks become spaces."""
    return escape_markdown(" ".join(text.split()))


def link(label: str, url: str) -> str:
    """A Markdown link to an https or file URL; any other scheme yields the escaped label alone."""
    if not (url.startswith("https://") or url.startswith("file://")):
        return escape_inline(label)
    safe_url = quote(url, safe=":/#?=&%.-_~")
    return f"[{escape_inline(label)}]({safe_url})"


def code(text: str) -> str:
    """Inline code for short, known-safe tokens (ids, category codes)."""
    text = " ".join(text.split()).replace("`", "'")
    return f"`{text}`"


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if limit <= 0 or len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip() + " …"


def plain_text(markdown: str) -> str:
    """What a reader sees of rendered Markdown, as plain text: blocks apart, list markers kept.

    An https link keeps its URL after the label (a plain-text client cannot follow the label);
    file links (jumps to an entry) keep only their label.
    """
    out: list[str] = []
    numbers: list[int | None] = []  # one per open list: the next item number, None for bullets
    marker = ""  # the marker of a list item whose first line is not written yet
    joined = False  # the next block follows the previous item of a tight list: no blank line
    for token in _parser().parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            numbers.append(int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            joined = False
        elif kind == "list_item_open":
            marker = "- " if numbers[-1] is None else f"{numbers[-1]}. "
            if numbers[-1] is not None:
                numbers[-1] += 1
        elif kind in ("inline", "fence", "code_block", "hr", "html_block"):
            if kind == "inline":
                text = _inline_text(token.children or [])
            else:
                text = "———" if kind == "hr" else token.content.rstrip("\n")
            if out and not joined:
                out.append("")
            indent = "  " * max(len(numbers) - 1, 0)
            for number, line in enumerate(text.split("\n")):
                out.append(indent + (marker if number == 0 else " " * len(marker)) + line)
            marker = ""
        elif kind == "paragraph_close":
            joined = token.hidden  # a paragraph of a tight list item
    return "\n".join(out)


def _inline_text(children) -> str:
    parts: list[str] = []
    href = None
    label_start = 0
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            label_start = len(parts)
        elif kind == "link_close":
            label = "".join(parts[label_start:])
            if href and href.startswith("https://") and label != href:
                parts.append(f" <{href}>")
            href = None
    return "".join(parts)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    # Our links are built by `link` (https and file URLs only); markdown-it refuses file: ones.
    parser.validateLink = lambda url: True
    return parser
