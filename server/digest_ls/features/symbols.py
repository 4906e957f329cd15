"""Document outline: the table of contents, category sections, entries and their fields.

`document_symbols` gives the hierarchy (TOC > items; section > entries >
fields); `flat_symbols` the same nodes as a list with container names, for
clients without hierarchical symbol support.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, EntryBlock, HeadingBlock, Span


@dataclass(frozen=True, slots=True)
class SymbolNode:
    name: str
    detail: str
    kind: str  # "toc", "section", "entry", "field"
    range: Span
    selection_range: Span
    children: tuple["SymbolNode", ...] = ()


@dataclass(frozen=True, slots=True)
class FlatSymbol:
    name: str
    detail: str
    kind: str
    range: Span
    container: str | None


def document_symbols(document: Document) -> list[SymbolNode]:
    if not document.is_digest:
        return []
    nodes: list[tuple[int, SymbolNode]] = []  # (first line, node) to keep source order
    if document.toc is not None:
        nodes.append((document.starts[document.toc.heading], _toc_node(document)))
    for section in document.sections:
        entries = tuple(_entry_node(document, index) for index in section.entries)
        if section.category is None or section.heading is None:
            nodes.extend((node.range.start_line, node) for node in entries)
            continue
        first_block = section.anchor if section.anchor is not None else section.heading
        first = document.starts[first_block]
        last_block = section.entries[-1] if section.entries else section.heading
        last = _last_text_line(document, last_block)
        heading = document.blocks[section.heading]
        selection = heading.category.span.shifted(document.starts[section.heading])
        count = len(section.entries)
        detail = f"{count} paper{'s' if count != 1 else ''}"
        nodes.append((first, _section_node(section.category, detail, _lines(document, first, last), selection, entries)))
    nodes.sort(key=lambda pair: pair[0])
    return [node for _, node in nodes]


def flat_symbols(document: Document) -> list[FlatSymbol]:
    flat: list[FlatSymbol] = []

    def walk(nodes, container: str | None) -> None:
        for node in nodes:
            flat.append(FlatSymbol(node.name, node.detail, node.kind, node.range, container))
            walk(node.children, node.name)

    walk(document_symbols(document), None)
    return flat


def _toc_node(document: Document) -> SymbolNode:
    heading_index = document.toc.heading
    heading: HeadingBlock = document.blocks[heading_index]
    start = document.starts[heading_index]
    first = document.starts[document.toc.anchor] if document.toc.anchor is not None else start
    last = start + max((item.span.end_line for item in heading.toc_items), default=0)
    children = tuple(
        SymbolNode(
            item.category.text,
            f"Total: {item.total.value}" if item.total is not None else "",
            "field",
            item.span.shifted(start),
            item.category.span.shifted(start),
        )
        for item in heading.toc_items
    )
    return SymbolNode("Table of Contents", f"{len(children)} sections", "toc", _lines(document, first, last), heading.title.span.shifted(start), children)


# An edit re-parses one entry; the others are the same objects at (maybe) shifted lines, so their
# nodes are reused. Keyed by identity, holding the entry so that an id is never reused while cached.
_ENTRY_NODES: dict[int, tuple[EntryBlock, int, SymbolNode]] = {}
_ENTRY_NODES_LIMIT = 50_000


def _entry_node(document: Document, index: int) -> SymbolNode:
    entry: EntryBlock = document.blocks[index]
    start = document.starts[index]
    cached = _ENTRY_NODES.get(id(entry))
    if cached is not None and cached[0] is entry:
        if cached[1] == start:
            return cached[2]
        node = _shifted(cached[2], start - cached[1])
    else:
        node = _build_entry_node(document, entry, start)
    if len(_ENTRY_NODES) >= _ENTRY_NODES_LIMIT:
        _ENTRY_NODES.clear()
    _ENTRY_NODES[id(entry)] = (entry, start, node)
    return node


# A keystroke changes one entry's node; every other section keeps its node, the same object, so that
# the server's JSON of it is found by identity too (`convert.document_symbols_json`). One node per
# category name: a section that moved or changed replaces its old node, so the cache never outgrows
# the taxonomy (keyed by position, every inserted line would leave the later sections' old nodes behind).
_SECTION_NODES: dict[str, SymbolNode] = {}


def _section_node(name: str, detail: str, range_: Span, selection: Span, entries: tuple[SymbolNode, ...]) -> SymbolNode:
    cached = _SECTION_NODES.get(name)
    if (
        cached is not None
        and (cached.detail, cached.range, cached.selection_range) == (detail, range_, selection)
        and len(cached.children) == len(entries)
        and all(a is b for a, b in zip(cached.children, entries))
    ):
        return cached
    node = _SECTION_NODES[name] = SymbolNode(name, detail, "section", range_, selection, entries)
    return node


def _shifted(node: SymbolNode, lines: int) -> SymbolNode:
    return SymbolNode(
        node.name,
        node.detail,
        node.kind,
        node.range.shifted(lines),
        node.selection_range.shifted(lines),
        tuple(_shifted(child, lines) for child in node.children),
    )


def _build_entry_node(document: Document, entry: EntryBlock, start: int) -> SymbolNode:
    heading = entry.heading
    number = f"[{heading.number.value}] " if heading.number is not None else ""
    title = " ".join(heading.title.text.split()) if heading.title is not None and heading.title.text.strip() else "(untitled)"
    parts = []
    if entry.arxiv_id:
        parts.append(entry.arxiv_id)
    if entry.authors is not None and entry.authors.names and entry.authors.names[0].text:
        parts.append(entry.authors.names[0].text)
    fields = tuple(
        SymbolNode(
            field.label,
            _preview(field.value),
            "field",
            field.span.shifted(start),
            field.label_text.span.shifted(start),
        )
        for field in entry.fields
    )
    last = start + entry.last_text_line
    selection = (heading.title.span if heading.title is not None else heading.span).shifted(start)
    return SymbolNode(number + title, " · ".join(parts), "entry", _lines(document, start, last), selection, fields)


def _preview(text: str, limit: int = 60) -> str:
    text = " ".join(text[: limit * 4].split())  # an abstract runs to thousands of characters
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _last_text_line(document: Document, block_index: int) -> int:
    block = document.blocks[block_index]
    start = document.starts[block_index]
    if isinstance(block, EntryBlock):
        return start + block.last_text_line
    return start


def _lines(document: Document, first: int, last: int) -> Span:
    """Whole lines first..last (a symbol's range must contain its selection range)."""
    last = max(first, min(last, len(document.lines) - 1))
    return Span(first, 0, last, len(document.lines[last]))
