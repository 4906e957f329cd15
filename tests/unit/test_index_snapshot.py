"""The lazy index over the SQLite snapshot answers exactly as the in-memory one, through every change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex
from digest_ls.index import name_index, scanning
from digest_ls.index.store import RecordStore
from digest_ls.parser.document import parse
from test_features_support import CORPUS, copy_workspace, needs_corpus

QUERIES = ["", "a", "mei", "garcia", "jose garc", "tomas", "Adeyemy", "lind", "wang", "li w", "zz", "nova"]
PAPER_QUERIES = ["", "gossip barrier", "straggler shedule", "2601.00", "learning", "language model"]
SYMBOL_QUERIES = ["", "au:mei", "au:garcia", "cat:cs", "id:2601.001", "typed holes", "au:li cat:cs"]


def _state(index: WorkspaceIndex, names: list[str], ids: list[str]) -> dict:
    """Everything a feature can ask the index, for the given names and ids."""
    return {
        "paths": (index.digest_paths(), index.metadata_paths()),
        "papers": {paper_id: index.paper(paper_id) for paper_id in ids},
        "authors": {name: index.author(name) for name in names},
        "occurrences": {name: index.author_occurrences(name) for name in names},
        "by_author": {name: index.papers_by_author(name) for name in names[:20]},
        "search_authors": {query: index.search_authors(query, 8) for query in QUERIES + names[:15]},
        "search_papers": {query: index.search_papers(query, 8) for query in PAPER_QUERIES},
        "symbols": {query: index.workspace_symbols(query, 30) for query in SYMBOL_QUERIES},
        "categories": {code: index.category_count(code) for code in ("cs.DC", "cs.LG", "cs.CL", "cs.PL")},
    }


def _assert_same(lazy: WorkspaceIndex, memory: WorkspaceIndex, extra_names=()) -> None:
    tables = memory._tables
    names = sorted(tables.spellings)[:: max(1, len(tables.spellings) // 60)] + list(extra_names)
    ids = sorted(tables.by_id)[:: max(1, len(tables.by_id) // 200)] + ["2601.00999"]
    expected, got = _state(memory, names, ids), _state(lazy, names, ids)
    for part in expected:
        assert got[part] == expected[part], part


def _memory(root: Path) -> WorkspaceIndex:
    index = WorkspaceIndex([root], Config(), None)
    index.scan()
    return index


def _lazy(root: Path, cache: Path) -> tuple[WorkspaceIndex, object]:
    index = WorkspaceIndex([root], Config(), cache)
    return index, index.scan()


def _edit_buffer(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    authors = next(line for line in text.splitlines() if line.startswith("*") and line.endswith("*"))
    text = text.replace(authors, authors[:-1] + ",Nova Name,José García*", 1)
    heading = next(line for line in text.splitlines() if line.startswith("### ["))
    return text.replace(heading, heading.replace("] [", "] [Renamed ", 1), 1)


def _walk_through_changes(root: Path, cache: Path) -> None:
    memory = _memory(root)
    papers = len(memory._tables.by_id)
    cold, report = _lazy(root, cache)
    assert report.parsed == report.files - report.skipped
    assert cold._tables.base is not None  # the snapshot was written and adopted
    _assert_same(cold, memory)
    cold.close()

    warm, report = _lazy(root, cache)
    assert report.parsed == 0 and report.from_cache == report.files
    assert report.papers == papers
    _assert_same(warm, memory)

    # An open buffer over the lazy tables, then closing it.
    digest = sorted(root.rglob("*.md"))[0]
    text = _edit_buffer(digest)
    for index in (warm, memory):
        index.set_open_document(str(digest), parse(text))
    _assert_same(warm, memory, ["nova name"])
    for index in (warm, memory):
        index.close_document(str(digest))
    _assert_same(warm, memory, ["nova name"])

    # Files change on disk: watched events on a running index, then a restart reads only them.
    digest.write_text(text, encoding="utf-8")
    jsonl = sorted(root.rglob("*.jsonl"))[0]
    jsonl.unlink()
    copy = digest.with_name("copy-" + digest.name)
    shutil.copy(digest, copy)
    for index in (warm, memory):
        index.file_changed(str(digest))
        index.file_deleted(str(jsonl))
        index.file_changed(str(copy))
    _assert_same(warm, memory, ["nova name"])
    warm.close()

    fresh = _memory(root)
    restarted, report = _lazy(root, cache)
    assert (report.parsed, report.from_cache) == (2, report.files - 2)
    _assert_same(restarted, fresh, ["nova name"])
    restarted.close()
    again, report = _lazy(root, cache)
    assert report.parsed == 0
    _assert_same(again, fresh, ["nova name"])
    again.close()


def test_lazy_index_equals_memory_index_on_the_fixture_workspace(tmp_path):
    _walk_through_changes(copy_workspace(tmp_path), tmp_path / "cache")


def test_name_index_rebuilds_keep_the_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(name_index, "REBUILD_AT", 1)  # every change outgrows the index
    _walk_through_changes(copy_workspace(tmp_path), tmp_path / "cache")


@needs_corpus
def test_lazy_index_equals_memory_index_on_the_corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    _walk_through_changes(root, tmp_path / "cache")


def test_a_running_index_keeps_its_view_while_another_rewrites_the_cache(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    _lazy(root, cache)[0].close()
    first, _ = _lazy(root, cache)
    before = first.paper("2601.00101")
    digest = root / "2026-01-10.md"
    digest.write_text(digest.read_text(encoding="utf-8").replace("Gossip", "Rumour"), encoding="utf-8")
    second, report = _lazy(root, cache)  # writes the change into the shared cache
    assert report.parsed == 1 and "Rumour" in second.paper("2601.00101").title
    assert first.paper("2601.00101") == before  # still its own snapshot: nothing mixed
    assert first.author_occurrences("jose garcia") == second.author_occurrences("jose garcia")
    first.file_changed(str(digest))
    assert first.paper("2601.00101") == second.paper("2601.00101")
    first.close()
    second.close()


def test_changes_are_not_written_over_a_cache_that_moved_on(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    _lazy(root, cache)[0].close()
    store = RecordStore(cache, [root.resolve()])
    assert not store.write_changes("not the snapshot's hash", [], [], [], {"ids": b"[]"})
    store.close()
    index, report = _lazy(root, cache)
    assert report.parsed == 0 and report.papers == 6  # the snapshot is intact


def test_an_unusable_file_is_not_read_again_until_it_changes(tmp_path, monkeypatch):
    root = copy_workspace(tmp_path)
    bad = root / "latin1.md"
    bad.write_bytes("### [1] [Caf\xe9](https://arxiv.org/abs/2601.00999)\n".encode("latin-1"))
    cache = tmp_path / "cache"
    assert _lazy(root, cache)[1].skipped == 1
    reads = []
    real = scanning.read_text
    monkeypatch.setattr(scanning, "read_text", lambda path: reads.append(path.name) or real(path))
    report = _lazy(root, cache)[1]
    assert (report.skipped, report.parsed, reads) == (1, 0, [])
    bad.write_text("# not a digest\n", encoding="utf-8")
    report = _lazy(root, cache)[1]
    assert (report.skipped, report.parsed, reads) == (0, 1, ["latin1.md"])


def test_a_cancelled_scan_with_a_cache_is_partial_and_the_next_one_completes(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    done = []
    index = WorkspaceIndex([root], Config(), cache)
    report = index.scan(progress=lambda files, total: done.append(files), cancel=lambda: len(done) > 2)
    assert report.cancelled and index._tables.base is None
    assert len(index.digest_paths()) + len(index.metadata_paths()) < 4
    report = index.scan()
    assert not report.cancelled and report.parsed < 5 and len(index.digest_paths()) == 3
    _assert_same(index, _memory(root))


def test_no_cache_file_is_left_in_the_workspace(tmp_path):
    root = copy_workspace(tmp_path)
    _lazy(root, tmp_path / "cache")[0].close()
    assert not [path for path in root.rglob("*") if "sqlite" in path.name]
    assert [path.name for path in (tmp_path / "cache").iterdir() if path.suffix == ".sqlite3"]
    assert os.path.getsize(next((tmp_path / "cache").glob("*.sqlite3"))) > 0


def test_a_cache_that_refuses_writes_still_gives_a_complete_index(tmp_path, monkeypatch):
    root = copy_workspace(tmp_path)
    monkeypatch.setattr(RecordStore, "save", lambda self, records: False)  # a full disk, say
    index, report = _lazy(root, tmp_path / "cache")
    assert report.parsed == 5 and index._tables.base is None
    _assert_same(index, _memory(root))
    monkeypatch.undo()
    monkeypatch.setattr(RecordStore, "write_snapshot", lambda self, authors, blobs: False)
    index, report = _lazy(root, tmp_path / "other-cache")
    assert index._tables.base is None
    _assert_same(index, _memory(root))


def _cache_rows(cache: Path) -> dict:
    import sqlite3

    (database,) = cache.glob("*.sqlite3")
    connection = sqlite3.connect(database)
    try:
        return {
            "files": sorted(connection.execute("SELECT * FROM files")),
            "items": connection.execute("SELECT path, seq, kind, paper_id, data FROM items ORDER BY path, seq").fetchall(),
            "blobs": sorted(connection.execute("SELECT name, data FROM blobs WHERE name NOT IN ('categories', 'listed')")),
        }
    finally:
        connection.close()


def test_a_build_by_worker_processes_equals_one_in_this_process(tmp_path, monkeypatch):
    root = copy_workspace(tmp_path)
    (root / "latin1.md").write_bytes("### [1] [Caf\xe9](https://arxiv.org/abs/2601.00999)\n".encode("latin-1"))
    monkeypatch.setattr(scanning, "PARALLEL_BYTES", 10**12)
    alone, report = _lazy(root, tmp_path / "alone")
    monkeypatch.setattr(scanning, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(scanning, "worker_count", lambda: 2)
    started = []
    real = scanning._in_order
    monkeypatch.setattr(scanning, "_in_order", lambda *arguments: started.append(1) or real(*arguments))
    done = []
    index = WorkspaceIndex([root], Config(), tmp_path / "shared")
    shared = index.scan(progress=lambda files, total: done.append((files, total)))
    assert started  # the workers did read
    assert (shared.parsed, shared.skipped, shared.papers) == (report.parsed, report.skipped, report.papers) == (5, 1, 6)
    assert done == [(files, 6) for files in range(6)] + [(6, 6)]
    assert _cache_rows(tmp_path / "shared") == _cache_rows(tmp_path / "alone")
    _assert_same(index, alone)
    _assert_same(index, _memory(root))


class _DeadPool:
    """A process pool whose workers have all died."""

    def __init__(self, *arguments, **options):
        pass

    def submit(self, *arguments):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future = Future()
        future.set_exception(BrokenProcessPool("a worker was killed"))
        return future

    def shutdown(self, **options):
        pass


class _UnstartablePool(_DeadPool):
    """A process pool that cannot start a worker (no interpreter to spawn, say)."""

    def submit(self, *arguments):
        raise OSError("cannot spawn")


@pytest.mark.parametrize("pool", [_DeadPool, _UnstartablePool])
def test_a_build_without_its_workers_reads_on_in_this_process(tmp_path, monkeypatch, pool):
    import concurrent.futures

    root = copy_workspace(tmp_path)
    monkeypatch.setattr(scanning, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(scanning, "worker_count", lambda: 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    index, report = _lazy(root, tmp_path / "cache")
    assert report.parsed == 5 and index._tables.base is not None
    _assert_same(index, _memory(root))


def test_a_build_by_worker_processes_can_be_cancelled(tmp_path, monkeypatch):
    monkeypatch.setattr(scanning, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(scanning, "worker_count", lambda: 2)
    test_a_cancelled_scan_with_a_cache_is_partial_and_the_next_one_completes(tmp_path)
