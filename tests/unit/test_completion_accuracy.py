"""Author completion finds the name the user means: the benchmark's queries on the dev corpus, held to its goals.

The queries (prefixes, typos, initials, diacritics removed; seeded) and the way they are
asked come from tests/bench/bench_completion.py, so the test and the benchmark measure the
same thing; the benchmark adds the timing with a year of digests indexed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex
from test_features_support import CORPUS, needs_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_completion as bench  # noqa: E402

QUERIES = 200
SEED = 11


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    config = Config()
    documents = bench.corpus_documents(CORPUS)
    queries = bench.generate_queries(documents, QUERIES, SEED)
    index = WorkspaceIndex([CORPUS], config, tmp_path_factory.mktemp("completion-accuracy"))
    index.scan()
    try:
        return queries, bench.evaluate(index, queries, documents, config)["ranks"]
    finally:
        index.close()


def everything(ranks: dict) -> list:
    return [rank for kind in bench.KINDS for rank in ranks[kind]]


@needs_corpus
def test_the_queries_cover_every_kind(measured):
    queries, _ = measured
    assert len(queries) == QUERIES
    for kind in bench.KINDS:
        typed = [query for query in queries if query.kind == kind]
        assert len(typed) == QUERIES // len(bench.KINDS)
        assert all(query.typed != query.intended for query in typed)


@needs_corpus
def test_in_its_entry_the_intended_name_comes_first(measured):
    # The goal: rank 1 for >= 90% of the queries, within the first 5 for >= 98%.
    first, five = bench.shares(everything(measured[1]["entry"]))
    assert first >= 0.90 and five >= 0.98, (first, five)
    for kind in bench.KINDS:
        assert bench.shares(measured[1]["entry"][kind])[0] >= 0.90, kind


@needs_corpus
def test_in_a_new_digest_frequency_recency_and_category_still_find_most(measured):
    # Without the paper's metadata or the digest to go by, many prefixes and initials are
    # ambiguous ("Y Hu"); this holds the level measured when the ranking was written.
    first, five = bench.shares(everything(measured[1]["new digest"]))
    assert first >= 0.75 and five >= 0.87, (first, five)
    assert bench.shares(measured[1]["new digest"]["ascii"]) == (1.0, 1.0)
