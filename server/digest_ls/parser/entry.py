"""Parsing one entry block: heading, authors, labelled fields and the details block.

This is the hot path of both the linter and the server: one pass over the
lines, a first-character test before any regular expression, and nothing
that backtracks (entries carry 44,000-character author lines).
"""

from __future__ import annotations

import re

from ..arxiv import parse_link
from ..model import Authors, Comment, Details, EntryBlock, EntryHeading, Field, Number, Span, Template, Text
from .skeleton import COMMENT, HEADING, line_text

# Canonical label for every spelling the generator and its forks use.
LABELS = {
    "Main category": "Main category",
    "TL;DR": "TL;DR",
    "TLDR": "TL;DR",
    "TL; DR": "TL;DR",
    "Task": "Task",
    "Motivation": "Motivation",
    "Method": "Method",
    "Result": "Result",
    "Results": "Result",
    "Conclusion": "Conclusion",
    "Abstract": "Abstract",
    "Background": "Background",
    "Data": "Data",
}
DETAIL_FIELDS = ("Motivation", "Method", "Result", "Conclusion", "Abstract")
_LABEL = re.compile(
    r"(?P<bold>\*\*)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
    + r")(?:\*\*)?[ \t]*[:：](?:\*\*)?[ \t]*"
)
_LABEL_FIRST = frozenset(label[0] for label in LABELS) | {"*"}
_NUMBER = re.compile(r"\[(\d+)\](?:[ \t]+|$)")
_SUMMARY = re.compile(r"\s*<summary>(.*?)</summary>\s*$", re.IGNORECASE)


def parse_entry(lines: list[str]) -> EntryBlock:
    heading = parse_entry_heading(lines[0])
    builder = _EntryBuilder(len(lines))
    for row in range(1, len(lines)):
        builder.feed(row, lines[row])
    return builder.finish(heading)


def parse_entry_heading(line: str) -> EntryHeading:
    match = HEADING.match(line)
    position = match.end() if match else 0
    span = Span(0, 0, 0, len(line))
    rest_end = len(line.rstrip())
    problems: list[str] = []
    if match is None or len(match.group(2)) != 3:
        problems.append("an entry heading is a level-3 heading (`###`)")
    number = None
    numbered = _NUMBER.match(line, position)
    if numbered:
        number = Number(int(numbered.group(1)), Span(0, numbered.start(1), 0, numbered.end(1)))
        position = numbered.end()
    if position >= rest_end:
        problems.append("the heading has no `[title](link)`")
        return EntryHeading(span, number, None, None, None, tuple(problems))
    if line[position] != "[":
        problems.append("the title is not a link `[title](https://arxiv.org/abs/ID)`")
        title_text = line[position:rest_end]
        return EntryHeading(
            span, number, Text(title_text, Span(0, position, 0, rest_end)), None, None, tuple(problems)
        )
    # Titles may hold `[`, `]`, `(` and even `](`: the link is the last `](`.
    split = line.rfind("](", position + 1, rest_end)
    if split < 0:
        problems.append("the title link is not closed with `](URL)`")
        title = Text(line[position + 1 : rest_end], Span(0, position + 1, 0, rest_end))
        return EntryHeading(span, number, title, None, None, tuple(problems))
    title = Text(line[position + 1 : split], Span(0, position + 1, 0, split))
    url_start = split + 2
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
    return EntryHeading(span, number, title, url, link, tuple(problems))


def parse_authors(line: str, row: int) -> Authors:
    start = len(line) - len(line.lstrip())
    end = len(line.rstrip())
    closed = end - start >= 2 and line[end - 1] == "*"
    inner_start = start + 1
    inner_end = end - 1 if closed else end
    names: list[Text] = []
    separators: list[str] = []
    piece_start = inner_start
    while True:
        comma = line.find(",", piece_start, inner_end)
        piece_end = inner_end if comma < 0 else comma
        piece = line[piece_start:piece_end]
        stripped = piece.strip()
        lead = piece_start + (len(piece) - len(piece.lstrip())) if stripped else piece_start
        names.append(Text(stripped, Span(row, lead, row, lead + len(stripped))))
        if comma < 0:
            break
        next_start = comma + 1
        spaces = next_start
        while spaces < inner_end and line[spaces] == " ":
            spaces += 1
        separators.append(line[comma:spaces])
        piece_start = next_start
    return Authors(Span(row, start, row, end), tuple(names), tuple(separators), closed)


