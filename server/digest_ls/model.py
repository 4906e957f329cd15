"""The document model: immutable nodes that every feature and rule reads.

A digest is cut into *blocks* at skeleton lines (headings and `<div id=...>`
anchors). Every node inside a block carries a `Span` whose rows are relative
to the block's first line; the `Document` keeps the absolute first line of
each block in `starts`. An edit that changes the line count therefore leaves
every untouched block object as it was, which is what makes incremental
parsing (and per-entry rule caching) cheap.

Columns are Unicode code points. Only `digest_ls.lsp.positions` knows about
UTF-8 and UTF-16.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Union

from .arxiv import ArxivLink
from .span import Span


# Absolute spans use the same type; the name says which one a function expects.
Range = Span

# The nodes inside a block are made by the hundred thousand per digest (every name, label and field):
# a frozen dataclass sets each attribute through `object.__setattr__`, which cost 8% of a parse. No
# code changes them all the same. The blocks and the document, which the linter and the incremental
# parser reuse by identity, stay frozen: they are made once per block.
_leaf_node = dataclass(slots=True, unsafe_hash=True)


class Template(str, Enum):
    """Which generation of the generator's template a file follows."""

    CURRENT = "current"  # TOC, sections, `Main category:`, `TL;DR:`
    TLDR = "tldr"  # as current, with `TLDR:`
    TASK = "task"  # `Task:` and `Motivation:` before `<details>`, no sections
    ABSTRACT_ONLY = "abstract-only"  # `<summary>Abstract</summary>` only
    NONE = "none"  # not a digest


@_leaf_node
class Text:
    """A piece of source text and where it stands."""

    text: str
    span: Span


@_leaf_node
class Number:
    value: int
    span: Span


@_leaf_node
class Comment:
    """An HTML comment line, where suppression directives live."""

    body: str
    span: Span


# --- skeleton blocks ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StrayBlock:
    """Lines before the first skeleton line, or under a heading of no role."""

    line_count: int
    stray: tuple[Text, ...]
    comments: tuple[Comment, ...]


@dataclass(frozen=True, slots=True)
class AnchorBlock:
    """`<div id='CAT'></div>` (or `<div id=toc></div>`) and the lines up to the next skeleton line."""

    line_count: int
    span: Span
    anchor: Text  # the id value
    stray: tuple[Text, ...]
    comments: tuple[Comment, ...]

    @property
    def is_toc(self) -> bool:
        return self.anchor.text == "toc"


@_leaf_node
class TocItem:
    span: Span
    category: Text  # the link text without a count written inside it
    anchor: Text
    total: Number | None
    count: Text | None = None  # the count as written (`[Total: 11]`, `(9)`, `(9 篇)`), for its shape


@dataclass(frozen=True, slots=True)
class HeadingBlock:
    """A `#` or `##` heading: the TOC heading, a category section heading or another heading."""

    line_count: int
    span: Span
    level: int
    title: Text
    category: Text | None  # set on a section heading
    back_link: Text | None  # the `[[Back]](#toc)` link of a section heading
    back_target: Text | None  # `toc` in `(#toc)`
    is_toc: bool
    toc_items: tuple[TocItem, ...]
    stray: tuple[Text, ...]
    comments: tuple[Comment, ...]


@_leaf_node
class EntryHeading:
    span: Span
    number: Number | None
    title: Text | None
    url: Text | None
    link: ArxivLink | None
    problems: tuple[str, ...]  # why the heading is not well formed, empty when it is
    repaired: str | None = None  # the heading line as it was meant, when the problems are mechanical


@_leaf_node
class Authors:
    span: Span  # the whole line
    names: tuple[Text, ...]  # each name stripped; span of the stripped name (empty names get an empty span)
    separators: tuple[str, ...]  # the separator before each name after the first, as written (`,`, `, `, `,  `)
    closed: bool  # the line ends with `*`
    emphasised: bool = True  # `*A,B*`; False for a labelled line such as `**Authors:** A, B`


@_leaf_node
class Field:
    """`Label: value`, the value running over lines until the next field or the block's end."""

    label: str  # canonical label: `TL;DR`, `Main category`, `Motivation`, ...
    label_text: Text  # as written, e.g. `**TL;DR**:` or `TLDR:`
    value: str  # lines joined with "\n", surrounding blank lines removed
    value_span: Span
    span: Span
    in_details: bool


