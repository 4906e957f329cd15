"""The author-name index: its prefix tiers equal a brute-force ranking, however large the candidate sets."""

from __future__ import annotations

import random

import pytest

from digest_ls.index import name_index as module
from digest_ls.index.name_index import NameIndex, score_name
from digest_ls.index.names import normalize_name

SPELLINGS = {
    "José García": 5, "Jose Garcia": 1, "Åsa Lindqvist": 4, "Anouk de Vries": 4, "Olu Adeyemi": 3,
    "Mei Tanaka": 3, "Mei Tanaka-Sato": 1, "Tomás Ortega": 2, "Wei Wang": 9, "Wang Wei": 2, "Wei Zhang": 6,
    "Zhang Wei": 1, "Weiming Li": 1, "Li Wei": 7, "Müller Hans": 1, "Hans Müller": 2, "Wei Wei": 1,
}


def _rows(spellings: dict[str, int]) -> list[tuple[str, int, str]]:
    return [(normalize_name(name), count, name) for name, count in spellings.items()]


def _brute_force(index: NameIndex, key: str, limit: int) -> tuple[list[tuple[float, str]], bool]:
    """The prefix tiers by definition: score every name, rank by score, mentions, name."""
    tokens = key.split()
    scored = []
    for rank, name in enumerate(index.names):
        score = score_name(name, key, tokens)
        if score:
            scored.append((-score, -index.counts[rank], name))
    scored.sort()
    return [(-score, name) for score, _, name in scored[:limit]], len(scored) > limit


def _ranked(index: NameIndex, key: str, limit: int) -> tuple[list[tuple[float, str]], bool]:
    matches, more = index.prefix_matches(key, limit)
    return [(score, index.names[rank]) for score, rank in matches], more


def test_whole_name_prefixes_come_first_then_word_prefixes_in_any_order():
    index = NameIndex.build(_rows(SPELLINGS))
    hits, more = _ranked(index, "wei", 10)
    assert hits[:3] == [(100.0, "wei wang"), (100.0, "wei zhang"), (100.0, "wei wei")]
    assert (95.0, "li wei") in hits and (95.0, "wang wei") in hits and (100.0, "weiming li") in hits
    assert not more
    assert _ranked(index, "zhang w", 5)[0] == [(100.0, "zhang wei"), (95.0, "wei zhang")]
    assert _ranked(index, "garc jo", 5)[0] == [(95.0, "jose garcia")]


def test_spellings_counts_and_the_empty_query():
    index = NameIndex.build(_rows({"José García": 5}))
    assert index.spelling(0) == "José García" and index.counts[0] == 5
    index = NameIndex.build(_rows(SPELLINGS))
    assert [index.names[rank] for rank in index.top(3)] == ["wei wang", "li wei", "wei zhang"]
    assert index.top(2, skip={"wei wang"}) == [1, 2]


def test_a_word_twice_in_one_name_is_one_posting():
    index = NameIndex.build(_rows({"Wei Wei": 1, "Wei Wang": 1}))
    assert _ranked(index, "wei", 5)[0] == [(100.0, "wei wang"), (100.0, "wei wei")]
    assert len(index.postings) == 3  # wang: 1, wei: 2


def test_typos_are_found_only_by_the_fuzzy_tier():
    index = NameIndex.build(_rows(SPELLINGS))
    assert _ranked(index, "adeyemy", 5)[0] == []
    near = [index.near_words("adeyemy")]
    matches, _ = index.fuzzy_matches("adeyemy", near, 5, (), ())
    assert [index.names[rank] for _, rank in matches] == ["olu adeyemi"]
    assert 75.0 < matches[0][0] < 90.0
    # A slip on the first key: "lindqvist" found from "kindqvist".
    near = [index.near_words("kindqvist")]
    assert [index.names[r] for _, r in index.fuzzy_matches("kindqvist", near, 5, (), ())[0]] == ["asa lindqvist"]


def test_the_blobs_round_trip():
    index = NameIndex.build(_rows(SPELLINGS))
    again = NameIndex.from_blobs(index.to_blobs())
    for field in ("names", "counts", "spelled", "spelled_at", "alpha", "words", "offsets", "postings"):
        assert getattr(again, field) == getattr(index, field)
    empty = NameIndex.from_blobs(NameIndex.build(()).to_blobs())
    assert len(empty) == 0 and empty.prefix_matches("a", 5) == ([], False)


def test_rebuilt_takes_the_changed_names_as_they_are_now():
    index = NameIndex.build(_rows(SPELLINGS))
    current = {"wei wang": (0, ""), "li wei": (20, "Li WEI"), "nova name": (1, "Nova Name")}
    again = index.rebuilt(current, current.__getitem__)
    assert "wei wang" not in again.names
    assert again.names[0] == "li wei" and again.spelling(0) == "Li WEI"
    assert "nova name" in again.names and len(again) == len(index)


def _synthetic(count: int, seed: int) -> list[tuple[str, int, str]]:
    rng = random.Random(seed)
    first = ["wei", "wen", "jose", "maria", "mei", "li", "anna", "an", "ana", "olu", "hans", "jurgen", "w"]
    last = ["wang", "wan", "garcia", "lindqvist", "li", "liu", "muller", "ortega", "tanaka", "zhang", "w", "wu"]
    rows = {}
    while len(rows) < count:
        words = [rng.choice(first), rng.choice("abcdefghijklmnopqrstuvwxyz") + ".", rng.choice(last) + rng.choice(["", "a", "son", "ski"])]
        name = " ".join(words if rng.random() < 0.7 else [words[0], words[2]])
        rows[name] = rng.choice([1, 1, 1, 2, 3, 5, 8, 40])
    return [(name, count, name.title()) for name, count in rows.items()]


@pytest.mark.parametrize("gather, walk", [(20_000, 50_000), (7, 50_000), (7, 40)])
def test_prefix_tiers_equal_brute_force_on_large_candidate_sets(monkeypatch, gather, walk):
    # Small limits force the paths a million names take: testing in rank order, giving up early.
    monkeypatch.setattr(module, "GATHER_LIMIT", gather)
    monkeypatch.setattr(module, "WALK_LIMIT", walk)
    index = NameIndex.build(_synthetic(3000, seed=gather + walk))
    rng = random.Random(4)
    queries = ["", "w", "wa", "wei", "wei w", "w w", "an", "ana", "garcia j", "li", "li l", "zz", "wei q. z", "a b c"]
    queries += [name[: rng.randint(1, len(name))].strip() for name in rng.sample(index.names, 40)]
    for key in queries:
        if not key:
            continue
        for limit in (1, 5, 50):
            got, more = _ranked(index, key, limit)
            expected, expected_more = _brute_force(index, key, limit)
            if walk < 3000 and more:
                # A walk that gave up returns a correct but possibly shorter prefix of the ranking.
                assert got == expected[: len(got)], key
            else:
                assert (got, more) == (expected, expected_more), (key, limit)


def test_skipped_names_are_left_out_of_every_tier():
    index = NameIndex.build(_rows(SPELLINGS))
    skip = {"wei wang", "li wei"}
    for key in ("wei", "li", "w", "wa"):
        hits, _ = index.prefix_matches(key, 20, skip)
        assert not {index.names[rank] for _, rank in hits} & skip
