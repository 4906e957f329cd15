"""Fuzzy queries over the tables: papers by title or id prefix, authors, workspace symbols.

rapidfuzz scores titles and normalised author names; lists are capped at
`limit` and say whether more matched (`incomplete`), so a client asks again
as the user types. Choice lists are rebuilt only after the tables change.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice

from rapidfuzz import fuzz, utils

from ..model import Span
from .name_index import FUZZY_MIN_LENGTH, NAME_CUTOFF, NameIndex, score_name
from .names import normalize_name
from .papers import AuthorHit, PaperHit, WorkspaceSymbol
from .snapshot import name_row
from .tables import Tables, patch_titles
from .word_index import WordIndex

TITLE_CUTOFF = 50.0  # mean per-word score a title needs
_ID_PREFIX = re.compile(r"(?:[0-9]{1,4}(?:\.[0-9]{0,5})?|[a-z-]+(?:\.[A-Z]{0,2})?/[0-9]{0,7})(?:v[0-9]*)?$")
_FILTER = re.compile(r"(au|cat|id):(\S*)", re.IGNORECASE)


class SearchLists:
    """Search structures over one `Tables`, patched from its change sets before each query.

    Titles: sorted ids with their processed titles (from the snapshot blob, or built), patched for
    the ids in `tables.title_changes`; the word index over them is rebuilt after a change.
    Names: a `NameIndex` (from the snapshot blob, or built); names in `tables.name_changes` are
    scored live beside it, until there are so many that rebuilding is cheaper.
    """

    def __init__(self) -> None:
        self.tables: Tables | None = None
        self.titles_generation = -1
        self.ids: list[str] = []
        self.title_texts: list[str] = []
        self.titles = WordIndex.build([])
        self.names: NameIndex | None = None

    def _adopt(self, tables: Tables) -> None:
        if self.tables is not tables:
            self.__init__()
            self.tables = tables

    def refresh(self, tables: Tables) -> "SearchLists":
        """Bring the title lists up to date (author searches need only `name_index`)."""
        self._adopt(tables)
        if self.titles_generation == -1 and tables.base is not None:
            self.ids = tables.base.json_blob("ids", [])
            self.title_texts = tables.base.json_blob("titles", [""] * len(self.ids))
            if not tables.title_changes:
                self.titles = tables.base.title_words()
                self.titles_generation = tables.titles_generation
        if self.titles_generation != tables.titles_generation:
            if tables.title_changes:
                self._patch_titles(tables)
            self.titles = WordIndex.build(self.title_texts)
            self.titles_generation = tables.titles_generation
        return self

    def _patch_titles(self, tables: Tables) -> None:
        self.ids, self.title_texts = patch_titles(tables, self.ids, self.title_texts, tables.title_changes)
        tables.title_changes.clear()

    def name_index(self, tables: Tables) -> NameIndex:
        """The name index, with `tables.name_changes` still to be scored live beside it."""
        self._adopt(tables)
        if self.names is None:
            self.names = tables.base.name_index() if tables.base is not None else NameIndex.build(())
        changes = tables.name_changes
        if self.names.outgrown_by(len(changes)):
            self.names = self.names.rebuilt(changes, lambda name: name_row(name, tables.spellings.get(name) or {})[1:])
            changes.clear()
        return self.names


def _mentions(tables: Tables, key: str) -> int:
    return sum(tables.spellings.get(key, {}).values())


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
    """Authors by score (whole-name prefix, word prefixes, else typo-tolerant), then by frequency.

    The name index gives the best candidates among the names it holds in a bounded time; the
    names changed since it was built are scored here from the live tables, and both are merged.
    """
    index = lists.name_index(tables)
    changed = tables.name_changes
    key = normalize_name(query)
    if limit <= 0:
        return [], bool(index.names) or any(_mentions(tables, name) for name in changed)
    want = limit + 1
    tokens = key.split()
    # (score, mentions, name, rank) for every candidate: from the index (rank) and the changed names (None).
    live = [(name, _mentions(tables, name)) for name in changed if all(token in name for token in tokens)]
    live = [(name, count) for name, count in live if count > 0]
    more = False
    if not key:
        ranks = index.top(want, changed)
        found = [(0.0, index.counts[rank], index.names[rank], rank) for rank in ranks]
        found += [(0.0, count, name, None) for name, count in live]
    else:
        matches, more = index.prefix_matches(key, want, changed)
        found = [(score, index.counts[rank], index.names[rank], rank) for score, rank in matches]
        found += [(score, count, name, None) for name, count in live if (score := score_name(name, key, tokens))]
        if not found:
            near = [index.near_words(token) for token in tokens]
            matches, more = index.fuzzy_matches(key, near, want, changed, ())
            found = [(score, index.counts[rank], index.names[rank], rank) for score, rank in matches]
            for name, count in ((name, _mentions(tables, name)) for name in changed):
                score = score_name(name, key, tokens, [_near_live(token, name, near_words) for token, near_words in zip(tokens, near)])
                if count > 0 and score:
                    found.append((score, count, name, None))
    found.sort(key=lambda hit: (-hit[0], -hit[1], hit[2]))
    hits = []
    for score, count, name, rank in found[:limit]:
        if rank is not None:  # unchanged since the index was built: its spelling and count hold
            hits.append(AuthorHit(index.spelling(rank), name, round(score, 1), count))
            continue
        author = tables.author(name)
        if author is not None:
            hits.append(AuthorHit(author.name, author.normalized, round(score, 1), author.count))
    return hits, more or len(found) > limit


def _near_live(token: str, name: str, near: dict[str, float]) -> dict[str, float]:
    """`near` plus the words of a name the index does not hold yet, scored directly."""
    extra = {}
    if len(token) >= FUZZY_MIN_LENGTH:
        for word in name.split():
            if word not in near:
                score = fuzz.ratio(token, word, score_cutoff=NAME_CUTOFF)
                if score:
                    extra[word] = score
    return {**near, **extra} if extra else near


def matching_names(tables: Tables, lists: SearchLists, fragment: str) -> list[str]:
    """Normalised names containing `fragment` (the `au:` filter of workspace symbols)."""
    index = lists.name_index(tables)
    changed = tables.name_changes
    found = [name for name in index.names if fragment in name and name not in changed]
    return found + [name for name in changed if fragment in name and _mentions(tables, name) > 0]


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
        for author_key in matching_names(tables, lists, key):
            wanted.update(tables.author_papers.get(author_key, ()))
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
    for item in tables.sources(paper_id).get(path, []):
        return Span(item.line, 0, item.line, 0)
    return Span(0, 0, 0, 0)


__all__ = ["SearchLists", "matching_names", "search_papers", "search_authors", "workspace_symbols"]
