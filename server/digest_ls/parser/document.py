"""Whole-document parsing: cutting lines into blocks and assembling the tree.

`parse(text)` never raises. `assemble` derives the TOC, the sections, the
template and whether the file is a digest at all from the block list alone,
so the incremental parser and the full parser share it and cannot disagree.
"""

from __future__ import annotations

from collections import Counter

from ..gcpause import without_collector
from ..model import AnchorBlock, Block, Document, EntryBlock, HeadingBlock, Section, Template, TocRef
from ..source import split_lines
from .entry import parse_entry
from .layout import detect_layout
from .skeleton import classify, fence_after, parse_anchor, parse_heading, parse_stray


@without_collector
def parse(text: str) -> Document:
    lines, eols = split_lines(text)
    blocks, starts = parse_blocks(lines, 0, len(lines))
    return assemble(tuple(lines), tuple(eols), tuple(blocks), tuple(starts))


def block_starts(lines, begin: int, end: int) -> tuple[list[int], list[str | None]]:
    """First lines of the blocks in lines[begin:end], and what each starts (`classify`); `begin` always starts one.

    A plain heading (`# Notes`) inside an entry whose `<details>` is open or inside a fenced code block
    is text of that entry, as it renders; every other skeleton line starts a block wherever it stands.
    """
    kind = classify(lines[begin])
    starts = [begin]
    kinds = [kind]
    in_entry = kind == "entry"
    details_open = False
    fence = None  # the marker of the entry's open fenced code block
    for index in range(begin + 1, end):
        line = lines[index]
        first = line[:1]
        if not first or first not in "#< `~":
            continue
        if in_entry and first != "#":
            stripped = line.lstrip()
            if stripped[:3] in ("```", "~~~"):
                fence = fence_after(fence, stripped)
                continue
            if fence is None:
                lowered = stripped[:10].lower()
                if lowered.startswith("<details"):
                    details_open = True
                    continue  # a tag line is no skeleton line: the two in every entry need no `classify`
                if lowered.startswith("</details"):
                    details_open = False
                    continue
        kind = classify(line)
        if kind is None or (kind == "heading" and in_entry and (details_open or fence is not None)):
            continue
        starts.append(index)
        kinds.append(kind)
        in_entry = kind == "entry"
        details_open = False
        fence = None
    return starts, kinds


def parse_blocks(lines, begin: int, end: int) -> tuple[list[Block], list[int]]:
    """The blocks of lines[begin:end] and their first lines."""
    starts, kinds = block_starts(lines, begin, end)
    blocks = [parse_block(lines[start:stop], kind) for start, stop, kind in zip(starts, starts[1:] + [end], kinds)]
    return blocks, starts


def parse_block(lines, kind: str | None) -> Block:
    """A block from its lines and what its first line starts (`classify`)."""
    if kind is None:
        return parse_stray(lines)
    if kind == "anchor":
        return parse_anchor(lines)
    if kind == "entry":
        return parse_entry(lines)
    return parse_heading(lines)


def assemble(lines, eols, blocks: tuple[Block, ...], starts: tuple[int, ...]) -> Document:
    toc = None
    sections: list[Section] = []
    loose_entries: list[int] = []
    entries: list[int] = []
    current: list | None = None  # [category, anchor, heading, entries]
    pending_anchor: int | None = None
    for index, block in enumerate(blocks):
        if isinstance(block, EntryBlock):
            entries.append(index)
            (current[3] if current is not None else loose_entries).append(index)
            pending_anchor = None
        elif isinstance(block, AnchorBlock):
            pending_anchor = index
        elif isinstance(block, HeadingBlock):
            if block.is_toc and toc is None:
                toc_anchor = pending_anchor if pending_anchor is not None and blocks[pending_anchor].is_toc else None
                toc = TocRef(toc_anchor, index)
            elif block.category is not None:
                if current is not None:
                    sections.append(_section(current))
                current = [block.category.text, pending_anchor, index, []]
            pending_anchor = None
    if current is not None:
        sections.append(_section(current))
    if loose_entries:
        sections.insert(0, Section(None, None, None, tuple(loose_entries)))
    template = _template(blocks, entries, toc)
    sections = tuple(sections)
    layout = detect_layout(blocks, starts, toc, sections, entries, template)
    return Document(
        lines, eols, blocks, starts, toc, sections, tuple(entries), template, template is not Template.NONE, layout
    )


def _section(current: list) -> Section:
    category, anchor, heading, entries = current
    return Section(category, anchor, heading, tuple(entries))


def _template(blocks, entries: list[int], toc: TocRef | None) -> Template:
    """Vote over the entries; a file with no entry that looks generated is not a digest."""
    votes: Counter = Counter()
    for index in entries:
        vote = blocks[index].template_vote
        if vote is not None:
            votes[vote] += 1
    if not votes:
        if toc is not None and any(item.total is not None for item in blocks[toc.heading].toc_items):
            return Template.CURRENT
        return Template.NONE
    return votes.most_common(1)[0][0]
