"""Fuzzy queries over the tables: papers by title or id prefix, authors, workspace symbols.

rapidfuzz scores titles and normalised author names; lists are capped at
`limit` and say whether more matched (`incomplete`), so a client asks again
as the user types. Choice lists are rebuilt only after the tables change.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice

from rapidfuzz import fuzz, process, utils

from ..model import Span
from .names import normalize_name
from .papers import AuthorHit, PaperHit, WorkspaceSymbol
from .tables import Tables

TITLE_CUTOFF = 50.0  # mean per-word score a title needs
WORD_CUTOFF = 75.0  # a typo'd word still matching a title word
NAME_CUTOFF = 75.0
_ID_PREFIX = re.compile(r"(?:[0-9]{1,4}(?:\.[0-9]{0,5})?|[a-z-]+(?:\.[A-Z]{0,2})?/[0-9]{0,7})(?:v[0-9]*)?$")
_FILTER = re.compile(r"(au|cat|id):(\S*)", re.IGNORECASE)


class WordIndex:
    """Words -> the items holding them, for prefix and typo-tolerant word lookups."""

    def __init__(self, texts: list[str]):
        postings: dict[str, set[int]] = {}
        for position, text in enumerate(texts):
            for word in text.split():
                postings.setdefault(word, set()).add(position)
        self.postings = postings
        self.words = sorted(postings)

    def matches(self, token: str) -> dict[str, float]:
        """Words starting with `token` (100) and, for tokens of 4+ characters, near spellings."""
        found: dict[str, float] = {}
        start = bisect_left(self.words, token)
        for word in islice(self.words, start, None):
            if not word.startswith(token):
                break
            found[word] = 100.0
        if len(token) >= 4:
            for word, score, _ in process.extract(
                token, self.words, scorer=fuzz.ratio, processor=None, limit=50, score_cutoff=WORD_CUTOFF
            ):
                found.setdefault(word, score)
        return found

    def score(self, query: str) -> dict[int, float]:
        """Item -> mean over the query's words of the best match among the item's words."""
        tokens = query.split()
        if not tokens:
            return {}
        totals: dict[int, float] = {}
        for token in tokens:
            best: dict[int, float] = {}
            for word, score in self.matches(token).items():
                for position in self.postings[word]:
                    if best.get(position, 0.0) < score:
                        best[position] = score
            for position, score in best.items():
                totals[position] = totals.get(position, 0.0) + score
        return {position: total / len(tokens) for position, total in totals.items()}


class SearchLists:
    """Search structures tied to a generation of the tables, rebuilt lazily after a change."""

    def __init__(self) -> None:
        self.titles_generation = -1
        self.names_generation = -1
        self.ids: list[str] = []
        self.titles = WordIndex([])
        self.names: list[str] = []  # normalised author names
        self.name_words = WordIndex([])
        self.tables: Tables | None = None

    def refresh(self, tables: Tables) -> "SearchLists":
        self.tables = tables
        if self.titles_generation != tables.titles_generation:
            self.ids = sorted(tables.by_id)
            self.titles = WordIndex([utils.default_process(tables.title(paper_id)) for paper_id in self.ids])
            self.titles_generation = tables.titles_generation
        if self.names_generation != tables.names_generation:
            self.names = sorted(tables.spellings)
            self.name_words = WordIndex(self.names)
            self.names_generation = tables.names_generation
        return self

    def name_count(self, position: int) -> int:
        """Mentions of a name, read live: counts change without the name list changing."""
        return sum(self.tables.spellings.get(self.names[position], {}).values())


def search_papers(tables: Tables, lists: SearchLists, query: str, limit: int) -> tuple[list[PaperHit], bool]:
    """Id-prefix matches first, then titles by how well each query word matches a title word."""
    lists.refresh(tables)
    query = query.strip()
    if limit <= 0:
        return [], bool(lists.ids)
    scored: dict[str, float] = {}
    if not query:
        scored = {paper_id: 0.0 for paper_id in lists.ids[::-1][: limit + 1]}
    else:
        bare = query.removeprefix("arXiv:").removeprefix("arxiv:").strip()
        if _ID_PREFIX.match(bare):
            prefix = re.sub(r"v[0-9]*$", "", bare)
            for paper_id in islice(lists.ids, bisect_left(lists.ids, prefix), None):
                if not paper_id.startswith(prefix):
                    break
                scored[paper_id] = 100.0 + len(prefix) / 100
        for position, score in lists.titles.score(utils.default_process(query)).items():
            if score >= TITLE_CUTOFF:
                paper_id = lists.ids[position]
                scored[paper_id] = max(scored.get(paper_id, 0.0), score)
    ranked = sorted(scored.items(), key=lambda pair: (-pair[1], _newest_first(pair[0])))
    hits = [PaperHit(tables.paper(paper_id), round(score, 1)) for paper_id, score in ranked[:limit]]
    return hits, len(ranked) > limit


def _newest_first(paper_id: str) -> tuple:
    return tuple(-ord(char) for char in paper_id)


def search_authors(tables: Tables, lists: SearchLists, query: str, limit: int) -> tuple[list[AuthorHit], bool]:
    """Authors by score (whole-name prefix, word prefixes, then typo-tolerant), then by frequency."""
    lists.refresh(tables)
    key = normalize_name(query)
    if limit <= 0:
        return [], bool(lists.names)
    scored: dict[int, float] = {}
    if not key:
        scored = {position: 0.0 for position in range(len(lists.names))}
    else:
        for position in range(bisect_left(lists.names, key), len(lists.names)):
            if not lists.names[position].startswith(key):
                break
            scored[position] = 100.0
        # Every typed word a prefix of some word of the name, in any order ("chen qif").
        tokens = key.split()
        common: set[int] | None = None
        for token in tokens:
            holders: set[int] = set()
            start = bisect_left(lists.name_words.words, token)
            for word in islice(lists.name_words.words, start, None):
                if not word.startswith(token):
                    break
                holders |= lists.name_words.postings[word]
            common = holders if common is None else common & holders
        for position in common or ():
            scored.setdefault(position, 95.0)
        # Typos: each typed word against the names' words ("adeyemy" finds "adeyemi").
        for position, score in lists.name_words.score(key).items():
            if score >= NAME_CUTOFF:
                scored.setdefault(position, 0.9 * score)
        # Reordered or run-together names ("garcia jose", "josegarcia").
        for _, score, position in process.extract(
            key, lists.names, scorer=fuzz.token_sort_ratio, processor=None, limit=None, score_cutoff=NAME_CUTOFF
        ):
            scored.setdefault(position, 0.9 * score)
    if not key:
        # Without a query, the most frequent authors; counting every name is the price of an empty query.
        ranked = sorted(scored.items(), key=lambda pair: (-lists.name_count(pair[0]), lists.names[pair[0]]))
    else:
        ranked = sorted(scored.items(), key=lambda pair: (-pair[1], -lists.name_count(pair[0]), lists.names[pair[0]]))
    hits = []
    for position, score in ranked[:limit]:
        author = tables.author(lists.names[position])
        hits.append(AuthorHit(author.name, author.normalized, round(score, 1), author.count))
    return hits, len(ranked) > limit


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
        for author_key, papers in tables.author_papers.items():
            if key in author_key:
                wanted.update(papers)
        candidates = [i for i in candidates if lists.ids[i] in wanted]
    for category in filters["cat"]:
        folded = category.casefold()
        # Main and cross-listed categories; a prefix selects an archive (`cat:cs`, `cat:astro-ph`).
        wanted = set()
        for code, papers in tables.listed_papers.items():
            if code.casefold().startswith(folded):
                wanted.update(papers)
        candidates = [i for i in candidates if lists.ids[i] in wanted]
    for prefix in filters["id"]:
        candidates = [i for i in candidates if lists.ids[i].startswith(prefix)]
    candidates = list(candidates)
    if text:
        scores = lists.titles.score(utils.default_process(text))
        kept = [i for i in candidates if scores.get(i, 0.0) >= TITLE_CUTOFF]
        ranked = sorted(kept, key=lambda i: (-scores[i], _newest_first(lists.ids[i])))
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


def _metadata_line(tables: Tables, paper_id: str, path: str) -> Span:
    for item in tables.by_id.get(paper_id, {}).get(path, []):
        return Span(item.line, 0, item.line, 0)
    return Span(0, 0, 0, 0)


__all__ = ["SearchLists", "WordIndex", "search_papers", "search_authors", "workspace_symbols"]
