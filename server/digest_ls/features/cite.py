"""Citations of digest entries: BibTeX and CSL-JSON, built from the entry as the digest has it.

An entry gives the arXiv id (with the version its link names), the title,
the authors, the primary category (`Main category:`, else the section) and
the year and month (from the id's YYMM). The arXiv id without its version
is the citation key, as arXiv's own export has it. Entries without an
arXiv id are left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable

from ..arxiv import ArxivId, canonical_abs_url
from ..model import Document, EntryBlock, Span

FORMATS = ("bibtex", "csl-json")
CITATION_COMMAND = "digest-ls.citation"  # the workspace/executeCommand that answers a citation's text


@dataclass(frozen=True, slots=True)
class Reference:
    """What a citation says about one paper."""

    key: str  # the arXiv id without version
    arxiv_id: ArxivId
    title: str
    authors: tuple[str, ...]
    category: str | None
    year: int
    month: int

    @property
    def url(self) -> str:
        return canonical_abs_url(self.arxiv_id) + (f"v{self.arxiv_id.version}" if self.arxiv_id.version else "")


def entries_in(document: Document, span: Span) -> list[int]:
    """The entries (block indices) a range touches: the one holding it, or every one a selection covers."""
    found = []
    for index, start, _ in document.entry_blocks():
        end = document.block_end(index) - 1
        if start <= span.end_line and span.start_line <= end:
            found.append(index)
    return found


def entries_for(document: Document, paper_ids: Iterable[str]) -> list[int]:
    """The first entry of each paper, in the order asked."""
    first: dict[str, int] = {}
    for index, _, entry in document.entry_blocks():
        if entry.arxiv_id is not None:
            first.setdefault(entry.heading.link.id.canonical, index)
    return [first[paper_id] for paper_id in paper_ids if paper_id in first]


def reference(document: Document, block_index: int) -> Reference | None:
    entry = document.blocks[block_index]
    if not isinstance(entry, EntryBlock) or entry.heading.link is None or entry.heading.link.id is None:
        return None
    arxiv_id = entry.heading.link.id
    year, month = _year_month(arxiv_id.yymm)
    section = document.section_of(block_index)
    category = (entry.category.value.strip() if entry.category is not None else "") or (section.category if section else None)
    title = " ".join(entry.heading.title.text.split()) if entry.heading.title is not None else ""
    authors = tuple(name.text for name in entry.authors.names if name.text) if entry.authors is not None else ()
    return Reference(arxiv_id.canonical, arxiv_id, title, authors, category, year, month)


def references_at(document: Document, block_indices: Iterable[int]) -> list[Reference]:
    found = (reference(document, index) for index in block_indices)
    return [item for item in found if item is not None]


def citation_text(items: list[Reference], format: str) -> str:
    """The references as BibTeX entries (one blank line apart) or one CSL-JSON array."""
    if format == "csl-json":
        return json.dumps([csl_item(item) for item in items], ensure_ascii=False, indent=2)
    if format == "bibtex":
        return "\n\n".join(bibtex_entry(item) for item in items)
    raise ValueError(f"unknown citation format {format!r}: expected one of {', '.join(FORMATS)}")


def _year_month(yymm: str) -> tuple[int, int]:
    year = int(yymm[:2])
    # Old-style ids run from 1991 to March 2007, new-style ones from April 2007 on.
    return (1900 + year if year >= 91 else 2000 + year), int(yymm[2:])


# --- BibTeX -------------------------------------------------------------------------------------------

# What LaTeX would read as markup in a title or a name; braces are escaped too, so every value
# stays balanced whatever the digest says.
_LATEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_LATEX_REPLACEMENT = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_REPLACEMENT.get(m.group(1), "\\" + m.group(1)), " ".join(text.split()))


def bibtex_entry(item: Reference) -> str:
    fields = [("title", _latex(item.title))]
    if item.authors:
        fields.append(("author", " and ".join(_latex(name) for name in item.authors)))
    fields += [
        ("year", str(item.year)),
        ("eprint", str(item.arxiv_id)),
        ("archivePrefix", "arXiv"),
    ]
    if item.category:
        fields.append(("primaryClass", _latex(item.category)))
    fields.append(("url", item.url))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{item.key},\n{body}\n}}"


# --- CSL-JSON -----------------------------------------------------------------------------------------

_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "von", "dos", "das", "ten", "ter", "zu"}


def csl_name(name: str) -> dict:
    """Given and family parts; particles (`de`, `van der`) stay with the family name; one word is a literal."""
    words = name.split()
    if len(words) < 2:
        return {"literal": name}
    split = len(words) - 1
    while split > 1 and words[split - 1].casefold() in _PARTICLES:
        split -= 1
    return {"given": " ".join(words[:split]), "family": " ".join(words[split:])}


def csl_item(item: Reference) -> dict:
    value = {
        "id": item.key,
        "type": "article",
        "title": " ".join(item.title.split()),
        "author": [csl_name(name) for name in item.authors],
        "issued": {"date-parts": [[item.year, item.month]]},
        "publisher": "arXiv",
        "number": str(item.arxiv_id),
        "URL": item.url,
    }
    if item.category:
        value["note"] = f"arXiv:{item.arxiv_id} [{item.category}]"
    return value


__all__ = [
    "CITATION_COMMAND",
    "FORMATS",
    "Reference",
    "bibtex_entry",
    "citation_text",
    "csl_item",
    "csl_name",
    "entries_for",
    "entries_in",
    "reference",
    "references_at",
]
