"""The aggregate tables: replacing a file's record must equal building from scratch."""

from __future__ import annotations

import random

from digest_ls.index.records import digest_record
from digest_ls.index.tables import Tables
from digest_ls.parser.document import parse
from test_features_support import SMALL, fixture_document, fixture_path


def _state(tables: Tables):
    return (
        tables.spellings,
        tables.author_papers,
        tables.author_paths,
        tables.category_papers,
        tables.listed_papers,
        {paper_id: {path: sorted(item.line for item in items) for path, items in per_path.items()} for paper_id, per_path in tables.by_id.items()},
    )


def _variants(seed: int) -> list[str]:
    rng = random.Random(seed)
    edits = [
        ("Mei Tanaka", "Mei Tanaka-Sato"),
        ("José García", "Jose Garcia"),
        ("Main category: cs.DC", "Main category: cs.LG"),
        ("TL;DR: Short.", "TL;DR: Short.\n\nextra line"),
        ("### [2]", "\n\n### [2]"),
        ("2601.00102", "2601.00999"),
        ("*Anouk de Vries*", "*Anouk de Vries,Mei Tanaka*"),
    ]
    texts = []
    for _ in range(12):
        text = SMALL
        for old, new in rng.sample(edits, rng.randint(0, len(edits))):
            text = text.replace(old, new, 1)
        texts.append(text)
    return texts


def test_replacing_a_record_equals_a_fresh_build():
    other = digest_record(fixture_path("2026-01-10.md"), fixture_document("2026-01-10.md"))
    for seed in range(5):
        incremental = Tables()
        incremental.put(other)
        for text in _variants(seed):
            incremental.put(digest_record("/buffer.md", parse(text)))
            fresh = Tables()
            fresh.put(other)
            fresh.put(digest_record("/buffer.md", parse(text)))
            assert _state(incremental) == _state(fresh)
            assert incremental.paper("2601.00101") == fresh.paper("2601.00101")


def test_removing_every_record_leaves_empty_tables():
    tables = Tables()
    tables.put(digest_record("/a.md", parse(SMALL)))
    tables.put(digest_record("/b.md", fixture_document("2026-01-11.md")))
    tables.remove("/a.md")
    tables.remove("/b.md")
    assert _state(tables) == ({}, {}, {}, {}, {}, {})


def test_search_lists_are_rebuilt_only_when_titles_or_names_change():
    tables = Tables()
    tables.put(digest_record("/a.md", parse(SMALL)))
    titles, names = tables.titles_generation, tables.names_generation
    tables.put(digest_record("/a.md", parse(SMALL.replace("TL;DR: Short.", "TL;DR: Longer now."))))
    assert (tables.titles_generation, tables.names_generation) == (titles, names)
    tables.put(digest_record("/a.md", parse(SMALL.replace("Typed Holes", "Typed Gaps"))))
    assert tables.titles_generation > titles
    tables.put(digest_record("/a.md", parse(SMALL.replace("Anouk de Vries", "Anouk de Vries,Nova Name"))))
    assert tables.names_generation > names


def test_a_keystroke_in_an_open_buffer_updates_only_its_entry_and_equals_a_fresh_build():
    from digest_ls.parser.incremental import Change, apply_changes

    other = digest_record(fixture_path("2026-01-10.md"), fixture_document("2026-01-10.md"))
    document = parse(SMALL)
    reuse: dict = {}
    incremental = Tables()
    incremental.put(other)
    incremental.put(digest_record("/buffer.md", document, reuse=reuse))
    lines = SMALL.split("\n")
    rng = random.Random(7)
    for _ in range(40):
        row = rng.randrange(len(lines))
        column = rng.randint(0, len(lines[row]))
        typed = rng.choice(["x", "é", ",", " ", "2601.00101"])
        lines[row] = lines[row][:column] + typed + lines[row][column:]
        document = apply_changes(document, [Change(typed, (row, column, row, column))])
        # Most keystrokes keep every other entry's record (the same object): `put` takes only the rest.
        incremental.put(digest_record("/buffer.md", document, reuse=reuse))
        fresh = Tables()
        fresh.put(other)
        fresh.put(digest_record("/buffer.md", parse("\n".join(lines))))
        assert _state(incremental) == _state(fresh)
        for paper_id in ("2601.00101", "2601.00102", "2601.00103"):
            assert incremental.paper(paper_id) == fresh.paper(paper_id)
