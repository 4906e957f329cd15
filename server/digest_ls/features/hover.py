"""Hover cards: papers, authors, categories and rule codes, as escaped Markdown.

A paper's card shows one listing of it as written there, never a mix of
several: on an entry heading the entry under the cursor as the buffer has
it now (edits included); on an id or link anywhere else, this digest's
entry for it when there is one, else the most recent listing in the
workspace. A metadata (JSONL) line of the same day, else the most recent
one, fills only what that listing lacks (a cross-listed category, an
abstract the entry does not carry). The other days the paper appears on
follow as a list: date, link, and what differs there (title, version, TL;DR).

On an author: their papers in the workspace. On a category: its full name
and counts. On a rule code in a `digest-ls:` comment: the rule's
documentation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import taxonomy
from ..arxiv import ArxivId, canonical_abs_url, parse_id, pdf_url
from ..config import Config
from ..index.papers import Listing
from ..index.records import entry_record
from ..index.tables import listing
from ..model import Document, EntryBlock, Span
from ..rules.registry import RULES
from .locate import target_at
from .markdown import code, escape_inline, escape_markdown, link, truncate

MAX_AUTHORS = 8
MAX_AUTHOR_PAPERS = 10
MAX_OTHER_DAYS = 8
OTHER_TLDR_LENGTH = 160


@dataclass(frozen=True, slots=True)
class HoverCard:
    markdown: str
    range: Span


def hover(document: Document, line: int, col: int, index, config: Config, path: str | None = None) -> HoverCard | None:
    target = target_at(document, line, col)
    if target is None:
        return None
    if target.kind == "paper":
        entry_block = target.block if target.role == "heading" else None
        card = paper_card(target.text, index, config, document, path, entry_block)
        if card is None:
            return HoverCard(f"{code(target.text)}: not found in this workspace", target.range)
        return HoverCard(card, target.range)
    if target.kind == "author":
        return HoverCard(_author_markdown(target.text, index), target.range)
    if target.kind == "category":
        return HoverCard(_category_markdown(document, target.text, index), target.range)
    if target.kind == "rule":
        text = rule_markdown(target.text)
        return HoverCard(text, target.range) if text else None
    return None


# --- papers ---------------------------------------------------------------------------------------


def paper_card(
    paper_id: str, index, config: Config, document: Document | None = None, path: str | None = None,
    block: int | None = None,
) -> str | None:
    """The card of a paper as one listing shows it, with the other days it appears on; None if unknown.

    `block`: the entry (block index in `document`) the card is for. Without it, `document`'s own
    entry for the paper when it has one, else the most recent listing in the index.
    """
    listings = index.listings(paper_id) if index is not None else []
    here = _real(path)
    digests = [item for item in listings if item.kind == "digest"]
    metadata = [item for item in listings if item.kind == "metadata"]
    at_hand = _listing_at_hand(document, paper_id, path, block) if document is not None else None
    if at_hand is not None:
        shown = at_hand
        others = [item for item in digests if here is None or _real(item.path) != here]
    else:
        shown = digests[0] if digests else metadata[0] if metadata else None
        if shown is None:
            return None
        others = [item for item in digests if item is not shown]
    filler = next((item for item in metadata if item.date == shown.date), metadata[0] if metadata else None)
    parts = _card(paper_id, shown, filler, config)
    if at_hand is None:
        parts.append(f"From {_place(shown)}")
    if others:
        parts.append(_other_days(others, shown))
    return "\n\n".join(parts)


def _listing_at_hand(document: Document, paper_id: str, path: str | None, block: int | None) -> Listing | None:
    """The document's entry at `block` (or its first entry for the paper) as a listing."""
    candidates = [block] if block is not None else [
        index for index, _, entry in document.entry_blocks()
        if entry.heading.link is not None and entry.heading.link.id is not None
        and entry.heading.link.id.canonical == paper_id
    ][:1]
    for index in candidates:
        entry = document.blocks[index]
        if isinstance(entry, EntryBlock):
            section = document.section_of(index)
            record = entry_record(entry, document.starts[index], section.category if section else None)
            return listing(path or "", record)
    return None


def _card(paper_id: str, shown: Listing, filler: Listing | None, config: Config) -> list[str]:
    def value(get):
        own = get(shown)
        return own if own or filler is None else get(filler)

    parsed = parse_id(paper_id)
    title = value(lambda item: item.title)
    category = value(lambda item: item.category)
    categories = filler.categories if filler is not None and filler.categories else ()
    parts = [f"### {escape_inline(title) or code(paper_id)}"]
    facts = [code(str(ArxivId(paper_id, shown.version)) if parsed is not None else paper_id)]
    if category:
        name = taxonomy.full_name(category)
        facts.append(f"{code(category)} {escape_inline(name)}" if name else code(category))
    others = [c for c in categories if c != category]
    if others:
        facts.append("also " + ", ".join(code(c) for c in others))
    parts.append(" · ".join(facts))
    authors = value(lambda item: item.authors)
    if authors:
        parts.append(_authors_line(authors))
    if parsed is not None:
        parts.append(f"{link('abs', canonical_abs_url(parsed))} · {link('PDF', pdf_url(parsed))}")
    tldr = value(lambda item: item.field("TL;DR"))
    if tldr:
        parts.append(f"**TL;DR:** {escape_markdown(truncate(tldr, max(config.hover_abstract_length, 200)))}")
    abstract = value(lambda item: item.field("Abstract"))
    if abstract:
        parts.append(f"**Abstract:** {escape_markdown(truncate(abstract, config.hover_abstract_length))}")
    return parts


