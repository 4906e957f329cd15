"""Author-name search that stays fast at a million names: prefix lookups ranked by frequency.

Names are numbered by mentions (rank 0 is the most mentioned), so a set of
ranks in ascending order is also "most frequent first", and the best of any
candidate set is its smallest ranks. Lookups are bisections:

- whole-name prefix (score 100): `alpha` holds the ranks in alphabetical order
  of their names, so the names starting with the query are one slice of it;
- every typed word the prefix of some word of the name, in any order (95):
  `words` (sorted distinct name words), each with an ascending posting list of
  ranks, stored back to back in `postings` (`offsets[i]:offsets[i + 1]`);
- a typo-tolerant pass, run by the caller only when those find too little:
  rapidfuzz scores each typed word against the words sharing its first letter
  (or its second and third: a slip on the first key), and names holding matched words
  score 0.9 × the mean over typed words of their best word score.

A candidate set larger than `GATHER_LIMIT` is never materialised: names are
then tested in rank order, which finds the best few quickly precisely because
so many match. So a query costs microseconds to a few milliseconds whatever
the number of names.

The index is immutable, built from (normalised name, mentions) pairs, and
serialises to flat blobs (the SQLite snapshot stores them). Names whose
mentions changed after the build are passed in `skip` and scored by the
caller from the live tables with `score_name`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import accumulate
from typing import Callable, Collection, Iterable

from rapidfuzz import fuzz, process

from .word_index import postings

NAME_CUTOFF = 75.0  # mean word score a typo-tolerant match needs
FUZZY_FACTOR = 0.9  # typo-tolerant matches rank below every prefix match
GATHER_LIMIT = 20_000  # ranks materialised for one lookup before testing in rank order instead
WALK_LIMIT = 50_000  # names tested in rank order before giving up (the list is then incomplete)
FUZZY_WORDS = 24  # near spellings kept per typed word
FUZZY_MIN_LENGTH = 4  # shorter typed words match by prefix only
FUZZY_CANDIDATES = 1_500  # names scored in the typo-tolerant pass
REBUILD_AT = 1_024  # changed names scored beside the index before it is rebuilt (or 2% of it)


def prefix_end(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (for bisect)."""
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + "\U0010ffff"


def holds_all(name: str, tokens: list[str]) -> bool:
    """Every token is the prefix of some word of `name`."""
    words = name.split()
    return all(any(word.startswith(token) for word in words) for token in tokens)


def holds_in_order(name: str, tokens: list[str]) -> bool:
    """The tokens are prefixes of words of `name` in the name's order (`d tao` in `dacheng tao`)."""
    words = iter(name.split())
    return all(any(word.startswith(token) for word in words) for token in tokens)


def score_name(name: str, key: str, tokens: list[str], near: list[dict[str, float]] | None = None) -> float:
    """The score `NameIndex` gives `name` for the normalised query `key` (0 when it does not match).

    `near` (one dict per token: word -> typo score) enables the typo-tolerant tier.
    """
    if not key or name.startswith(key):
        return 100.0
    words = name.split()
    if all(any(word.startswith(token) for word in words) for token in tokens):
        return 95.0
    if near is None:
        return 0.0
    total = 0.0
    for token, matches in zip(tokens, near):
        total += max((100.0 if word.startswith(token) else matches.get(word, 0.0)) for word in words)
    # Word by word, or the whole name at once: a slip in a short word ("tao" -> "toa"), which
    # has no near spellings of its own, still leaves the whole name close.
    best = max(total / len(tokens), fuzz.ratio(key, name))
    return FUZZY_FACTOR * best if best >= NAME_CUTOFF else 0.0