class _OpenField:
    __slots__ = ("label", "label_text", "row", "value_col", "in_details", "parts")

    def __init__(self, label, label_text, row, value_col, in_details, first_value):
        self.label = label
        self.label_text = label_text
        self.row = row
        self.value_col = value_col
        self.in_details = in_details
        self.parts = [(row, value_col, first_value)]


class _EntryBuilder:
    """A small state machine: before `<details>`, inside it, after `</details>`."""

    def __init__(self, line_count: int):
        self.line_count = line_count
        self.authors: Authors | None = None
        self.fields: list[Field] = []
        self.stray: list[Text] = []
        self.comments: list[Comment] = []
        self.details_open: Span | None = None
        self.summary: Text | None = None
        self.details_close: Span | None = None
        self.state = "before"
        self.open: _OpenField | None = None
        self.last_text_line = 0
        self.expect_summary = False

    def feed(self, row: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        self.last_text_line = row
        first = stripped[0]
        if first == "<":
            if self._feed_tag(row, line, stripped):
                return
        if self.state == "inside" and self.open is not None and self.open.label == "Abstract":
            # The abstract is the last field: a line starting with a label is abstract text.
            self._continue(row, line)
            return
        if self.state == "inside" and self.open is None and self._abstract_only():
            # Abstract-only template: the body of `<details><summary>Abstract` is the abstract.
            self.open = _OpenField("Abstract", Text("", Span(row, 0, row, 0)), row, 0, True, line)
            return
        if first in _LABEL_FIRST and self.state != "after":
            label = _LABEL.match(line, len(line) - len(line.lstrip()))
            if label:
                self._start_field(row, line, label)
                return
        if first == "*" and self.authors is None and not self.fields and self.state == "before":
            self.authors = parse_authors(line, row)
            return
        if self.open is not None:
            self._continue(row, line)
            return
        self.stray.append(line_text(line, row))

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
        if lowered.startswith("<details") and self.state == "before":
            self._close_field()
            self.state = "inside"
            self.details_open = Span(row, 0, row, len(line))
            self.expect_summary = True
            return True
        if lowered.startswith("<summary") and self.state == "inside" and self.expect_summary:
            self.expect_summary = False
            summary = _SUMMARY.match(line)
            if summary:
                self.summary = Text(summary.group(1), Span(row, summary.start(1), row, summary.end(1)))
            else:
                self.summary = line_text(line, row)
            return True
        if lowered.startswith("</details") and self.state == "inside":
            self._close_field()
            self.state = "after"
            self.details_close = Span(row, 0, row, len(line))
            return True
        return False

    def _start_field(self, row: int, line: str, match: re.Match) -> None:
        self._close_field()
        self.expect_summary = False
        label_start = match.start()
        label_end = match.end()
        label_text = Text(line[label_start:label_end].rstrip(), Span(row, label_start, row, len(line[:label_end].rstrip())))
        canonical = LABELS[match.group("label")]
        self.open = _OpenField(
            canonical, label_text, row, label_end, self.state == "inside", line[label_end:]
        )

    def _continue(self, row: int, line: str) -> None:
        self.expect_summary = False
        self.open.parts.append((row, 0, line))

    def _close_field(self) -> None:
        field = self.open
        if field is None:
            return
        self.open = None
        parts = field.parts
        value = "\n".join(text for _, _, text in parts).strip()
        texts = [(row, col, text) for row, col, text in parts if text.strip()]
        if texts:
            row, col, text = texts[0]
            last_row, last_col, last_text = texts[-1]
            value_span = Span(
                row, col + len(text) - len(text.lstrip()), last_row, last_col + len(last_text.rstrip())
            )
        else:
            value_span = Span(field.row, field.value_col, field.row, field.value_col)
        label_span = field.label_text.span
        span = Span(label_span.start_line, label_span.start_col, value_span.end_line, value_span.end_col)
        self.fields.append(Field(field.label, field.label_text, value, value_span, span, field.in_details))

    def finish(self, heading: EntryHeading) -> EntryBlock:
        self._close_field()
        details = None
        if self.details_open is not None:
            details = Details(self.details_open, self.summary, self.details_close)
        fields = tuple(self.fields)
        category = tldr = None
        for field in fields:
            if field.label == "Main category" and category is None:
                category = field
            elif field.label == "TL;DR" and tldr is None:
                tldr = field
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
        )


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
