"""Workspace symbols: natural queries (names with spaces, bare ids, title words, combinations), honest cuts."""

from __future__ import annotations

from pathlib import Path

from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex
from digest_ls.parser.document import parse
from test_features_support import CORPUS, copy_workspace, corpus_index, needs_corpus, workspace_index


def ids(query: str, index=None, limit: int = 50) -> list[str]:
    symbols, _ = (index or workspace_index()).workspace_symbols(query, limit)
    return [symbol.paper_id for symbol in symbols]


def test_an_author_name_may_hold_spaces_however_it_is_written():
    expected = ids("au:garcia")
    assert set(expected) == {"2601.00101", "2601.00103"}
    for query in ("au:Jose Garcia", "au:José García", "au:jose_garcia", 'au:"José García"', "au:garcia jose"):
        assert ids(query) == expected, query
    assert ids("au:Jose Nobody") == []


def test_the_words_after_a_name_that_name_nobody_are_title_words():
    assert ids("au:Mei Tanaka checkpoint") == ["2601.00102"]
    assert ids("checkpoint au:Mei Tanaka") == ["2601.00102"]
    assert ids("au:Mei Tanaka") == ["2601.00102", "2601.00101", "2601.00101"]  # newest id first, one per listing


def test_a_bare_id_an_id_prefix_a_versioned_id_or_a_link():
    for query in ("2601.00102", "arXiv:2601.00102v2", "https://arxiv.org/abs/2601.00102", "id:2601.00102"):
        assert set(ids(query)) == {"2601.00102"}, query
    assert set(ids("2601.001")) == {"2601.00101", "2601.00102", "2601.00103"}
    assert set(ids("2601.002 scheduling")) == {"2601.00204"}


def test_filters_combine():
    assert set(ids("cat:cs.DC au:garcia")) == {"2601.00101"}
    assert set(ids("cat:cs.LG 2601.0020")) == {"2601.00204", "2601.00205"}
    assert ids("cat:cs.PL au:tanaka") == []


def test_the_open_documents_papers_come_first(tmp_path):
    root = copy_workspace(tmp_path)
    index = WorkspaceIndex([root], Config(), None)
    index.scan()
    everything, _ = index.workspace_symbols("", 50)
    opened = root / "archive" / "2026-01-09.md"
    index.set_open_document(opened, parse(opened.read_text(encoding="utf-8")))
    first, _ = index.workspace_symbols("", 50)
    assert first[0].path == str(opened.resolve())  # 2601.00103, while the newest id comes first otherwise
    assert everything[0].paper_id != "2601.00103"
    assert sorted((s.paper_id, s.path) for s in first) == sorted((s.paper_id, s.path) for s in everything)


def test_a_cut_list_says_how_many_papers_are_left_out():
    symbols, more = workspace_index().workspace_symbols("", 2)
    shown = {symbol.paper_id for symbol in symbols}
    assert len(symbols) <= 2 and more == len(set(ids("", limit=1000))) - len(shown)
    assert workspace_index().workspace_symbols("au:garcia", 50)[1] == 0


@needs_corpus
def test_the_queries_of_the_issue_on_the_corpus():
    index = corpus_index()
    for query in ("au:Dacheng Tao", "au:dacheng_tao", "au:Tao Dacheng"):
        found = ids(query, index, 200)
        assert found and all(
            "dacheng tao" in {author.lower() for author in index.paper(paper_id).authors} for paper_id in found
        ), query
    listed = next(path for path in sorted(CORPUS.glob("2025-05-*.md")))
    paper = next(entry.arxiv_id for _, _, entry in parse(listed.read_text(encoding="utf-8")).entry_blocks() if entry.arxiv_id)
    assert set(ids(paper, index)) == {paper} and paper in ids(paper[:8], index, 200)
    combined = ids("cat:cs.CL au:tao", index, 200)
    assert combined and all("cs.CL" in index.paper(paper_id).categories for paper_id in combined)


@needs_corpus
def test_on_the_corpus_the_open_digest_comes_first_and_the_cut_is_counted(tmp_path):
    index = WorkspaceIndex([CORPUS], Config(), tmp_path / "cache")
    index.scan()
    path = CORPUS / "2025-06-19.md"
    index.set_open_document(path, parse(path.read_text(encoding="utf-8")))
    symbols, more = index.workspace_symbols("cat:cs.CL", 200)
    everything, rest = index.workspace_symbols("cat:cs.CL", 100_000)
    assert rest == 0 and more == len({s.paper_id for s in everything}) - len({s.paper_id for s in symbols}) > 0
    assert symbols[0].path == str(path.resolve())
    index.close()
