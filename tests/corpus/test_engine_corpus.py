"""The engine against the real corpus: every digest parses, matches its JSONL, and is checked sensibly."""

from __future__ import annotations

import ast
import json
from collections import Counter

import pytest

from conftest import CORPUS, SEEDS, corpus_digests, needs_corpus
from digest_ls.diagnostics import Severity
from digest_ls.lint import lint
from digest_ls.model import Template
from digest_ls.outline import outline_json
from digest_ls.parser.document import parse

pytestmark = [needs_corpus, pytest.mark.corpus]

_parsed: dict = {}


def parsed(path):
    if path not in _parsed:
        _parsed[path] = parse(path.read_text(encoding="utf-8"))
    return _parsed[path]


def squash(text) -> str:
    return " ".join(str(text or "").split())


def _as_list(value):
    # Some crawls store lists as their Python repr.
    if isinstance(value, str) and value.startswith("["):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return [value]
    return value


def _as_dict(value):
    if isinstance(value, str) and value.startswith("{"):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return {}
    return value if isinstance(value, dict) else {}


def companion(path):
    candidates = sorted(CORPUS.glob(path.stem + "*.jsonl"))
    return candidates[0] if candidates else None


def jsonl_papers(path):
    papers = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            papers.append(json.loads(line))
    return papers


@pytest.mark.parametrize("path", corpus_digests(), ids=lambda p: p.name)
def test_every_digest_parses_as_a_digest(path):
    document = parsed(path)
    assert document.is_digest
    assert document.entries
    assert "".join(l + e for l, e in zip(document.lines, document.eols)) == path.read_text(encoding="utf-8")
    for _, _, entry in document.entry_blocks():
        assert entry.heading.problems == ()
        assert entry.arxiv_id is not None
        assert entry.stray == ()


@pytest.mark.parametrize("path", corpus_digests(), ids=lambda p: p.name)
def test_outline_matches_the_jsonl_ground_truth(path):
    source = companion(path)
    if source is None:
        pytest.skip("no companion JSONL")
    outline = outline_json(parsed(path), path.name)
    by_id: dict = {}
    for section in outline["sections"]:
        for entry in section["entries"]:
            by_id.setdefault(entry["arxiv_id"], []).append(entry)
    checked = 0
    for paper in jsonl_papers(source):
        ai = _as_dict(paper.get("AI"))
        summary_key = "tldr" if "tldr" in ai else "task"
        wanted = (summary_key, "motivation", "method", "result", "conclusion")
        if not all(ai.get(key) for key in wanted):
            continue
        entries = by_id.get(paper["id"])
        assert entries, f"{paper['id']} missing from {path.name}"
        # A crawl may hold one paper twice with two summaries; the digest lists both.
        assert any(_matches(entry, paper, ai, summary_key) for entry in entries), (
            f"{paper['id']}: no entry of {path.name} carries the JSONL's title, authors, category, "
            f"summary and abstract"
        )
        checked += 1
    if not any(_as_dict(p.get("AI")) for p in jsonl_papers(source)):
        pytest.skip("raw crawl without AI fields")
    assert checked > 0


def _matches(entry, paper, ai, summary_key) -> bool:
    summary = entry["tldr"] if summary_key == "tldr" else entry["fields"].get("Task")
    return (
        squash(entry["title"]) == squash(paper["title"])
        and entry["authors"] == [squash(a) for a in _as_list(paper["authors"])]
        and (entry["category"] is None or entry["category"] == _as_list(paper["categories"])[0])
        and squash(summary) == squash(ai[summary_key])
        and squash(entry["fields"].get("Abstract")) == squash(paper["summary"])
        and all(squash(entry["fields"].get(label)) == squash(ai[key])
                for label, key in (("Motivation", "motivation"), ("Method", "method"),
                                   ("Result", "result"), ("Conclusion", "conclusion")))
    )


def test_abstract_only_digest_matches_its_raw_crawl():
    path = CORPUS / "2025-03-18.md"
    outline = outline_json(parsed(path), path.name)
    by_id = {e["arxiv_id"]: e for s in outline["sections"] for e in s["entries"]}
    papers = jsonl_papers(CORPUS / "2025-03-18.jsonl")
    assert len(by_id) == len({p["id"] for p in papers} & set(by_id)) > 300
    for paper in papers:
        if paper["id"] in by_id:
            assert squash(by_id[paper["id"]]["fields"]["Abstract"]) == squash(paper["summary"])


def test_templates_are_recognised():
    templates = {path.name: parsed(path).template for path in corpus_digests()}
    assert templates["2025-03-18.md"] is Template.ABSTRACT_ONLY
    assert {templates[n] for n in ("2025-03-19.md", "2025-03-21.md", "2025-03-22.md", "2025-04-14.md")} == {Template.TASK}
    assert templates["2025-04-15.md"] is Template.TLDR
    assert templates["2025-04-17.md"] is Template.CURRENT
    assert not parse((CORPUS / "README.md").read_text(encoding="utf-8")).is_digest


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")), ids=lambda p: p.name)
def test_seeds_have_nothing_above_info(path):
    document = parse(path.read_text(encoding="utf-8"))
    assert document.is_digest
    assert [d for d in lint(document).diagnostics if d.severity > Severity.INFO] == []


def codes(name):
    return Counter(d.code for d in lint(parsed(CORPUS / name)).diagnostics)


def test_the_catalogued_defects_are_found_where_they_are():
    assert codes("2025-04-15.md")["D205"] == 351  # every paper listed twice
    assert codes("2025-03-18.md")["D205"] == 137
    for name in ("2025-03-18.md", "2025-03-19.md", "2025-04-15.md"):
        assert any(d.code == "D304" and "final newline" in d.message or "end of the file" in d.message
                   for d in lint(parsed(CORPUS / name)).diagnostics)
    assert codes("2025-03-19.md")["D301"] >= 5  # bare `Error` values
    for name in ("2025-10-27.md", "2025-11-06.md", "2026-06-02.md"):
        assert codes(name)["D301"] >= 1  # the generator's fallbacks
    assert codes("2025-07-11.md")["D302"] >= 1  # `\t` eaten out of `\textsc`
    assert any("U+200B" in d.message or "invisible" in d.message
               for d in lint(parsed(CORPUS / "2025-11-06.md")).diagnostics)
    assert codes("2026-01-03.md")["D207"] == 1  # `NVIDIA,:,...`
    for name in ("2025-03-19.md", "2025-04-15.md", "2025-03-18.md"):
        assert codes(name)["D109"] == 1
    # `<class>`, `<seg>`, `<canvas>`, `<think>`, `<EOS>` quoted by the papers: the rendered page drops them.
    for name, count in (("2025-04-15.md", 4), ("2025-07-10.md", 1), ("2026-06-02.md", 1), ("2026-06-23.md", 2),
                        ("2026-06-30.md", 2), ("2026-07-01.md", 3)):
        assert codes(name)["D305"] == count, name


def test_current_template_files_without_defects_have_nothing_above_info():
    defective = {"2025-10-27.md", "2025-11-06.md", "2026-06-02.md", "2025-07-09.md", "2025-08-21.md",
                 "2026-01-03.md", "2026-01-04.md", "2025-07-11.md",
                 "2025-07-10.md", "2026-06-23.md", "2026-06-30.md", "2026-07-01.md"}  # the last four: D305
    for path in corpus_digests():
        document = parsed(path)
        if document.template is not Template.CURRENT or path.name in defective:
            continue
        above = [d for d in lint(document).diagnostics if d.severity > Severity.INFO]
        assert above == [], f"{path.name}: {above[:3]}"
