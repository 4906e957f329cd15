"""Parsing one entry block: heading, authors, labelled fields and the details block.

This is the hot path of both the linter and the server: one pass over the
lines, a first-character test before any regular expression, and nothing
that backtracks (entries carry 44,000-character author lines).
"""

from __future__ import annotations

import re

from ..arxiv import parse_link
from ..model import Authors, Comment, Details, EntryBlock, EntryHeading, Field, Number, Repair, Span, Template, Text
from ..span import span_from_tuple
from .labels import SINGLE_LINE_LABELS, LabelMatch, label_repair, match_label
from .skeleton import ARXIV_URL as _ARXIV_URL, COMMENT, ENTRY_NUMBER as _NUMBER, HEADING, fence_after, line_text

DETAIL_FIELDS = ("Motivation", "Method", "Result", "Conclusion", "Abstract")
_SUMMARY = re.compile(r"\s*<summary>(.*?)</summary>\s*$", re.IGNORECASE)


def parse_entry(lines: list[str]) -> EntryBlock:
    heading = parse_entry_heading(lines[0])
    builder = _EntryBuilder(len(lines))
    builder.read(lines)
    return builder.finish(heading)


def parse_entry_heading(line: str) -> EntryHeading:
    """The heading of an entry, read as meant even when a bracket, a space or a `#` is off.

    Each problem is named; `repaired` is the line as the template writes it when the parts are known.
    """
    indent = len(line) - len(line.lstrip(" "))
    hashes = len(line) - indent - len(line[indent:].lstrip("#"))
    position = indent + hashes
    gap_end = position
    while gap_end < len(line) and line[gap_end] in " \t":
        gap_end += 1
    span = Span(0, 0, 0, len(line))
    rest_end = len(line.rstrip())
    problems: list[str] = []
    if hashes != 3:
        problems.append(f"an entry heading is a level-3 heading (`###`, not `{'#' * hashes}`)")
    if gap_end == position and gap_end < rest_end:
        problems.append("a space is missing after `###`")
    position = gap_end
    number = None
    numbered = _NUMBER.match(line, position)
    if numbered and (numbered.group(1) or numbered.group(3) or line[numbered.end(2) : numbered.end(2) + 1] in (" ", "\t")):
        if not (numbered.group(1) and numbered.group(3)):
            problems.append(f"the number is written `{line[numbered.start() : numbered.end(3) if numbered.group(3) else numbered.end(2)]}`, not `[{numbered.group(2)}]`")
        elif numbered.end(3) == numbered.end() and numbered.end() < rest_end:
            problems.append("a space is missing after the number")
        number = Number(int(numbered.group(2)), Span(0, numbered.start(2), 0, numbered.end(2)))
        position = numbered.end()
    title = url = link = None
    if position >= rest_end:
        problems.append("the heading has no `[title](link)`")
        return EntryHeading(span, number, None, None, None, tuple(problems))
    # Titles may hold `[`, `]`, `(` and even `](`: the link is the last `](`.
    split = line.rfind("](", position, rest_end)
    opened = line[position] == "["
    paren = split + 1
    if split < 0:
        broken = _split_without_bracket(line, position, rest_end)
        if broken is not None:
            split, paren = broken
            problems.append("there is a space between the title's `]` and its `(link)`" if split < paren - 1 else "the `]` between the title and its `(link)` is missing")
    if split < 0:
        found = _ARXIV_URL.search(line, position, rest_end)
        if opened and found is None:
            problems.append("the title link is not closed with `](URL)`")
        else:
            problems.append("the title is not a link `[title](https://arxiv.org/abs/ID)`")
        title_end = found.start() if found else rest_end
        title_text = line[position:title_end].strip(" []()")
        title_start = line.find(title_text, position) if title_text else position
        title = Text(title_text, Span(0, title_start, 0, title_start + len(title_text)))
        if found:
            url = Text(found.group(), Span(0, found.start(), 0, found.end()))
            link = parse_link(found.group())
        return EntryHeading(span, number, title, url, link, tuple(problems), _repaired(number, title, url) if found else None)
    title_start = position + 1 if opened else position
    if not opened:
        problems.insert(len(problems) - (1 if paren != split + 1 else 0), "the `[` before the title is missing")
    title = Text(line[title_start:split], Span(0, title_start, 0, split))
    url_start = paren + 1
    close = line.find(")", url_start, rest_end)
    if close < 0:
        problems.append("the link is missing its closing `)`")
        close = rest_end
    elif close + 1 < rest_end:
        problems.append("text follows the link on the heading line")
    raw_url = line[url_start:close]
    stripped_url = raw_url.strip()
    offset = url_start + (len(raw_url) - len(raw_url.lstrip()))
    url = Text(stripped_url, Span(0, offset, 0, offset + len(stripped_url)))
    if not title.text.strip():
        problems.append("the title is empty")
    link = parse_link(stripped_url) if stripped_url else None
    if not stripped_url:
        problems.append("the link is empty")
    repaired = None
    if problems and stripped_url and title.text.strip() and not problems[-1].startswith("text follows"):
        repaired = _repaired(number, title, url)
    return EntryHeading(span, number, title, url, link, tuple(problems), repaired)


