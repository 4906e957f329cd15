"""One typo, one diagnostic, at the typo: the typo benchmark's targets, held on full-size real digests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_typos import TYPOS, full_size_digests, run  # noqa: E402

DIGESTS = full_size_digests()
pytestmark = [pytest.mark.skipif(not DIGESTS, reason="no full-size digests in ../shared/corpus"), pytest.mark.corpus]


@pytest.fixture(scope="module")
def results():
    # The largest upstream digest and one digest of each fork layout: cascades only show at full size.
    upstream = [path for path in DIGESTS if "forks" not in path.parts]
    forks = {path.parent: path for path in DIGESTS if "forks" in path.parts}
    chosen = upstream[-1:] + list(forks.values())
    return run(chosen, samples=2, seed=11)


def test_every_typo_is_flagged_at_its_line(results):
    flagged = sum(results[typo.name].flagged for typo in TYPOS if typo.flagged_expected)
    samples = sum(results[typo.name].samples for typo in TYPOS if typo.flagged_expected)
    assert samples > 0
    assert flagged / samples >= 0.95, {name: (r.flagged, r.samples) for name, r in results.items()}


def test_no_typo_cascades(results):
    added = [n for typo in TYPOS for n in results[typo.name].added]
    assert max(added) <= 3, {name: max(r.added, default=0) for name, r in results.items()}
    assert sum(1 for n in added if n <= 2) / len(added) >= 0.90


def test_typing_in_prose_adds_nothing_and_no_paper_vanishes(results):
    assert results["typing in prose"].samples > 0
    assert set(results["typing in prose"].added) == {0}
    assert all(result.vanished == 0 for result in results.values())


def test_deleting_an_entry_gives_at_most_the_stale_total_and_the_numbering_run(results):
    deleted = results["entry deleted"]
    assert deleted.samples > 0 and max(deleted.added) <= 2, deleted.added