@_leaf_node
class Repair:
    """A near miss the parser read as what was meant: a misspelt label, a `<detail>` tag, a heading in an abstract.

    `replacement` is the text that `span` should hold, when the repair is mechanical.
    """

    kind: str  # "label", "tag", "heading" or "fence"
    span: Span
    message: str
    replacement: str | None


@_leaf_node
class Details:
    open: Span
    summary: Text | None  # the text between <summary> and </summary>
    close: Span | None  # None when the block is never closed


@dataclass(frozen=True, slots=True)
class EntryBlock:
    """One paper, from its `###` heading to the next skeleton line."""

    line_count: int
    heading: EntryHeading
    authors: Authors | None
    fields: tuple[Field, ...]  # every labelled field in source order (before and inside <details>)
    details: Details | None
    stray: tuple[Text, ...]
    comments: tuple[Comment, ...]
    last_text_line: int  # the last row holding non-blank text
    # Derived at parse time so that whole-document passes stay cheap after every keystroke.
    category: Field | None  # the first `Main category:` field
    tldr: Field | None  # the first `TL;DR:` field (any spelling)
    arxiv_id: str | None  # the id of the heading link, without version
    template_vote: Template | None  # which template this entry looks generated by, None if it does not
    repairs: tuple[Repair, ...] = ()  # near misses read as what was meant, each for the rules to point at

    def field(self, label: str) -> Field | None:
        for field in self.fields:
            if field.label == label:
                return field
        return None


Block = Union[StrayBlock, AnchorBlock, HeadingBlock, EntryBlock]


# --- the document --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TocRef:
    anchor: int | None  # block index of `<div id=toc>`
    heading: int  # block index of `# Table of Contents`


@dataclass(frozen=True, slots=True)
class Section:
    """A category section; `category` is None for entries outside any section."""

    category: str | None
    anchor: int | None  # block index of the `<div id=...>` before the heading
    heading: int | None  # block index of the section heading
    entries: tuple[int, ...]  # block indices


@dataclass(frozen=True, slots=True)
class Layout:
    """The conventions a digest follows, read off the file by majority (`parser.layout`)."""

    name: str  # "upstream", an upstream era, or "fork: ..." listing how it differs
    known: bool  # the parser could place what the file holds: structural rules and fixes apply
    upstream: bool  # the upstream generator's own template (of any era)
    numbering: str  # "global", "per-section" or "none"
    section_level: int | None
    anchors: bool  # sections carry `<div id=...>` anchors
    back_link: str | None  # the back link as sections write it (`[[Back]](#toc)`), "" for none
    count_shape: str | None  # how TOC items write their count (`[Total: {n}]`), None for no count
    link_form: tuple  # (scheme, kind, versioned) of the entry links
    label_style: str  # "plain", "bold" or "quoted"
    fields: frozenset  # labels at least half of the entries carry
    has_details: bool


@dataclass(frozen=True, slots=True)
class Document:
    lines: tuple[str, ...]  # without line terminators
    eols: tuple[str, ...]  # the terminator of each line: "\n", "\r\n", "\r" or "" (last line)
    blocks: tuple[Block, ...]
    starts: tuple[int, ...]  # absolute first line of each block
    toc: TocRef | None
    sections: tuple[Section, ...]
    entries: tuple[int, ...]  # block indices of every entry in order
    template: Template
    is_digest: bool
    layout: Layout

    @property
    def text(self) -> str:
        return "".join(line + eol for line, eol in zip(self.lines, self.eols))

    def block_end(self, index: int) -> int:
        """The absolute line after the block's last line."""
        return self.starts[index] + self.blocks[index].line_count

    def entry_blocks(self):
        """Yield (block index, absolute first line, entry) for every entry."""
        for index in self.entries:
            yield index, self.starts[index], self.blocks[index]

    def block_at_line(self, line: int) -> int:
        """The index of the block holding an absolute line (the last block past the end)."""
        from bisect import bisect_right

        return max(0, bisect_right(self.starts, line) - 1)

    def section_of(self, block_index: int) -> Section | None:
        for section in self.sections:
            if block_index in section.entries:
                return section
        return None