def _split_without_bracket(line: str, position: int, end: int) -> tuple[int, int] | None:
    """Where the title ends and its `(` stands when the `](` is broken: `[Title] (url)` or `[Title(url)`."""
    spaced = line.rfind("] (", position, end)
    if spaced >= 0:
        return spaced, spaced + 2
    found = _ARXIV_URL.search(line, position, end)
    if found and found.start() > position and line[found.start() - 1] == "(":
        return found.start() - 1, found.start() - 1
    return None


def _repaired(number: Number | None, title: Text, url: Text) -> str:
    prefix = f"[{number.value}] " if number is not None else ""
    return f"### {prefix}[{title.text.strip()}]({url.text})"


def parse_authors(line: str, row: int, start: int | None = None, end: int | None = None) -> Authors:
    """`*A,B,C*` between columns `start` and `end` (the whole line by default)."""
    if start is None:
        start = len(line) - len(line.lstrip())
    if end is None:
        end = len(line.rstrip())
    closed = end - start >= 2 and line[end - 1] == "*"
    inner_end = end - 1 if closed else end
    return _split_names(line, row, start + 1, inner_end, Span(row, start, row, end), closed, True)


def _split_names(line: str, row: int, inner_start: int, inner_end: int, span: Span, closed: bool, emphasised: bool) -> Authors:
    names: list[Text] = []
    pieces = line[inner_start:inner_end].split(",")
    column = inner_start
    for piece in pieces:
        name = piece.strip()
        lead = column + len(piece) - len(piece.lstrip()) if name else column
        names.append(Text(name, span_from_tuple((row, lead, row, lead + len(name)))))
        column += len(piece) + 1
    # The spaces after a comma lead the next piece.
    separators = tuple("," + piece[: len(piece) - len(piece.lstrip(" "))] for piece in pieces[1:])
    return Authors(span, tuple(names), separators, closed, emphasised)


_TAGS = {"details": "<details>", "summary": "<summary>"}
_EXACT_TAG_NAMES = {  # (closing, tag) of each line exactly as the generator writes it
    "<details>": (False, "details"),
    "</details>": (True, "details"),
    "<summary>Details</summary>": (False, "summary"),
    "<summary>Abstract</summary>": (False, "summary"),
}
_TAG = re.compile(r"<(/?)[ \t]*([A-Za-z]+)([^>]*)(>?)")
_ANY_TAG = re.compile(r"</?[ \t]*[A-Za-z]+[^>]*>?")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LINK_ONLY = re.compile(r"!?\[[^\]]*(?:\][^\]]*)*\]\([^)]*\)$")
_PIPE = " | "


