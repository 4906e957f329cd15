"""Safe Markdown for hovers and completion documentation.

Every piece of text that comes from a digest or a JSONL file goes through
`escape_markdown` before it reaches the client: a title with `*`, `[`, `](`,
`<think>` or `$` must render as written, never as emphasis, a link, raw
HTML or (in VS Code) a `command:` link. Links are built only by `link`,
which accepts https and file URLs and nothing else.
"""

from __future__ import annotations

import re
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
