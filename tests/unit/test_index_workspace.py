"""WorkspaceIndex over the fixture workspace: crawl, merge, queries, buffers, events, cache."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex, is_unsafe_root
from digest_ls.index.store import database_path
from digest_ls.parser.document import parse
from test_features_support import WORKSPACE, copy_workspace, fixture_path, workspace_index

DIGESTS = ["2026-01-10.md", "2026-01-11.md", "archive/2026-01-09.md"]
JSONL = "2026-01-11_AI_enhanced_English.jsonl"


def build(root: Path, config: Config = Config(), cache: Path | None = None) -> WorkspaceIndex:
    index = WorkspaceIndex([root], config, cache)
    index.scan()
    return index


# --- crawl ---------------------------------------------------------------------------------------------


def test_scan_finds_digests_and_metadata_and_skips_other_markdown():
    index = workspace_index()
    assert index.digest_paths() == sorted(fixture_path(name) for name in DIGESTS)
    assert index.metadata_paths() == [fixture_path(JSONL)]


def test_scan_reports_counts_and_progress(tmp_path):
    root = copy_workspace(tmp_path)
    calls = []
    index = WorkspaceIndex([root], Config(), None)
    report = index.scan(progress=lambda done, total: calls.append((done, total)))
    assert report.files == 5  # three digests, the JSONL and the README
    assert (report.digests, report.metadata_files) == (3, 1)
    assert report.papers == 6
    assert report.parsed == 5 and report.from_cache == 0 and report.skipped == 0
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)


def test_scan_can_be_cancelled(tmp_path):
    root = copy_workspace(tmp_path)
    index = WorkspaceIndex([root], Config(), None)
    report = index.scan(cancel=lambda: True)
    assert report.cancelled
    assert index.paper("2601.00101") is None


def test_include_and_exclude_globs(tmp_path):
    root = copy_workspace(tmp_path)
    index = build(root, Config(index_exclude=("archive/**",)))
    assert [Path(p).name for p in index.digest_paths()] == ["2026-01-10.md", "2026-01-11.md"]
    index = build(root, Config(index_include=("archive/*.md",)))
    assert [Path(p).name for p in index.digest_paths()] == ["2026-01-09.md"]
    assert index.metadata_paths() == []


def test_metadata_files_setting_adds_a_file_with_another_name(tmp_path):
    root = copy_workspace(tmp_path)
    (root / JSONL).rename(root / "papers.ndjson")
    assert build(root).metadata_paths() == []
    index = build(root, Config(metadata_files=("papers.ndjson",)))
    assert [Path(p).name for p in index.metadata_paths()] == ["papers.ndjson"]


def test_hidden_and_vendor_folders_are_skipped(tmp_path):
    root = copy_workspace(tmp_path)
    for folder in (".git", "node_modules", ".cache"):
        (root / folder).mkdir()
        (root / folder / "copy.md").write_text((root / "2026-01-10.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert len(build(root).digest_paths()) == 3


def test_bad_files_are_skipped_with_one_log_line_each(tmp_path, caplog):
    root = copy_workspace(tmp_path)
    (root / "latin1.md").write_bytes("### [1] [Caf\xe9](https://arxiv.org/abs/2601.00999)\n".encode("latin-1"))
    huge = root / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    (root / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    index = WorkspaceIndex([root], Config(), None)
    with caplog.at_level(logging.INFO, logger="digest_ls.index"):
        report = index.scan()
        assert index.scan().skipped == 2  # a rescan does not log the same files again
    skipped = [record.getMessage() for record in caplog.records if record.name == "digest_ls.index"]
    assert report.skipped == 2
    assert len(skipped) == 2
    assert sum("latin1.md" in message for message in skipped) == 1
    assert sum("huge.md" in message for message in skipped) == 1


def test_a_file_that_vanishes_during_the_scan_is_skipped(tmp_path, monkeypatch):
    root = copy_workspace(tmp_path)
    from digest_ls.index import scanning as module

    real = module.read_text

    def vanishing(path):
        if path.name == "2026-01-11.md":
            path.unlink()
        return real(path)

    monkeypatch.setattr(module, "read_text", vanishing)  # read_record looks it up at call time
    index = WorkspaceIndex([root], Config(), None)
    report = index.scan()
    assert report.skipped == 1
    assert len(index.digest_paths()) == 2


def test_symlinks_inside_the_roots_are_followed_once_and_loops_end(tmp_path):
    root = copy_workspace(tmp_path)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "alias.md").symlink_to(root / "2026-01-10.md")
    index = build(root)
    assert len(index.digest_paths()) == 3  # the alias resolves to a file already indexed


def test_symlinks_out_of_the_roots_are_not_followed(tmp_path):
    root = copy_workspace(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text((root / "2026-01-10.md").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "escape.md").symlink_to(outside / "secret.md")
    index = build(root)
    assert all("outside" not in path for path in index.digest_paths())
    assert len(index.digest_paths()) == 3


def test_unsafe_roots_are_refused_with_one_message(tmp_path, monkeypatch):
    assert is_unsafe_root(Path("/"))
    assert is_unsafe_root(Path.home())
    assert not is_unsafe_root(WORKSPACE)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    index = WorkspaceIndex([tmp_path], Config(), None)
    first = index.scan()
    assert first.message and "only open documents" in first.message
    assert first.files == 0
    assert index.scan().message is None
    document = parse((WORKSPACE / "2026-01-10.md").read_text(encoding="utf-8"))
    index.set_open_document(tmp_path / "open.md", document)
    assert index.paper("2601.00102") is not None


# --- papers and merging ------------------------------------------------------------------------------------


def test_paper_merges_digests_and_fills_from_metadata():
    index = workspace_index()
    paper = index.paper("2601.00204")  # the digest entry has no TL;DR and no details
    assert paper.title == "Straggler-Aware Scheduling on Shared GPUs"
    assert paper.authors == ("Lin Zhou",)  # the digest's own list wins
    assert paper.tldr.startswith("Moves work away from slow GPU workers")
    assert paper.abstract.startswith("Shared GPU clusters")
    assert paper.categories == ("cs.DC", "cs.LG") and paper.category == "cs.DC"
    assert paper.metadata_path == fixture_path(JSONL)
    assert [(Path(o.path).name, o.number) for o in paper.occurrences] == [("2026-01-11.md", 2)]


def test_paper_lookup_ignores_versions_and_url_forms():
    index = workspace_index()
    assert index.paper("2601.00205v2").id == "2601.00205"  # the JSONL id carries a version
    assert index.paper("https://arxiv.org/abs/2601.00101").id == "2601.00101"
    assert index.paper("2601.09999") is None


def test_occurrences_are_ordered_by_path_then_line():
    index = workspace_index()
    found = [(Path(o.path).name, o.line) for o in index.occurrences("2601.00101")]
    assert found == [("2026-01-10.md", 12), ("2026-01-11.md", 12)]
    first = index.occurrences("2601.00101")[0]
    assert first.range.end_col == len("### [1] [Gossip Barriers for Elastic Parameter Servers](https://arxiv.org/abs/2601.00101)")


def test_a_paper_only_in_metadata_is_known():
    paper = workspace_index().paper("2601.00306")
    assert paper.occurrences == ()
    assert paper.authors == ("Åsa Lindqvist", "Tomás Ortega")


# --- authors -----------------------------------------------------------------------------------------------


def test_author_groups_spellings_and_prefers_the_most_frequent():
    author = workspace_index().author("jose garcia")
    assert author.name == "José García"
    assert dict(author.spellings) == {"José García": 4, "Jose Garcia": 1}
    assert author.papers == ("2601.00101", "2601.00103")


def test_papers_by_author_and_author_occurrences():
    index = workspace_index()
    assert [p.id for p in index.papers_by_author("Mei Tanaka")] == ["2601.00101", "2601.00102"]
    found = index.author_occurrences("JOSE GARCIA")
    assert {(Path(o.path).name, o.name) for o in found} == {
        ("2026-01-10.md", "José García"),
        ("2026-01-11.md", "Jose Garcia"),
        ("2026-01-09.md", "José García"),
    }
    mention = next(o for o in found if o.name == "Jose Garcia")
    assert mention.range.start_line == 13 and mention.range.start_col == 1
    assert mention.paper_id == "2601.00101"


def test_search_authors_is_fuzzy_and_diacritic_insensitive():
    index = workspace_index()
    hits, incomplete = index.search_authors("garcia", 5)
    assert hits[0].name == "José García" and not incomplete
    hits, _ = index.search_authors("tomas", 5)
    assert hits[0].name == "Tomás Ortega"
    hits, _ = index.search_authors("Adeyemy", 5)  # a typo
    assert hits[0].name == "Olu Adeyemi"


def test_search_authors_ranks_by_score_then_frequency_and_caps():
    index = workspace_index()
    hits, incomplete = index.search_authors("", 2)
    assert incomplete and len(hits) == 2
    assert hits[0].name == "José García"  # the most mentioned
    hits, _ = index.search_authors("a", 10)
    names = [(hit.name, hit.score) for hit in hits]
    # Whole-name prefixes first (the more frequent one first), then a later word's prefix.
    assert names[:3] == [("Anouk de Vries", 100.0), ("Åsa Lindqvist", 100.0), ("Olu Adeyemi", 95.0)]


# --- papers search and symbols ---------------------------------------------------------------------


def test_search_papers_by_title_words_and_id_prefix():
    index = workspace_index()
    hits, _ = index.search_papers("gossip barrier", 5)
    assert hits[0].paper.id == "2601.00101"
    hits, _ = index.search_papers("straggler shedule", 5)  # a typo
    assert hits[0].paper.id == "2601.00204"
    hits, incomplete = index.search_papers("2601.002", 2)
    assert [hit.paper.id for hit in hits] == ["2601.00205", "2601.00204"] and not incomplete
    hits, incomplete = index.search_papers("2601.00", 2)
    assert len(hits) == 2 and incomplete


def test_workspace_symbols_filters():
    index = workspace_index()
    symbols, _ = index.workspace_symbols("au:garcia", 50)
    assert {s.paper_id for s in symbols} == {"2601.00101", "2601.00103"}
    assert len(symbols) == 4  # one per listing
    symbols, _ = index.workspace_symbols("cat:cs.LG", 50)
    assert {s.paper_id for s in symbols} == {"2601.00204", "2601.00205"}
    symbols, _ = index.workspace_symbols("id:2601.001 checkpoint", 50)
    assert [s.paper_id for s in symbols] == ["2601.00102"]
    assert symbols[0].detail == "2601.00102 · Mei Tanaka" and symbols[0].container == "cs.DC"
    symbols, _ = index.workspace_symbols("verified markup", 50)
    assert symbols[0].path == fixture_path(JSONL) and symbols[0].range.start_line == 3
    symbols, incomplete = index.workspace_symbols("", 2)
    assert len(symbols) == 2 and incomplete


# --- open buffers and file events ---------------------------------------------------------------------


def test_open_buffer_overrides_disk_and_close_falls_back(tmp_path):
    root = copy_workspace(tmp_path)
    index = build(root)
    path = root / "2026-01-10.md"
    text = path.read_text(encoding="utf-8").replace("Checkpoint Compression", "Checkpoint Squeezing")
    index.set_open_document(path, parse(text))
    assert index.paper("2601.00102").title.startswith("Checkpoint Squeezing")
    assert index.is_open(path)
    assert index.document(path).lines == parse(text).lines
    hits, _ = index.search_papers("squeezing", 5)
    assert hits[0].paper.id == "2601.00102"
    index.close_document(path)
    assert index.paper("2601.00102").title.startswith("Checkpoint Compression")
    assert not index.is_open(path)


def test_file_events(tmp_path):
    root = copy_workspace(tmp_path)
    index = build(root)
    new = root / "2026-01-12.md"
    new.write_text((root / "2026-01-10.md").read_text(encoding="utf-8").replace("2601.00102", "2601.00777"), encoding="utf-8")
    index.file_changed(new)
    assert index.paper("2601.00777") is not None
    new.unlink()
    index.file_changed(new)  # a change event for a file that is gone
    assert index.paper("2601.00777") is None
    index.file_deleted(root / "2026-01-11.md")
    assert index.paper("2601.00204").occurrences == ()
    index.file_changed(root / "notes.txt")  # not wanted: ignored
    index.file_changed(tmp_path / "elsewhere.md")  # outside the roots: ignored


def test_an_open_buffer_survives_a_disk_change_event(tmp_path):
    root = copy_workspace(tmp_path)
    index = build(root)
    path = root / "2026-01-10.md"
    index.set_open_document(path, parse(path.read_text(encoding="utf-8").replace("Typed Holes", "Typed Gaps")))
    path.write_text(path.read_text(encoding="utf-8").replace("Typed Holes", "Typed Slots"), encoding="utf-8")
    index.file_changed(path)
    titles = {Path(o.path).name for o in index.occurrences("2601.00103")}
    assert "2026-01-10.md" in titles
    assert index.search_papers("typed gaps", 1)[0][0].paper.id == "2601.00103"
    index.close_document(path)
    assert index.search_papers("typed slots", 1)[0][0].paper.id == "2601.00103"


def test_concurrent_reads_while_buffers_change(tmp_path):
    root = copy_workspace(tmp_path)
    index = build(root)
    path = root / "2026-01-10.md"
    texts = [path.read_text(encoding="utf-8"), path.read_text(encoding="utf-8").replace("Mei Tanaka", "Mei Tanaka-Sato")]
    errors = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                index.search_authors("mei", 5)
                index.workspace_symbols("au:mei", 10)
                assert index.paper("2601.00102") is not None
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for round_number in range(60):
        index.set_open_document(path, parse(texts[round_number % 2]))
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []


# --- persistence ----------------------------------------------------------------------------------------


def test_a_restart_reads_unchanged_files_from_sqlite(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    first = WorkspaceIndex([root], Config(), cache)
    assert first.scan().parsed == 5
    first.close()
    assert database_path(cache, [root.resolve()]).is_file()
    second = WorkspaceIndex([root], Config(), cache)
    report = second.scan()
    assert (report.parsed, report.from_cache) == (0, 5)
    assert second.paper("2601.00204").tldr.startswith("Moves work")
    assert second.author("jose garcia").count == 5
    # A changed file is parsed again (size or mtime differ), the others still come from the cache.
    path = root / "2026-01-11.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = WorkspaceIndex([root], Config(), cache)
    assert (third.scan().parsed, third.scan().parsed) == (1, 0)


def test_a_cache_from_another_schema_or_garbage_is_rebuilt(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    database = database_path(cache, [root.resolve()])
    database.write_bytes(b"this is not sqlite" * 100)
    index = WorkspaceIndex([root], Config(), cache)
    assert index.scan().parsed == 5
    import sqlite3

    index.close()
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA user_version = 999")
    connection.commit()
    connection.close()
    again = WorkspaceIndex([root], Config(), cache)
    assert again.scan().parsed == 5


def test_deleted_files_leave_the_cache(tmp_path):
    root = copy_workspace(tmp_path)
    cache = tmp_path / "cache"
    WorkspaceIndex([root], Config(), cache).scan()
    (root / "archive" / "2026-01-09.md").unlink()
    index = WorkspaceIndex([root], Config(), cache)
    report = index.scan()
    assert report.files == 4 and report.from_cache == 4
    assert len(index.digest_paths()) == 2


def test_jsonl_records_with_form_feeds_and_line_separators_stay_whole(tmp_path):
    import json

    record = {
        "id": "2601.00901", "title": "A\u2028Title", "authors": ["A B"], "categories": ["cs.LG"],
        "summary": "uses \x0crac and \u2028 breaks",
    }
    (tmp_path / "papers.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    index = build(tmp_path)
    assert index.paper("2601.00901").abstract == "uses \x0crac and \u2028 breaks"


def test_metadata_spelling_half_a_surrogate_pair_is_indexed_and_cached(tmp_path):
    # `"\ud800"` is valid JSON but no UTF-8 text: it once failed the whole cold scan with a cache.
    root, cache = tmp_path / "ws", tmp_path / "cache"
    root.mkdir()
    line = '{"id": "2601.00001", "title": "Half \\ud800 and \\ud83d\\ude00 whole", "authors": ["A \\udc00"], "summary": "s", "categories": ["cs.CL"]}'
    (root / "2026-01-01_AI_enhanced_English.jsonl").write_text(line + "\n", encoding="utf-8")
    for _ in range(2):  # cold, then from the cache
        index = build(root, cache=cache)
        paper = index.paper("2601.00001")
        assert paper is not None and paper.title == "Half \ufffd and \U0001f600 whole"
        assert paper.authors == ("A \ufffd",)
        index.close()