class _OpenField:
    __slots__ = ("label", "label_text", "row", "value_col", "in_details", "parts", "quoted")

    def __init__(self, label, label_text, row, value_col, in_details, first_value, quoted=False):
        self.label = label
        self.label_text = label_text
        self.row = row
        self.value_col = value_col
        self.in_details = in_details
        self.parts = [(row, value_col, first_value)]
        self.quoted = quoted


class _EntryBuilder:
    """A small state machine: before `<details>`, inside it, after `</details>`.

    Known labels are read on any line, other labels only where a paragraph starts; a single-line
    field (`Main category:`) ends with its line, so the next paragraph is never read into it.
    """

    __slots__ = (
        "line_count", "authors", "fields", "stray", "comments", "repairs", "details_open", "summary", "details_close",
        "state", "open", "last_text_line", "expect_summary", "paragraph_start", "fence", "fence_open", "fenced_close",
    )

    def __init__(self, line_count: int):
        self.line_count = line_count
        self.authors: Authors | None = None
        self.fields: list[Field] = []
        self.stray: list[Text] = []
        self.comments: list[Comment] = []
        self.repairs: list[Repair] = []
        self.details_open: Span | None = None
        self.summary: Text | None = None
        self.details_close: Span | None = None
        self.state = "before"
        self.open: _OpenField | None = None
        self.last_text_line = 0
        self.expect_summary = False
        self.paragraph_start = True
        self.fence: str | None = None
        self.fence_open: Span | None = None  # where the open fence started
        self.fenced_close: Span | None = None  # a `</details>` inside the fence, which counts if the fence never closes

    def read(self, lines: list[str]) -> None:
        """Every line after the heading; a blank one is handled here, without a call (a third of the lines are blank)."""
        feed = self.feed
        for row in range(1, len(lines)):
            line = lines[row]
            stripped = line.strip()
            if stripped:
                feed(row, line, stripped)
                continue
            self.paragraph_start = True
            if self.open is not None and self.open.label in SINGLE_LINE_LABELS:
                self._close_field()

    def feed(self, row: int, line: str, stripped: str) -> None:
        """A line holding text; `stripped` is the line without its surrounding white space."""
        paragraph_start = self.paragraph_start
        self.paragraph_start = False
        self.last_text_line = row
        first = stripped[0]
        if self.fence is not None or (first in "`~" and stripped[:3] in ("```", "~~~")):
            self._feed_fenced(row, line, stripped)
            return
        if first == "<":
            if self._feed_tag(row, line, stripped):
                self.paragraph_start = True
                return
        if self.open is not None and self.open.label == "Abstract" and self.state == "inside":
            # The abstract is the last field: a line starting with a label is abstract text.
            if first == "#":
                self._heading_in_text(row, line)
            self._continue(row, line)
            return
        if self.state == "inside" and self.open is None and self._abstract_only():
            # Abstract-only template: the body of `<details><summary>Abstract` is the abstract.
            self.open = _OpenField("Abstract", Text("", Span(row, 0, row, 0)), row, 0, True, line)
            return
        if first == "#":
            self._feed_subheading(row, line, stripped)
            return
        if first in "-*_" and _THEMATIC_BREAK.match(line):
            self._close_field()
            self.paragraph_start = True
            return
        if first in "*[" and self.state != "inside" and _PIPE in stripped and self._feed_piped(row, line):
            return
        if self.state != "after" or paragraph_start:
            label = match_label(line, paragraph_start or self.open is None or self.open.label in SINGLE_LINE_LABELS)
            if label is not None:
                self._start_field(row, line, label)
                return
        if first == "*" and self.authors is None and not self.fields and self.state == "before" and not stripped.startswith("**"):
            self.authors = parse_authors(line, row)
            return
        if self.open is not None and self.open.label not in SINGLE_LINE_LABELS:
            self._continue(row, line)
            return
        self._close_field()
        if _LINK_ONLY.match(stripped):
            return
        self.stray.append(line_text(line, row))

    def _feed_fenced(self, row: int, line: str, stripped: str) -> None:
        if self.state == "inside" and self.fenced_close is None and stripped[:10].lower().startswith("</details"):
            self.fenced_close = Span(row, 0, row, len(line))
        if stripped[:3] in ("```", "~~~"):
            opened = self.fence is None
            self.fence = fence_after(self.fence, stripped)
            if opened and self.fence is not None:
                self.fence_open = Span(row, 0, row, len(line))
        if self.open is not None:
            self._continue(row, line)
        else:
            self.stray.append(line_text(line, row))

    def _heading_in_text(self, row: int, line: str) -> None:
        heading = HEADING.match(line)
        if heading is not None:
            marks = heading.span(2)
            self.repairs.append(
                Repair(
                    "heading",
                    Span(row, marks[0], row, marks[1]),
                    "this line renders as a heading inside the entry's text; escape its `#` or remove it",
                    "\\" + heading.group(2),
                )
            )

    def _feed_subheading(self, row: int, line: str, stripped: str) -> None:
        """`#### 中文摘要 (Abstract in Chinese)`: a layout's sub-heading heads a field of that name."""
        text = stripped.lstrip("#").strip()
        if not text or self.state == "inside":
            self._heading_in_text(row, line)
            if self.open is not None:
                self._continue(row, line)
            else:
                self.stray.append(line_text(line, row))
            return
        self._close_field()
        start = line.find(stripped)
        label_text = Text(stripped, Span(row, start, row, start + len(stripped)))
        self.open = _OpenField(text, label_text, row, len(line), self.state == "inside", "")
        self.paragraph_start = True

    def _feed_piped(self, row: int, line: str) -> bool:
        """`*A, B* | **Category: cs.CR**` or `[**[PDF]**](url) | **Categories:** cs.AI`: parts on one line."""
        parts = []
        column = 0
        for piece in line.split(_PIPE):
            parts.append((column, column + len(piece)))
            column += len(piece) + len(_PIPE)
        readable = []
        for start, end in parts:
            piece = line[start:end].strip()
            if not piece:
                return False
            lead = start + (len(line[start:end]) - len(line[start:end].lstrip()))
            tail = lead + len(piece)
            if piece[0] == "*" and piece[:2] != "**" and self.authors is None and not readable:
                readable.append(("authors", lead, tail))
            elif _LINK_ONLY.match(piece):
                readable.append(("link", lead, tail))
            elif match_label(piece, True) is not None:
                readable.append(("field", lead, tail))
            else:
                return False
        self._close_field()
        for kind, lead, tail in readable:
            if kind == "authors":
                self.authors = parse_authors(line, row, lead, tail)
            elif kind == "field":
                piece_label = match_label(line[lead:tail], True)
                label = piece_label._replace(start=piece_label.start + lead, end=piece_label.end + lead)
                self._start_field(row, line[:tail], label)
                self._close_field()
        return True

    def _abstract_only(self) -> bool:
        summary = self.summary
        return (
            summary is not None
            and summary.text.strip().lower() == "abstract"
            and not any(field.in_details for field in self.fields)
        )

    def _feed_tag(self, row: int, line: str, stripped: str) -> bool:
        lowered = stripped[:10].lower()
        if lowered.startswith("<!--"):
            comment = COMMENT.match(line)
            if comment:
                self.comments.append(Comment(comment.group(1).strip(), Span(row, 0, row, len(line))))
                return True
            return False
        exact = _EXACT_TAG_NAMES.get(stripped)
        if exact is not None:  # the generator's own tags: no expression, nothing to repair (`tag` None)
            tag = None
            closing, meant = exact
        else:
            tag = _TAG.match(stripped)
            if tag is None:
                return False
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            meant = name if name in _TAGS else near_tag(name)
            if meant is None:
                return False
        if meant == "details" and not closing and self.state == "before":
            if tag is not None:
                self._tag_repair(row, line, stripped, tag, meant, closing)
            self._close_field()
            self.state = "inside"
            self.details_open = Span(row, 0, row, len(line))
            self.expect_summary = True
            return True
        if meant == "summary" and not closing and self.state == "inside" and self.expect_summary:
            if tag is not None:
                self._tag_repair(row, line, stripped, tag, meant, closing)
            self.expect_summary = False
            summary = _SUMMARY.match(line)
            if summary:
                self.summary = Text(summary.group(1), Span(row, summary.start(1), row, summary.end(1)))
            else:
                inner = _without_tags(stripped)
                column = line.find(inner) if inner else 0
                self.summary = Text(inner, Span(row, column, row, column + len(inner)))
            return True
        if meant == "details" and closing and self.state == "inside":
            if tag is not None:
                self._tag_repair(row, line, stripped, tag, meant, closing)
            self._close_field()
            self.state = "after"
            self.details_close = Span(row, 0, row, len(line))
            return True
        return False

    def _tag_repair(self, row: int, line: str, stripped: str, tag: re.Match, meant: str, closing: bool) -> None:
        written = tag.group()
        if meant == "summary":
            summary = _SUMMARY.match(line)
            if summary and tag.group(2).lower() == "summary" and tag.group(4):
                return
            inner = _without_tags(stripped)
            start = line.find(stripped)
            wanted = f"<summary>{inner}</summary>"
            if stripped != wanted:
                self.repairs.append(Repair("tag", Span(row, start, row, start + len(stripped)), f"`{stripped}` should be `{wanted}`", wanted))
            return
        wanted = ("</" if closing else "<") + meant + (tag.group(3) if tag.group(4) else "") + ">"
        if tag.group(2) == meant and tag.group(4) and not (closing and tag.group(3).strip()):
            return
        start = line.find(stripped)
        span = Span(row, start, row, start + len(written))
        self.repairs.append(Repair("tag", span, f"`{written}` should be `{wanted}`", wanted))

    def _start_field(self, row: int, line: str, match: LabelMatch) -> None:
        self._close_field()
        self.expect_summary = False
        canonical, label_start, label_end, bold, quoted, _, near_miss, _ = match
        written_label = line[label_start:label_end].rstrip()
        label_text = Text(written_label, span_from_tuple((row, label_start, row, label_start + len(written_label))))
        if near_miss is not None:
            replacement = label_repair(match, line)
            written = line[label_start:label_end].strip()
            if ":" not in written and "：" not in written:
                message = f"`{written}` lacks its colon: write `{replacement.strip()}`"
            else:
                message = f"`{written}` is misspelt: write `{replacement.strip()}`"
            self.repairs.append(Repair("label", Span(row, label_start, row, label_end), message, replacement))
        value = line[label_end:]
        if bold and not written_label.endswith("**") and value.rstrip().endswith("**"):
            value = value.rstrip()[:-2]  # `**Category: cs.CR**`: the bold wraps the value too
        if canonical == "Authors":
            end = label_end + len(value.rstrip())
            self.authors = _split_names(line, row, label_end, end, Span(row, label_start, row, end), True, False)
            self.paragraph_start = False
            return
        self.open = _OpenField(canonical, label_text, row, label_end, self.state == "inside", value, quoted)

    def _continue(self, row: int, line: str) -> None:
        self.expect_summary = False
        if self.open.quoted and line.lstrip().startswith(">"):
            stripped = line.lstrip()
            column = len(line) - len(stripped) + 1 + (1 if stripped[1:2] == " " else 0)
            self.open.parts.append((row, column, line[column:]))
            return
        self.open.parts.append((row, 0, line))

    def _close_field(self) -> None:
        field = self.open
        if field is None:
            return
        self.open = None
        parts = field.parts
        if len(parts) == 1:  # most fields are one line: no join, no scan for the last text
            row, col, text = parts[0]
            value = text.strip()
            if value:
                lead = col + len(text) - len(text.lstrip())
                value_span = span_from_tuple((row, lead, row, lead + len(value)))
            else:
                value_span = Span(field.row, field.value_col, field.row, field.value_col)
        else:
            value = "\n".join([text for _, _, text in parts]).strip()
            first = next((part for part in parts if part[2].strip()), None)
            if first is not None:
                last = next(part for part in reversed(parts) if part[2].strip())
                row, col, text = first
                last_row, last_col, last_text = last
                value_span = Span(row, col + len(text) - len(text.lstrip()), last_row, last_col + len(last_text.rstrip()))
            else:
                value_span = Span(field.row, field.value_col, field.row, field.value_col)
        label_span = field.label_text.span
        span = span_from_tuple((label_span.start_line, label_span.start_col, value_span.end_line, value_span.end_col))
        self.fields.append(Field(field.label, field.label_text, value, value_span, span, field.in_details))

    def finish(self, heading: EntryHeading) -> EntryBlock:
        self._close_field()
        if self.fence is not None:
            # The next entry heading ends the entry even inside a fence (an unclosed fence must not swallow
            # the rest of the digest), but on the rendered page everything up to the next fence is code.
            self.repairs.append(
                Repair("fence", self.fence_open, "this code fence is not closed before the entry ends: the page shows everything up to the next fence line as code", None)
            )
            if self.details_close is None and self.fenced_close is not None:
                self.details_close = self.fenced_close  # the one mistake is the fence: the block is read as closed
                self.state = "after"
        details = None
        if self.details_open is not None:
            details = Details(self.details_open, self.summary, self.details_close)
        fields = tuple(self.fields)
        category = tldr = listed = None
        for field in fields:
            if field.label == "Main category" and category is None:
                category = field
            elif field.label == "TL;DR" and tldr is None:
                tldr = field
            elif field.label == "Categories" and listed is None:
                listed = field
        if category is None and listed is not None:
            category = _first_category(listed)
        link = heading.link
        arxiv_id = link.id.base if link is not None and link.id is not None else None
        vote = _template_vote(heading, self.authors, fields, details)
        return EntryBlock(
            self.line_count,
            heading,
            self.authors,
            fields,
            details,
            tuple(self.stray),
            tuple(self.comments),
            self.last_text_line,
            category,
            tldr,
            arxiv_id,
            vote,
            tuple(self.repairs),
        )