class NameIndex:
    __slots__ = ("names", "counts", "spelled", "spelled_at", "alpha", "words", "offsets", "postings", "_inner_letters")

    def __init__(
        self, names: list[str], counts: array, spelled: str, spelled_at: array,
        alpha: array, words: list[str], offsets: array, postings: array,
    ):
        self.names = names  # normalised, most mentioned first
        self.counts = counts  # mentions when built
        # The most frequent spelling of each name, back to back in one string (not a million
        # small ones): a hit is shown without reading the name's row from the tables.
        self.spelled = spelled
        self.spelled_at = spelled_at
        self.alpha = alpha
        self.words = words
        self.offsets = offsets
        self.postings = postings
        self._inner_letters: dict[str, list[str]] | None = None

    def spelling(self, rank: int) -> str:
        return self.spelled[self.spelled_at[rank] : self.spelled_at[rank + 1]]

    @classmethod
    def build(cls, rows: Iterable[tuple[str, int, str]]) -> "NameIndex":
        """From (normalised name, mentions, most frequent spelling) rows."""
        mentions: dict[str, int] = {}
        spellings: dict[str, str] = {}
        for name, count, spelling in rows:
            mentions[name] = count
            spellings[name] = spelling
        alphabetical = sorted(mentions)
        # A stable sort by mentions keeps the alphabetical order among equals (reverse keeps it too).
        names = sorted(alphabetical, key=mentions.__getitem__, reverse=True)
        counts = array("q", map(mentions.__getitem__, names))
        spelled_list = list(map(spellings.__getitem__, names))
        spelled_at = array("q", [0])
        spelled_at.extend(accumulate(map(len, spelled_list)))
        rank_of = dict(zip(names, range(len(names))))
        alpha = array("i", map(rank_of.__getitem__, alphabetical))
        words, offsets, ranks = postings(names)  # positions in `names` are ranks
        return cls(names, counts, "".join(spelled_list), spelled_at, alpha, words, offsets, ranks)

    def __len__(self) -> int:
        return len(self.names)

    def outgrown_by(self, changed: int) -> bool:
        """Whether this many changed names cost more to score beside the index than a rebuild."""
        return changed > max(REBUILD_AT, len(self.names) // 50)

    def rebuilt(self, changed: Collection[str], current: Callable[[str], tuple[int, str]]) -> "NameIndex":
        """A new index with the changed names as they are now: `current(name)` -> (mentions, spelling); 0 = gone."""
        kept = [(name, self.counts[rank], self.spelling(rank)) for rank, name in enumerate(self.names) if name not in changed]
        live = [(name, *current(name)) for name in changed]
        return NameIndex.build(kept + [row for row in live if row[1] > 0])

    # --- serialisation --------------------------------------------------------------------------

    def to_blobs(self) -> dict[str, bytes]:
        # Normalised names never hold a line break (white space is collapsed to single spaces).
        return {
            "names": "\n".join(self.names).encode("utf-8"),
            "counts": self.counts.tobytes(),
            "spelled": self.spelled.encode("utf-8", "surrogatepass"),
            "spelled_at": self.spelled_at.tobytes(),
            "alpha": self.alpha.tobytes(),
            "words": "\n".join(self.words).encode("utf-8"),
            "offsets": self.offsets.tobytes(),
            "postings": self.postings.tobytes(),
        }

    @classmethod
    def from_blobs(cls, blobs: dict[str, bytes]) -> "NameIndex":
        def numbers(code: str, data: bytes) -> array:
            values = array(code)
            values.frombytes(data)
            return values

        text = blobs["names"].decode("utf-8")
        words = blobs["words"].decode("utf-8")
        return cls(
            text.split("\n") if text else [],
            numbers("q", blobs["counts"]),
            blobs["spelled"].decode("utf-8", "surrogatepass"),
            numbers("q", blobs["spelled_at"]),
            numbers("i", blobs["alpha"]),
            words.split("\n") if words else [],
            numbers("q", blobs["offsets"]),
            numbers("i", blobs["postings"]),
        )

    # --- prefix tiers -----------------------------------------------------------------------------

    def top(self, want: int, skip: Collection[str] = ()) -> list[int]:
        """The `want` most mentioned names (ranks), for an empty query."""
        found = []
        for rank, name in enumerate(self.names):
            if name not in skip:
                found.append(rank)
                if len(found) == want:
                    break
        return found

    def prefix_matches(self, key: str, want: int, skip: Collection[str] = ()) -> tuple[list[tuple[float, int]], bool]:
        """Up to `want` (score, rank) pairs of the prefix tiers, best first; True when there may be more."""
        tokens = key.split()
        whole, whole_more = self._whole_prefix(key, want, skip)
        if whole_more:
            return [(100.0, rank) for rank in whole], True
        taken = set(whole)
        words, words_more = self._word_prefixes(tokens, want - len(whole), skip, taken)
        return [(100.0, rank) for rank in whole] + [(95.0, rank) for rank in words], words_more

    def _whole_prefix(self, key: str, want: int, skip: Collection[str]) -> tuple[list[int], bool]:
        names = self.names
        low = bisect_left(self.alpha, key, key=names.__getitem__)
        high = bisect_left(self.alpha, prefix_end(key), lo=low, key=names.__getitem__)
        if high - low <= GATHER_LIMIT:
            ranks = sorted(self.alpha[low:high])
            return _first(ranks, want, names, skip)
        return self._walk(lambda name: name.startswith(key), want, skip, ())

    def _word_prefixes(self, tokens: list[str], want: int, skip: Collection[str], taken: set[int]) -> tuple[list[int], bool]:
        """Names (not in `taken`) with every token the prefix of one of their words."""
        spans = []
        for token in tokens:
            low = bisect_left(self.words, token)
            high = bisect_left(self.words, prefix_end(token), lo=low)
            size = self.offsets[high] - self.offsets[low]
            if size == 0:
                return [], False
            spans.append((size, low, high, token))
        spans.sort()
        small = [span for span in spans if span[0] <= GATHER_LIMIT]
        if not small:
            return self._walk(lambda name: holds_all(name, tokens), want, skip, taken)
        candidates: set[int] | None = None
        for _, low, high, _ in small:
            ranks = self.postings[self.offsets[low] : self.offsets[high]]
            candidates = set(ranks) if candidates is None else candidates.intersection(ranks)
            if not candidates:
                return [], False
        candidates -= taken
        others = [token for size, _, _, token in spans if size > GATHER_LIMIT]
        ordered = sorted(candidates)
        if not others:
            return _first(ordered, want, self.names, skip)
        found: list[int] = []
        for tested, rank in enumerate(ordered):
            if tested >= WALK_LIMIT:
                return found, True
            name = self.names[rank]
            if name not in skip and holds_all(name, others):
                if len(found) == want:
                    return found, True
                found.append(rank)
        return found, False

    def _walk(self, test, want: int, skip: Collection[str], taken: Collection[int]) -> tuple[list[int], bool]:
        """The first `want` names in rank order passing `test`; True when more pass (or the walk gave up)."""
        found: list[int] = []
        for rank, name in enumerate(self.names):
            if rank >= WALK_LIMIT:
                return found, True
            if test(name) and rank not in taken and name not in skip:
                if len(found) == want:
                    return found, True
                found.append(rank)
        return found, False

    def ranks_holding(self, tokens: list[str]) -> set[int]:
        """Every name (rank) with each token the prefix of one of its words, whatever their number."""
        found: set[int] | None = None
        for token in tokens:
            low = bisect_left(self.words, token)
            high = bisect_left(self.words, prefix_end(token), lo=low)
            ranks = set(self.postings[self.offsets[low] : self.offsets[high]])
            found = ranks if found is None else found & ranks
            if not found:
                return set()
        return found or set()

    # --- the typo-tolerant tier ---------------------------------------------------------------------

    def near_words(self, token: str) -> dict[str, float]:
        """Words spelled close to `token`: word -> score, the best FUZZY_WORDS of them.

        Only words sharing the first letter are scored, plus those sharing the second and third
        (a slip on the first key), so the pass costs a slice of the vocabulary, not all of it.
        """
        if len(token) < FUZZY_MIN_LENGTH:
            return {}
        low = bisect_left(self.words, token[0])
        high = bisect_left(self.words, prefix_end(token[0]), lo=low)
        found: dict[str, float] = {}
        for pool in (self.words[low:high], self._inner_letter_words().get(token[1:3], [])):
            for word, score, _ in process.extract(
                token, pool, scorer=fuzz.ratio, processor=None, limit=FUZZY_WORDS, score_cutoff=NAME_CUTOFF
            ):
                if score > found.get(word, 0.0):
                    found[word] = score
        return dict(sorted(found.items(), key=lambda pair: -pair[1])[:FUZZY_WORDS])

    def _inner_letter_words(self) -> dict[str, list[str]]:
        """Words by their second and third letters (built on the first typo-tolerant query)."""
        if self._inner_letters is None:
            table: dict[str, list[str]] = {}
            for word in self.words:
                if len(word) > 2:
                    table.setdefault(word[1:3], []).append(word)
            self._inner_letters = table
        return self._inner_letters

    def fuzzy_matches(
        self, key: str, near: list[dict[str, float]], want: int, skip: Collection[str], taken: Collection[int]
    ) -> tuple[list[tuple[float, int]], bool]:
        """Up to `want` (score, rank) typo-tolerant matches not in `taken`, best first."""
        tokens = key.split()
        if not tokens or not any(near):
            return [], False
        # The typed word whose matching words hold the fewest names drives the candidate set.
        drivers = []
        for token, matches in zip(tokens, near):
            words = self._word_positions(token, matches)
            size = sum(self.offsets[i + 1] - self.offsets[i] for i in words)
            if size:  # a typed word no name holds (a slip in a short word) cannot drive
                drivers.append((size, words))
        if not drivers:
            return [], False
        _, driver = min(drivers, key=lambda pair: pair[0])
        per_word = max(want + 1, FUZZY_CANDIDATES // max(len(driver), 1))
        candidates: set[int] = set()
        for i in driver:
            start = self.offsets[i]
            candidates.update(self.postings[start : min(self.offsets[i + 1], start + per_word)])
        scored = []
        for rank in candidates:
            name = self.names[rank]
            if rank in taken or name in skip:
                continue
            score = score_name(name, key, tokens, near)
            if score and score < 95.0:
                scored.append((-score, rank))
        scored.sort()
        return [(-score, rank) for score, rank in scored[:want]], len(scored) > want

    def _word_positions(self, token: str, matches: dict[str, float]) -> list[int]:
        """Positions in `words` of the words starting with `token` (a bounded number) and of its near words."""
        low = bisect_left(self.words, token)
        high = bisect_left(self.words, prefix_end(token), lo=low)
        positions = list(range(low, min(high, low + FUZZY_WORDS)))
        for word in matches:
            position = bisect_left(self.words, word)
            if position < len(self.words) and self.words[position] == word:
                positions.append(position)
        return positions


def _first(ranks: list[int], want: int, names: list[str], skip: Collection[str]) -> tuple[list[int], bool]:
    if not skip:
        return ranks[:want], len(ranks) > want
    found = []
    for rank in ranks:
        if names[rank] not in skip:
            if len(found) == want:
                return found, True
            found.append(rank)
    return found, False
