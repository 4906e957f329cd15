"""Fuzzy queries over the tables: papers by title or id prefix, authors, workspace symbols.

rapidfuzz scores titles and normalised author names; lists are capped at
`limit` and say whether more matched (`incomplete`), so a client asks again
as the user types. Choice lists are rebuilt only after the tables change.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import Collection

from rapidfuzz import fuzz, process, utils

from ..model import Span
from .name_index import FUZZY_MIN_LENGTH, NAME_CUTOFF, NameIndex, holds_all, holds_in_order, prefix_end, score_name
from .names import canonical_id, normalize_name
from .papers import AuthorHit, PaperHit, WorkspaceSymbol, date_of
from .records import MetadataRecord
from .snapshot import name_row
from .tables import Tables, normalized, patch_titles
from .word_index import WordIndex

TITLE_CUTOFF = 50.0  # mean per-word score a title needs
_ID_PREFIX = re.compile(r"(?:[0-9]{1,4}(?:\.[0-9]{0,5})?|[a-z-]+(?:\.[A-Z]{0,2})?/[0-9]{0,7})(?:v[0-9]*)?$")


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
        self._digest_names: tuple[object, frozenset[str]] = (None, frozenset())

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

    def digest_names(self, tables: Tables, path: str | None) -> frozenset[str]:
        """The normalised author names of one digest (kept while its record stays the same)."""
        record = tables.records.get(path) if path else None
        if record is None:
            return frozenset()
        if self._digest_names[0] is not record:
            names = frozenset(normalized(mention.name) for entry in record.entries for mention in entry.authors)
            self._digest_names = (record, names)
        return self._digest_names[1]

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


def search_authors(
    tables: Tables, lists: SearchLists, query: str, limit: int, context: NameContext | None = None
) -> tuple[list[AuthorHit], bool]:
    """Authors by how well they match, where the name is being typed, then how often and how recently seen.

    Match: whole-name prefix, every typed word the prefix of a word (initials count: `d tao`), else
    typo-tolerant. The name index gives the best candidates among the names it holds in a bounded
    time; the names changed since it was built (and those the context discounts) are scored here
    from the live tables, and so are the authors of the paper being written. Candidates are then
    ranked (`_rank_key`): the paper's own authors first, typed words in the name's order, names of
    the same digest, of the same category, frequency (in powers of two), the last day seen.
    """
    context = context or NameContext()
    index = lists.name_index(tables)
    discount = Counter(context.exclude)
    changed = tables.name_changes | discount.keys() if discount else tables.name_changes

    def mentions(name: str) -> int:
        return _mentions(tables, name) - discount.get(name, 0)

    if limit <= 0:
        return [], bool(index.names) or any(mentions(name) > 0 for name in changed)
    keys = _query_keys(query)
    want = max(limit + 1, CANDIDATES)
    scores: dict[str, float] = {}
    ranks: dict[str, int] = {}  # names the index holds unchanged: their spelling and count are the index's

    def offer(name: str, score: float, rank: int | None = None) -> None:
        if name not in scores or score > scores[name]:
            scores[name] = score
        if rank is not None:
            ranks[name] = rank

    # The changed names are scored here, a cheap test first: after a day of editing they are thousands.
    # Those no longer mentioned anywhere drop out when the candidates are counted.
    paper_names = _paper_names(tables, context)
    more = False
    if not keys:
        for rank in index.top(want, changed):
            offer(index.names[rank], 0.0, rank)
        for name in (*changed, *paper_names):
            offer(name, 0.0)
    for key in keys:
        tokens = key.split()
        matches, some_more = index.prefix_matches(key, want, changed)
        more = more or some_more
        for score, rank in matches:
            offer(index.names[rank], score, rank)
        for name in (*changed, *paper_names):
            if all(token in name for token in tokens):
                score = score_name(name, key, tokens)
                if score:
                    offer(name, score)
    if keys and len(scores) < limit:
        key = keys[-1]
        tokens = key.split()
        near = [index.near_words(token) for token in tokens]
        matches, some_more = index.fuzzy_matches(key, near, want, changed, ())
        more = more or some_more
        for score, rank in matches:
            offer(index.names[rank], score, rank)
        for name in (*_near_names(list(changed), key, tokens, near), *paper_names):
            score = score_name(name, key, tokens, [_near_live(token, name, words) for token, words in zip(tokens, near)])
            if score:
                offer(name, score)
    counts = {name: index.counts[ranks[name]] if name in ranks else mentions(name) for name in scores}
    candidates = [name for name, count in counts.items() if count > 0]
    tokens = keys[-1].split() if keys else []
    digest_names = lists.digest_names(tables, context.path)
    candidates.sort(key=lambda name: _match_key(name, scores[name], counts[name], tokens, paper_names, digest_names))
    # Category and recency read each name's row from the tables (over a snapshot, a read from the
    # cache): only the best few by match and frequency are reordered by them.
    head = candidates[:CONTEXT_POOL]
    head.sort(key=lambda name: (*_match_key(name, scores[name], counts[name], tokens, paper_names, digest_names)[:4],
                                *_seen_key(tables, name, counts[name], context.category)))
    candidates[:CONTEXT_POOL] = head
    hits = []
    for name in candidates[:limit]:
        rank = ranks.get(name)
        if rank is not None:
            hits.append(AuthorHit(index.spelling(rank), name, round(scores[name], 1), counts[name]))
            continue
        author = tables.author(name)
        if author is not None:
            hits.append(AuthorHit(author.name, author.normalized, round(scores[name], 1), counts[name]))
    return hits, more or len(candidates) > limit


@dataclass(frozen=True, slots=True)
class NameContext:
    """Where an author name is being typed: the mentions to leave out and what to rank first."""

    exclude: tuple[str, ...] = ()  # normalised names of mentions not to count (the text at the cursor)
    paper_id: str | None = None  # the paper whose author line it is
    path: str | None = None  # the digest being edited
    category: str | None = None  # the entry's category


CANDIDATES = 100  # candidates ranked by context before the list is cut
CONTEXT_POOL = 16  # of those, the best reordered by category and recency (each reads a row of the tables)
PAPER_BONUS = 50.0  # an author of the paper being written outranks every other match


def _query_keys(query: str) -> list[str]:
    """The normalised query, and the same without the dots of initials (`d. tao` -> `d tao`)."""
    key = normalize_name(query)
    if not key:
        return []
    bare = " ".join(filter(None, (token.rstrip(".") for token in key.split())))
    return [key, bare] if bare and bare != key else [key]


def _paper_names(tables: Tables, context: NameContext) -> set[str]:
    """The normalised authors of the paper being written, as the workspace's other listings give them."""
    if context.paper_id is None:
        return set()
    found = set()
    for path, items in tables.sources(context.paper_id).items():
        if path == context.path:
            continue  # this very author line, as typed so far
        for item in items:
            names = item.authors if isinstance(item, MetadataRecord) else (mention.name for mention in item.authors)
            found.update(normalized(name) for name in names)
    found.discard("")
    return found


