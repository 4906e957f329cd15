"""Fuzzy queries over the tables: papers by title or id prefix, authors, workspace symbols.

rapidfuzz scores titles and normalised author names; lists are capped at
`limit` and say whether more matched (`incomplete`), so a client asks again
as the user types. Choice lists are rebuilt only after the tables change.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils

from .names import normalize_name
from .papers import AuthorHit, PaperHit, WorkspaceSymbol
from .tables import Tables, normalized

TITLE_CUTOFF = 55.0
AUTHOR_CUTOFF = 60.0
_ID_PREFIX = re.compile(r"(?:[0-9]{1,4}(?:\.[0-9]{0,5})?|[a-z-]+(?:\.[A-Z]{0,2})?/[0-9]{0,7})(?:v[0-9]*)?$")
_FILTER = re.compile(r"(au|cat|id):(\S*)", re.IGNORECASE)


class SearchLists:
    """Choice lists for rapidfuzz, tied to a generation of the tables."""

    def __init__(self) -> None:
        self.generation = -1
        self.ids: list[str] = []
        self.titles: list[str] = []  # processed (lower case, punctuation folded)
        self.names: list[str] = []  # normalised author names
        self.name_counts: list[int] = []

    def refresh(self, tables: Tables) -> "SearchLists":
        if self.generation != tables.generation:
            self.ids = sorted(tables.by_id)
            self.titles = [utils.default_process(tables.title(paper_id)) for paper_id in self.ids]
            self.names = sorted(tables.spellings)
            self.name_counts = [sum(tables.spellings[name].values()) for name in self.names]
            self.generation = tables.generation
        return self


def search_papers(tables: Tables, lists: SearchLists, query: str, limit: int) -> tuple[list[PaperHit], bool]:
    """Id-prefix matches first, then titles by fuzzy score; capped at `limit`."""
    lists.refresh(tables)
    query = query.strip()
    if limit <= 0:
        return [], bool(lists.ids)
    scored: dict[str, float] = {}
    if not query:
        newest = lists.ids[::-1][: limit + 1]
        scored = {paper_id: 0.0 for paper_id in newest}
    else:
        bare = query.removeprefix("arXiv:").removeprefix("arxiv:").strip()
        if _ID_PREFIX.match(bare):
            prefix = re.sub(r"v[0-9]*$", "", bare)
            for paper_id in lists.ids:
                if paper_id.startswith(prefix):
                    scored[paper_id] = 100.0 + len(prefix) / 100
                    if len(scored) > limit:
                        break
        processed = utils.default_process(query)
        if processed and len(scored) <= limit:
            for _, score, position in process.extract(
                processed, lists.titles, scorer=fuzz.WRatio, processor=None, limit=limit + 1, score_cutoff=TITLE_CUTOFF
            ):
                paper_id = lists.ids[position]
                scored[paper_id] = max(scored.get(paper_id, 0.0), score)
    ranked = sorted(scored.items(), key=lambda pair: (-pair[1], pair[0]))
    hits = [PaperHit(tables.paper(paper_id), score) for paper_id, score in ranked[:limit]]
    return hits, len(ranked) > limit


def search_authors(tables: Tables, lists: SearchLists, query: str, limit: int) -> tuple[list[AuthorHit], bool]:
    """Authors by fuzzy score on normalised names (a token prefix counts as a strong match), then frequency."""
    lists.refresh(tables)
    key = normalize_name(query)
    if limit <= 0:
        return [], bool(lists.names)
    if not key:
        order = sorted(range(len(lists.names)), key=lambda i: (-lists.name_counts[i], lists.names[i]))
        chosen = [(i, 0.0) for i in order[: limit + 1]]
    else:
        found = process.extract(
            key, lists.names, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=AUTHOR_CUTOFF
        )
        chosen = []
        for _, score, position in found:
            name = lists.names[position]
            if any(token.startswith(key) for token in name.split(" ")) or name.startswith(key):
                score = max(score, 95.0) + 4.0 * (name.startswith(key))
            chosen.append((position, float(score)))
        chosen.sort(key=lambda pair: (-pair[1], -lists.name_counts[pair[0]], lists.names[pair[0]]))
    hits = []
    for position, score in chosen[:limit]:
        name = lists.names[position]
        author = tables.author(name)
        hits.append(AuthorHit(author.name, name, score, author.count))
    return hits, len(chosen) > limit


def workspace_symbols(tables: Tables, lists: SearchLists, query: str, limit: int) -> tuple[list[WorkspaceSymbol], bool]:
    """One symbol per digest entry (or per JSONL line for papers no digest lists), filtered and ranked."""
    lists.refresh(tables)
    filters = {"au": [], "cat": [], "id": []}
    for match in _FILTER.finditer(query):
        filters[match.group(1).lower()].append(match.group(2))
    text = _FILTER.sub(" ", query).strip()
    candidates = range(len(lists.ids))
    for name in filters["au"]:
        key = normalize_name(name.replace("_", " "))
        wanted = set()
        for author_key, counter in tables.author_papers.items():
            if key in author_key:
                wanted.update(counter)
        candidates = [i for i in candidates if lists.ids[i] in wanted]
    for category in filters["cat"]:
        folded = category.casefold()
        candidates = [i for i in candidates if _category_matches(tables, lists.ids[i], folded)]
    for prefix in filters["id"]:
        candidates = [i for i in candidates if lists.ids[i].startswith(prefix)]
    candidates = list(candidates)
    if text:
        processed = utils.default_process(text)
        choices = {i: lists.titles[i] for i in candidates}
        ranked = [
            position
            for _, _, position in process.extract(
                processed, choices, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=TITLE_CUTOFF
            )
        ]
    else:
        ranked = sorted(candidates, key=lambda i: lists.ids[i], reverse=True)
    symbols: list[WorkspaceSymbol] = []
    for position in ranked:
        paper = tables.paper(lists.ids[position])
        first_author = paper.authors[0] if paper.authors else "unknown authors"
        detail = f"{paper.id} · {first_author}"
        if paper.occurrences:
            for occurrence in paper.occurrences:
                symbols.append(
                    WorkspaceSymbol(paper.title or paper.id, detail, occurrence.path, occurrence.range, paper.category, paper.id)
                )
        elif paper.metadata_path is not None:
            line = _metadata_line(tables, paper.id, paper.metadata_path)
            symbols.append(
                WorkspaceSymbol(paper.title or paper.id, detail, paper.metadata_path, line, paper.category, paper.id)
            )
        if len(symbols) > limit:
            break
    return symbols[:limit], len(symbols) > limit


def _category_matches(tables: Tables, paper_id: str, folded: str) -> bool:
    paper = tables.paper(paper_id)
    codes = {code.casefold() for code in (*paper.categories, paper.category or "")}
    return folded in codes or any(code.startswith(folded) for code in codes)


def _metadata_line(tables: Tables, paper_id: str, path: str):
    from ..model import Span

    for item in tables.by_id.get(paper_id, {}).get(path, []):
        return Span(item.line, 0, item.line, 0)
    return Span(0, 0, 0, 0)


__all__ = ["SearchLists", "search_papers", "search_authors", "workspace_symbols", "normalized"]
