"""Shared test helpers: where the real corpus and the fixtures are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SEEDS = ROOT.parent / "shared" / "seeds"


def corpus_digests() -> list[Path]:
    return sorted(path for path in CORPUS.glob("*.md") if path.name != "README.md") if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/dev is not present")