def _match_key(name: str, score: float, count: int, tokens: list[str], paper_names, digest_names) -> tuple:
    """How well a name fits what was typed and where: everything in memory, then frequency."""
    return (
        -(score + (PAPER_BONUS if name in paper_names else 0.0)),
        not holds_in_order(name, tokens),
        -_whole_words(name, tokens),
        name not in digest_names,
        -count,
        name,
    )


def _seen_key(tables: Tables, name: str, count: int, category: str | None) -> tuple:
    """Same category first, then frequency in powers of two, the last day seen, mentions."""
    return (not _listed_in(tables, name, category), -count.bit_length(), _newest_day_first(tables, name), -count, name)


def _whole_words(name: str, tokens: list[str]) -> int:
    """How many typed words are whole words of the name (`y hu` is Yifan Hu rather than Yonghao Huang)."""
    words = name.split()
    return sum(1 for token in tokens if token in words)


def _listed_in(tables: Tables, name: str, category: str | None) -> bool:
    if not category:
        return False
    listed = tables.listed_papers.get(category) or {}
    return any(paper_id in listed for paper_id in tables.author_papers.get(name) or ())


def _newest_day_first(tables: Tables, name: str) -> tuple:
    days = [day for day in map(date_of, tables.author_paths.get(name) or ()) if day]
    return tuple(-ord(char) for char in max(days)) if days else ()