def _other_days(others: list[Listing], shown: Listing) -> str:
    lines = ["**Also listed on**"]
    for item in others[:MAX_OTHER_DAYS]:
        lines.append(f"- {_place(item)}: {_differences(item, shown)}")
    if len(others) > MAX_OTHER_DAYS:
        lines.append(f"- … and {len(others) - MAX_OTHER_DAYS} more")
    return "\n".join(lines)


def _differences(other: Listing, shown: Listing) -> str:
    """What another listing says differently from the one on the card: title, version, TL;DR."""
    found = []
    if _words(other.title) != _words(shown.title):
        found.append(f"title {escape_inline(truncate(other.title, 120)) or '(none)'}")
    if other.version != shown.version:
        found.append(f"v{other.version}" if other.version is not None else "no version")
    tldr = other.field("TL;DR")
    if _words(tldr) != _words(shown.field("TL;DR")):
        found.append(f"TL;DR {escape_inline(truncate(tldr, OTHER_TLDR_LENGTH))}" if tldr else "no TL;DR")
    return " · ".join(found) if found else "same title, version and TL;DR"


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _place(item: Listing) -> str:
    """`2026-01-10 (2026-01-10.md [1])`, linked to the entry or the JSONL line."""
    name = Path(item.path).name
    label = f"{name} [{item.number}]" if item.number is not None else f"{name}:{item.line + 1}"
    target = link(label, Path(item.path).as_uri() + f"#L{item.line + 1}") if item.path else escape_inline(label)
    return f"{item.date} ({target})" if item.date and item.date not in name else target


def _authors_line(authors: tuple[str, ...]) -> str:
    shown = ", ".join(escape_inline(name) for name in authors[:MAX_AUTHORS])
    if len(authors) > MAX_AUTHORS:
        shown += f", … (+{len(authors) - MAX_AUTHORS} more, {len(authors)} authors)"
    return shown


def _real(path: str | None) -> str | None:
    return os.path.realpath(path) if path else None


def _author_markdown(name: str, index) -> str:
    parts = [f"**{escape_inline(name)}**"]
    author = index.author(name) if index is not None else None
    if author is None:
        parts.append("No other papers in the workspace.")
        return "\n\n".join(parts)
    count = len(author.papers)
    parts[0] += f" · {count} paper{'s' if count != 1 else ''} in the workspace"
    variants = [(spelling, n) for spelling, n in author.spellings if spelling != name]
    if variants:
        parts.append("Also spelled " + ", ".join(f"{escape_inline(s)} ({n})" for s, n in variants[:5]))
    papers = index.papers_by_author(name)
    lines = []
    for paper in papers[:MAX_AUTHOR_PAPERS]:
        parsed = parse_id(paper.id)
        title = paper.title or paper.id
        label = link(title, canonical_abs_url(parsed)) if parsed else escape_inline(title)
        lines.append(f"- {label} {code(paper.id)}")
    if len(papers) > MAX_AUTHOR_PAPERS:
        lines.append(f"- … and {len(papers) - MAX_AUTHOR_PAPERS} more")
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _category_markdown(document: Document, category: str, index) -> str:
    name = taxonomy.full_name(category)
    if name is None:
        suggestions = taxonomy.suggest(category)
        text = f"{code(category)} is not an arXiv category"
        if suggestions:
            text += "; did you mean " + ", ".join(code(s) for s in suggestions) + "?"
        return text
    parts = [f"**{escape_inline(category)}** — {escape_inline(name)}"]
    here = sum(len(section.entries) for section in document.sections if section.category == category)
    counts = [f"{here} paper{'s' if here != 1 else ''} in this digest"]
    if index is not None:
        counts.append(f"{index.category_count(category)} in the workspace")
    parts.append(" · ".join(counts))
    return "\n\n".join(parts)


def rule_markdown(code_text: str) -> str | None:
    rule = RULES.get(code_text)
    if rule is None:
        return None
    parts = [
        f"**{rule.code} {rule.name}** ({rule.severity.label})",
        escape_markdown(rule.summary[:1].upper() + rule.summary[1:]) + ".",
        escape_markdown(rule.why),
    ]
    if rule.fix:
        parts.append(f"Fix: {escape_markdown(rule.fix)}.")
    parts.append("Bad:\n\n" + _fence(rule.bad))
    parts.append("Good:\n\n" + _fence(rule.good))
    return "\n\n".join(parts)


def _fence(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}markdown\n{text}\n{fence}"


__all__ = ["HoverCard", "hover", "paper_card", "rule_markdown"]
