"""Fork layouts against their JSONL: every paper is read into the same model, and nothing is "repaired".

`../shared/corpus/forks/` holds real digests of forks of the generator, each
beside the JSONL it was rendered from. The pairing of a digest with its JSONL
is by the name stem rules the folder's README gives.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from digest_ls.diagnostics import Severity
from digest_ls.fixes import fix_all
from digest_ls.formatting import format_text
from digest_ls.lint import lint
from digest_ls.outline import outline_json
from digest_ls.parser.document import parse

FORKS = ROOT.parent / "shared" / "corpus" / "forks"
pytestmark = [pytest.mark.skipif(not FORKS.is_dir(), reason="../shared/corpus/forks is not present"), pytest.mark.corpus]


def fork_digests() -> list[Path]:
    return sorted(FORKS.glob("*/*.md")) if FORKS.is_dir() else []


def companion(path: Path) -> Path:
    stem = path.stem
    for digest_suffix, jsonl_stem in (("_trajectory_and_large_models", "_trajectory_llm"), ("_database", "_database")):
        if stem.endswith(digest_suffix):
            stem = stem[: -len(digest_suffix)] + jsonl_stem
            break
    else:
        if path.parent.name.startswith("junle-chen"):
            stem += "_unique"
    return next(path.parent.glob(stem + "_AI_enhanced*.jsonl"))


def squash(text) -> str:
    return " ".join(str(text or "").replace("\t", " ").split())


def _ai(paper: dict) -> dict:
    return paper.get("AI") if isinstance(paper.get("AI"), dict) else {}


# What each layout carries, as (outline getter, JSONL getter).
FIELDS = {
    "title": (lambda e: e["title"], lambda p: p["title"]),
    "authors": (lambda e: [squash(a) for a in e["authors"]], lambda p: [squash(a) for a in p["authors"]]),
    "category": (lambda e: e["category"], lambda p: p["categories"][0]),
    "tldr": (lambda e: e["tldr"], lambda p: _ai(p).get("tldr")),
    "motivation": (lambda e: e["fields"].get("Motivation"), lambda p: _ai(p).get("motivation")),
    "method": (lambda e: e["fields"].get("Method"), lambda p: _ai(p).get("method")),
    "result": (lambda e: e["fields"].get("Result"), lambda p: _ai(p).get("result")),
    "conclusion": (lambda e: e["fields"].get("Conclusion"), lambda p: _ai(p).get("conclusion")),
}


def _carried(path: Path) -> tuple[str, ...]:
    if path.name == "2025-06-07.md":  # the early junle-chen layout: no details block
        return ("title", "authors", "category", "tldr")
    return tuple(FIELDS)


def agreement(path: Path) -> dict[str, tuple[int, int]]:
    """Per field: (papers whose outline value equals the JSONL, papers compared)."""
    outline = outline_json(parse(path.read_text(encoding="utf-8")), path.name)
    by_id: dict = {}
    for section in outline["sections"]:
        for entry in section["entries"]:
            by_id.setdefault(entry["arxiv_id"], []).append(entry)
    rates: dict[str, list[int]] = {name: [0, 0] for name in _carried(path)}
    for line in companion(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        paper = json.loads(line)
        entries = by_id.get(paper["id"], [])
        for name in _carried(path):
            from_outline, from_jsonl = FIELDS[name]
            wanted = from_jsonl(paper)
            if wanted is None:
                continue
            rates[name][1] += 1
            if any(squash(from_outline(entry)) == squash(wanted) for entry in entries):
                rates[name][0] += 1
    return {name: (hit, total) for name, (hit, total) in rates.items()}


@pytest.mark.parametrize("path", fork_digests(), ids=lambda p: p.name)
def test_the_outline_equals_the_jsonl(path):
    for name, (hit, total) in agreement(path).items():
        assert total > 0, name
        assert hit / total >= 0.995, f"{path.name}: {name} {hit}/{total}"


@pytest.mark.parametrize("path", fork_digests(), ids=lambda p: p.name)
def test_format_and_fix_leave_a_generated_fork_digest_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text
    assert fix_all(parse(text), include_unsafe=False) == text


@pytest.mark.parametrize("path", fork_digests(), ids=lambda p: p.name)
def test_a_generated_fork_digest_has_no_error_and_only_real_warnings(path):
    document = parse(path.read_text(encoding="utf-8"))
    assert document.is_digest
    found = lint(document).diagnostics
    assert not [d for d in found if d.severity is Severity.ERROR], [d for d in found if d.severity is Severity.ERROR][:3]
    warnings = Counter(d.code for d in found if d.severity is Severity.WARNING)
    # The generator's own defects: failed summaries, papers listed twice, LaTeX escapes eaten, empty values.
    # The generator's `NVIDIA,:,A` author lists (D207) are its own too.
    assert set(warnings) <= {"D205", "D207", "D215", "D301", "D302"}, warnings
    assert sum(warnings.values()) <= 10, warnings


def test_the_layout_is_named():
    names = {path.name: parse(path.read_text(encoding="utf-8")).layout.name for path in fork_digests()}
    assert len(set(names.values())) >= 3, names
    assert all(name != "upstream" for name in names.values()), names
