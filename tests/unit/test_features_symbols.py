"""Document symbols: TOC, sections (with paper counts), entries (`[N] Title`) and their fields."""

from digest_ls.features.symbols import document_symbols, flat_symbols
from conftest import FIXTURES
from digest_ls.parser.document import parse
from test_features_support import SMALL, span_text


def test_outline_of_a_digest():
    document = parse(SMALL)
    toc, dc, pl = document_symbols(document)
    assert (toc.name, toc.kind, toc.detail) == ("Table of Contents", "toc", "2 sections")
    assert [(c.name, c.detail) for c in toc.children] == [("cs.DC", "Total: 2"), ("cs.PL", "Total: 1")]
    assert (dc.name, dc.kind, dc.detail) == ("cs.DC", "section", "2 papers")
    assert (pl.detail) == "1 paper"
    first, second = dc.children
    assert first.name == "[1] Gossip Barriers for Elastic Parameter Servers"
    assert first.detail == "2601.00101 · José García"
    assert first.kind == "entry"
    assert second.name == "[2] A *Starred* Title with [Brackets]"
    assert [f.name for f in first.children] == ["Main category", "TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract"]
    assert first.children[1].detail == "Gossip instead of barriers."


def test_ranges_contain_selection_ranges_and_children():
    def contains(outer, inner):
        return (outer.start_line, outer.start_col) <= (inner.start_line, inner.start_col) and (
            inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col)

    document = parse(SMALL)

    def check(node):
        assert contains(node.range, node.selection_range), node.name
        for child in node.children:
            assert contains(node.range, child.range), child.name
            check(child)

    for node in document_symbols(document):
        check(node)
    dc = document_symbols(document)[1]
    assert span_text(document, dc.selection_range) == "cs.DC"
    assert span_text(document, dc.children[0].selection_range) == "Gossip Barriers for Elastic Parameter Servers"
    assert span_text(document, dc.children[0].children[0].selection_range) == "Main category:"


def test_flat_symbols_name_their_container():
    flat = flat_symbols(parse(SMALL))
    entry = next(s for s in flat if s.name.startswith("[3]"))
    assert entry.container == "cs.PL"
    field = next(s for s in flat if s.name == "TL;DR" and s.container == entry.name)
    assert field.kind == "field"


def test_entries_outside_sections_and_non_digests():
    loose = parse("### [1] [A](https://arxiv.org/abs/2601.00101)\n*X*\n\nTL;DR: t\n")
    (entry,) = document_symbols(loose)
    assert entry.kind == "entry" and entry.detail == "2601.00101 · X"
    assert document_symbols(parse("# Notes\n\nnothing here\n")) == []


def test_a_half_typed_entry_still_has_an_outline():
    document = parse(SMALL + "\n### [4] [Half\n")
    names = [child.name for child in document_symbols(document)[2].children]
    assert names[-1].startswith("[4] Half")


def test_reused_entry_nodes_equal_a_fresh_outline_after_edits():
    from digest_ls.features import symbols
    from digest_ls.parser.incremental import Change, apply_changes

    document = parse((FIXTURES / "digests" / "2026-01-05.md").read_text(encoding="utf-8"))
    symbols.document_symbols(document)
    for change in (Change("\n\n", (20, 0, 20, 0)), Change("x", (14, 12, 14, 12)), Change("", (30, 0, 33, 0))):
        document = apply_changes(document, [change])
        reused = symbols.document_symbols(document)
        symbols._ENTRY_NODES.clear()
        assert reused == symbols.document_symbols(document)
