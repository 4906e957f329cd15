"""The index over the real corpus (skipped when ../shared/corpus/dev is absent)."""

from __future__ import annotations

import json

from digest_ls.arxiv import parse_id
from digest_ls.index import normalize_name
from digest_ls.lint import lint
from digest_ls.rules.workspace_rules import WorkspaceView
from digest_ls.parser.document import parse
from test_features_support import CORPUS, corpus_index, needs_corpus

pytestmark = [needs_corpus]


def _jsonl_ids() -> set[str]:
    ids = set()
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)["id"]
                parsed = parse_id(raw)
                ids.add(parsed.canonical if parsed else raw)
    return ids


def test_the_index_holds_every_jsonl_paper():
    index = corpus_index()
    missing = [paper_id for paper_id in _jsonl_ids() if index.paper(paper_id) is None]
    assert missing == []


def test_the_index_holds_every_digest_entry_with_its_line():
    index = corpus_index()
    assert len(index.digest_paths()) == len([p for p in CORPUS.glob("*.md") if p.name != "README.md"])
    for path in sorted(CORPUS.glob("*.md"))[:12]:
        document = parse(path.read_text(encoding="utf-8"))
        if not document.is_digest:
            continue
        for _, start, entry in document.entry_blocks():
            link = entry.heading.link
            if link is None or link.id is None:
                continue
            lines = {(o.path, o.line) for o in index.occurrences(link.id.canonical)}
            assert (str(path.resolve()), start) in lines


def test_metadata_fills_papers_and_authors_are_grouped():
    index = corpus_index()
    with_abstract = sum(1 for paper_id in list(_jsonl_ids())[:500] if index.paper(paper_id).abstract)
    assert with_abstract == 500
    hits, _ = index.search_authors("", 5)
    assert all(hit.count >= 2 for hit in hits)
    top = hits[0]
    assert index.author(top.name.upper()).normalized == normalize_name(top.name)


def test_workspace_rules_run_over_a_real_digest():
    index = corpus_index()
    path = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")[-2]
    document = parse(path.read_text(encoding="utf-8"))
    found = [d for d in lint(document, workspace=WorkspaceView(index, str(path), 0)).diagnostics if d.code in ("D401", "D402")]
    assert found
    for diagnostic in found:
        if diagnostic.code == "D401":
            assert all(related.path != str(path.resolve()) for related in diagnostic.related)