def _near_names(names: list[str], key: str, tokens: list[str], near: list[dict[str, float]]) -> set[str]:
    """The names worth a typo-tolerant score: close as a whole, or holding a word close to a typed one.

    The index's near words cover only the names it holds; the words of these names (changed
    since) are matched here, in one rapidfuzz pass per typed word.
    """
    found = {name for name, _, _ in process.extract(key, names, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None)}
    holders: dict[str, list[str]] = {}
    for name in names:
        for word in name.split():
            holders.setdefault(word, []).append(name)
    wanted = {word for words in near for word in words}
    for token in tokens:
        if len(token) >= FUZZY_MIN_LENGTH:
            wanted.update(word for word, _, _ in process.extract(
                token, list(holders), scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
            ))
    for word in wanted:
        found.update(holders.get(word, ()))
    return found


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


def matching_names(tables: Tables, lists: SearchLists, key: str) -> set[str]:
    """Normalised names with every word of `key` the prefix of one of their words (the `au:` filter)."""
    index = lists.name_index(tables)
    changed = tables.name_changes
    tokens = key.split()
    found = {index.names[rank] for rank in index.ranks_holding(tokens)} - changed
    return found | {name for name in changed if holds_all(name, tokens) and _mentions(tables, name) > 0}


@dataclass(frozen=True, slots=True)
class SymbolQuery:
    """A workspace-symbol query read into its parts: `au:NAME` (spaces allowed), `cat:CAT`, ids, title words."""

    authors: tuple[frozenset[str], ...]  # per `au:` filter, the normalised names it accepts
    categories: tuple[str, ...]
    id_prefixes: tuple[str, ...]
    text: str  # the title words


_FILTER_WORD = re.compile(r"(au|cat|id):(.*)", re.IGNORECASE | re.DOTALL)
_BARE_ID = re.compile(r"(?:arxiv:)?([0-9]{4}\.[0-9]{0,5})(?:v[0-9]*)?", re.IGNORECASE)


def read_symbol_query(tables: Tables, lists: SearchLists, query: str) -> SymbolQuery:
    """Split a query; `au:` takes the longest run of following words that still names someone.

    `au:Dacheng Tao diffusion` is the author Dacheng Tao and the title word "diffusion";
    `au:"Dacheng Tao"` and `au:Dacheng_Tao` say it explicitly.
    """
    words = _query_words(query)
    authors, categories, ids, text = [], [], [], []
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        match = _FILTER_WORD.fullmatch(word)
        if match is None:
            paper_id = _id_in(word)
            (text if paper_id is None else ids).append(paper_id or word)
            continue
        kind, value = match.group(1).lower(), match.group(2)
        if kind == "cat":
            categories.append(value)
        elif kind == "id":
            ids.append(canonical_id(value) or re.sub(r"v[0-9]*$", "", value))
        else:
            following = []
            while position + len(following) < len(words) and not _FILTER_WORD.fullmatch(words[position + len(following)]):
                following.append(words[position + len(following)])
            for taken in range(len(following), -1, -1):
                key = normalize_name(" ".join([value, *following[:taken]]).replace("_", " "))
                names = matching_names(tables, lists, key) if key else set()
                if names or taken == 0:
                    authors.append(frozenset(names))
                    position += taken
                    break
    return SymbolQuery(tuple(authors), tuple(categories), tuple(ids), " ".join(text))


def _id_in(word: str) -> str | None:
    """The id (or id prefix: `2505.014`) a bare query word stands for: `2505.01456v2`, `arXiv:...`, a URL."""
    bare = _BARE_ID.fullmatch(word)
    if bare is not None:
        return bare.group(1)
    return canonical_id(word) if "arxiv" in word.lower() else None