_CATEGORY_WORD = re.compile(r"`?([a-z][a-z-]*(?:\.[A-Za-z-]{2,})?)`?")


def _first_category(listed: Field) -> Field | None:
    """`**Categories:** `q-bio.QM`, `cs.AI``: the first listed category is the main one (as arXiv orders them)."""
    match = _CATEGORY_WORD.match(listed.value)
    if match is None:
        return None
    span = listed.value_span
    start = span.start_col + match.start(1)
    value_span = Span(span.start_line, start, span.start_line, start + len(match.group(1)))
    return Field("Main category", listed.label_text, match.group(1), value_span, listed.span, listed.in_details)


def _without_tags(text: str) -> str:
    """`<summery>Details</summery>` -> `Details`: the text of a summary line whose tags are mistyped."""
    return _ANY_TAG.sub("", text).strip()


def near_tag(name: str) -> str | None:
    """`detail`, `detials`, `summery`: the tag a misspelt one was meant to be."""
    from rapidfuzz.distance import OSA  # as in `labels.near_miss_of`: only a mistyped tag needs it

    for tag in _TAGS:
        if OSA.distance(name, tag, score_cutoff=2) <= 2 and len(name) >= 5:
            return tag
    return None


def _template_vote(heading: EntryHeading, authors, fields, details) -> Template | None:
    """The template an entry looks generated by; None when it does not look generated at all."""
    link = heading.link
    if link is None or not link.is_arxiv or (authors is None and details is None and not fields):
        return None
    spellings = {field.label_text.text.replace("*", "").rstrip(":： \t") for field in fields}
    if "TLDR" in spellings:
        return Template.TLDR
    labels = {field.label for field in fields}
    if "Task" in labels:
        return Template.TASK
    if "Main category" in labels or "TL;DR" in labels:
        return Template.CURRENT
    if details is not None and details.summary is not None and details.summary.text.strip().lower() == "abstract":
        return Template.ABSTRACT_ONLY
    return Template.CURRENT
