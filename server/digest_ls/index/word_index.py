"""Title words -> the papers holding them, for prefix and typo-tolerant title search.

Built from the processed titles of the search lists (position i is the i-th
paper id); it serialises to flat blobs so that a warm restart reads it from
the snapshot instead of splitting every title again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import islice

from rapidfuzz import fuzz, process

WORD_CUTOFF = 75.0  # a typo'd word still matching a title word


def postings(texts) -> tuple[list[str], array, array]:
    """Inverted lists over the words of `texts`: (sorted words, offsets, positions).

    Word i occurs in texts positions[offsets[i]:offsets[i + 1]], each position once
    even when the word repeats in one text ("wei wei").
    """
    holders: dict[str, list[int]] = {}
    for position, text in enumerate(texts):
        for word in text.split():
            found = holders.get(word)
            if found is None:
                holders[word] = [position]
            elif found[-1] != position:
                found.append(position)
    words = sorted(holders)
    offsets = array("q", [0])
    positions = array("i")
    for word in words:
        positions.extend(holders[word])
        offsets.append(len(positions))
    return words, offsets, positions


class WordIndex:
    def __init__(self, words: list[str], offsets: array, positions: array):
        self.words = words  # sorted, distinct
        self._offsets = offsets  # word i holds positions[offsets[i]:offsets[i + 1]]
        self._positions = positions
        self._at = {word: i for i, word in enumerate(words)}

    @classmethod
    def build(cls, texts: list[str]) -> "WordIndex":
        return cls(*postings(texts))

    def to_blobs(self) -> dict[str, bytes]:
        # Processed titles hold no line breaks (rapidfuzz's default_process turns them into spaces).
        return {
            "words": "\n".join(self.words).encode("utf-8", "surrogatepass"),
            "offsets": self._offsets.tobytes(),
            "positions": self._positions.tobytes(),
        }

    @classmethod
    def from_blobs(cls, blobs: dict[str, bytes]) -> "WordIndex":
        offsets, positions = array("q"), array("i")
        offsets.frombytes(blobs["offsets"])
        positions.frombytes(blobs["positions"])
        text = blobs["words"].decode("utf-8", "surrogatepass")
        return cls(text.split("\n") if text else [], offsets, positions)

    def holders(self, word: str) -> array:
        i = self._at[word]
        return self._positions[self._offsets[i] : self._offsets[i + 1]]

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
                for position in self.holders(word):
                    if best.get(position, 0.0) < score:
                        best[position] = score
            for position, score in best.items():
                totals[position] = totals.get(position, 0.0) + score
        return {position: total / len(tokens) for position, total in totals.items()}
