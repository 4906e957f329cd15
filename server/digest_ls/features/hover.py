"""Hover cards: papers, authors, categories and rule codes, as escaped Markdown.

On an entry heading, a link or any arXiv id: the paper's card (title,
authors, category, links, TL;DR, abstract, the other digests that list it),
merged from the workspace index and filled from the entry itself. On an
author: their papers in the workspace. On a category: its full name and
counts. On a rule code in a `digest-ls:` comment: the rule's documentation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .. import taxonomy
from ..arxiv import canonical_abs_url, parse_id, pdf_url
from ..config import Config
from ..model import Document, Span
from ..rules.registry import RULES
from .locate import target_at
from .markdown import code, escape_inline, escape_markdown, link, truncate

MAX_AUTHORS = 8
MAX_AUTHOR_PAPERS = 10
MAX_OTHER_DIGESTS = 8


@dataclass(frozen=True, slots=True)
class HoverCard:
    markdown: str
    range: Span


def hover(document: Document, line: int, col: int, index, config: Config, path: str | None = None) -> HoverCard | None:
    target = target_at(document, line, col)
    if target is None:
        return None
    if target.kind == "paper":
        paper = paper_for(document, target.text, index, target.block)
        if paper is None:
            return HoverCard(f"{code(target.text)}: not found in this workspace", target.range)
        return HoverCard(paper_markdown(paper, config, path), target.range)
    if target.kind == "author":
        return HoverCard(_author_markdown(target.text, index), target.range)
    if target.kind == "category":
        return HoverCard(_category_markdown(document, target.text, index), target.range)
    if target.kind == "rule":
        text = rule_markdown(target.text)
        return HoverCard(text, target.range) if text else None
    return None


def paper_for(document: Document, paper_id: str, index, block: int | None = None):
    """The index's merged paper, else one built from this document's entry (no index, unsaved file)."""
    paper = index.paper(paper_id) if index is not None else None
    if paper is not None:
        return paper
    from ..index.records import digest_record
    from ..index.tables import Tables

    tables = Tables()
    tables.put(digest_record("", document))
    paper = tables.paper(paper_id)
    # Its occurrences are this very document: nothing to list as "elsewhere".
    return replace(paper, occurrences=()) if paper is not None else None


def paper_markdown(paper, config: Config, path: str | None = None) -> str:
    parsed = parse_id(paper.id)
    parts = [f"### {escape_inline(paper.title) or code(paper.id)}"]
    facts = [code(paper.id)]
    if paper.category:
        name = taxonomy.full_name(paper.category)
        facts.append(f"{code(paper.category)} {escape_inline(name)}" if name else code(paper.category))
    others = [c for c in paper.categories if c != paper.category]
    if others:
        facts.append("also " + ", ".join(code(c) for c in others))
    parts.append(" · ".join(facts))
    if paper.authors:
        parts.append(_authors_line(paper.authors))
    if parsed is not None:
        parts.append(f"{link('abs', canonical_abs_url(parsed))} · {link('PDF', pdf_url(parsed))}")
    if paper.tldr:
        parts.append(f"**TL;DR:** {escape_markdown(truncate(paper.tldr, max(config.hover_abstract_length, 200)))}")
    if paper.abstract:
        parts.append(f"**Abstract:** {escape_markdown(truncate(paper.abstract, config.hover_abstract_length))}")
    here = _real(path)
    elsewhere = [o for o in paper.occurrences if here is None or _real(o.path) != here]
    if elsewhere:
        shown = [_occurrence_link(o) for o in elsewhere[:MAX_OTHER_DIGESTS]]
        more = f" and {len(elsewhere) - MAX_OTHER_DIGESTS} more" if len(elsewhere) > MAX_OTHER_DIGESTS else ""
        parts.append("Also listed in " + ", ".join(shown) + more)
    return "\n\n".join(parts)


def _authors_line(authors: tuple[str, ...]) -> str:
    shown = ", ".join(escape_inline(name) for name in authors[:MAX_AUTHORS])
    if len(authors) > MAX_AUTHORS:
        shown += f", … (+{len(authors) - MAX_AUTHORS} more, {len(authors)} authors)"
    return shown


def _occurrence_link(occurrence) -> str:
    name = Path(occurrence.path).name
    label = f"{name} [{occurrence.number}]" if occurrence.number is not None else f"{name}:{occurrence.line + 1}"
    return link(label, Path(occurrence.path).as_uri() + f"#L{occurrence.line + 1}")


def _real(path: str | None) -> str | None:
    if not path:
        return None
    import os

    return os.path.realpath(path)


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


__all__ = ["HoverCard", "hover", "paper_markdown", "paper_for", "rule_markdown"]