def _query_words(query: str) -> list[str]:
    """Words, with `"..."` (also right after `au:`) kept as one."""
    words = []
    for match in re.finditer(r'(\w+:)?"([^"]*)"?|\S+', query):
        words.append((match.group(1) or "") + match.group(2) if match.group(2) is not None else match.group(0))
    return words


def workspace_symbols(
    tables: Tables, lists: SearchLists, query: str, limit: int, first_paths: Collection[str] = ()
) -> tuple[list[WorkspaceSymbol], int]:
    """One symbol per digest entry (or per JSONL line for papers no digest lists), filtered and ranked.

    Papers listed in `first_paths` (the open documents) come first, and their entries there before
    the others. Returns the symbols and how many more papers matched than the list holds.
    """
    lists.refresh(tables)
    parsed = read_symbol_query(tables, lists, query)
    candidates = range(len(lists.ids))
    for names in parsed.authors:
        wanted = set()
        for author_key in names:
            wanted.update(tables.author_papers.get(author_key, ()))
        candidates = [i for i in candidates if lists.ids[i] in wanted]
    for category in parsed.categories:
        folded = category.casefold()
        # Main and cross-listed categories; a prefix selects an archive (`cat:cs`, `cat:astro-ph`).
        wanted = set()
        for code, papers in tables.listed_papers.items():
            if code.casefold().startswith(folded):
                wanted.update(papers)
        candidates = [i for i in candidates if lists.ids[i] in wanted]
    for prefix in parsed.id_prefixes:
        low = bisect_left(lists.ids, prefix)
        high = bisect_left(lists.ids, prefix_end(prefix), lo=low) if prefix else len(lists.ids)
        candidates = [i for i in candidates if low <= i < high]
    candidates = list(candidates)
    first = {paper_id for path in first_paths for paper_id in _listed_ids(tables, path)}
    if parsed.text:
        scores = lists.titles.score(utils.default_process(parsed.text))
        kept = [i for i in candidates if scores.get(i, 0.0) >= TITLE_CUTOFF]
        ranked = sorted(kept, key=lambda i: (lists.ids[i] not in first, -scores[i], _newest_first(lists.ids[i])))
    else:
        ranked = sorted(candidates, key=lambda i: (lists.ids[i] not in first, _newest_first(lists.ids[i])))
    symbols: list[WorkspaceSymbol] = []
    shown = 0
    for position in ranked:
        paper = tables.paper(lists.ids[position])
        first_author = paper.authors[0] if paper.authors else "unknown authors"
        detail = f"{paper.id} · {first_author}"
        if paper.occurrences:
            found = [
                WorkspaceSymbol(paper.title or paper.id, detail, occurrence.path, occurrence.range, paper.category, paper.id)
                for occurrence in sorted(paper.occurrences, key=lambda occurrence: occurrence.path not in first_paths)
            ]
        elif paper.metadata_path is not None:
            line = _metadata_line(tables, paper.id, paper.metadata_path)
            found = [WorkspaceSymbol(paper.title or paper.id, detail, paper.metadata_path, line, paper.category, paper.id)]
        else:
            found = []
        if symbols and len(symbols) + len(found) > limit:
            break
        symbols.extend(found[:limit])
        shown += 1
    return symbols, len(ranked) - shown


def _listed_ids(tables: Tables, path: str) -> set[str]:
    record = tables.records.get(path)
    return {entry.paper_id for entry in record.entries if entry.paper_id} if record is not None else set()


def _metadata_line(tables: Tables, paper_id: str, path: str) -> Span:
    for item in tables.sources(paper_id).get(path, []):
        return Span(item.line, 0, item.line, 0)
    return Span(0, 0, 0, 0)


__all__ = ["NameContext", "SearchLists", "SymbolQuery", "matching_names", "read_symbol_query", "search_papers", "search_authors", "workspace_symbols"]
