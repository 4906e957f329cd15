"""Definition, references and document highlights."""

from pathlib import Path

from digest_ls.features.navigation import definition, document_highlight, references
from test_features_support import fixture_document, fixture_path, small, span_text, workspace_index


def test_toc_item_goes_to_its_section_heading():
    document, line, col = small("[cs.PL]")
    (location,) = definition(document, line, col + 2, None)
    assert location.path is None
    assert document.lines[location.range.start_line] == "# cs.PL [[Back]](#toc)"
    document, line, col = small("(#cs.PL)")
    assert definition(document, line, col + 3, None) == [location]


def test_main_category_and_anchor_go_to_the_section():
    document, line, col = small("Main category: cs.PL")
    (location,) = definition(document, line, col + 16, None)
    assert document.lines[location.range.start_line] == "# cs.PL [[Back]](#toc)"


def test_back_link_goes_to_the_toc():
    document, line, col = small("[[Back]]", occurrence=2)
    (location,) = definition(document, line, col + 3, None)
    assert location.range.start_line == 0 and span_text(document, location.range) == "<div id=toc></div>"


def test_arxiv_id_goes_to_its_first_occurrence_in_the_workspace():
    document = fixture_document("2026-01-11.md")
    (location,) = definition(document, 12, 70, workspace_index(), fixture_path("2026-01-11.md"))
    assert location.path == fixture_path("2026-01-10.md") and location.range.start_line == 12
    # A mention in text too, and the first listing may be in this very document.
    here = fixture_document("2026-01-10.md")
    (location,) = definition(here, 12, 70, workspace_index(), fixture_path("2026-01-10.md"))
    assert location.path is None and location.range.start_line == 12
    (location,) = definition(document, 50, 110, workspace_index(), fixture_path("2026-01-11.md"))
    assert location.path == fixture_path("2026-01-10.md") and location.range.start_line == 37


def test_references_of_a_paper_across_the_workspace():
    document = fixture_document("2026-01-10.md")
    path = fixture_path("2026-01-10.md")
    found = references(document, 66, 60, workspace_index(), path)
    # Workspace order is by path: ".../workspace/2026-01-10.md" sorts before ".../workspace/archive/...".
    assert [(Path(p).name if p else None, r.start_line) for p, r in found] == [(None, 66), ("2026-01-09.md", 11)]
    without = references(document, 66, 60, workspace_index(), path, include_declaration=False)
    assert len(without) == len(found) - 1


def test_references_of_an_author_include_other_spellings_and_files():
    document = fixture_document("2026-01-10.md")
    found = references(document, 13, 3, workspace_index(), fixture_path("2026-01-10.md"))
    own = [r for p, r in found if p is None]
    assert [span_text(document, r) for r in own] == ["José García", "José García"]
    others = {Path(p).name for p, _ in found if p is not None}
    assert others == {"2026-01-11.md", "2026-01-09.md"}


def test_references_of_a_category_within_the_file():
    document, line, col = small("# cs.DC")
    found = references(document, line, col + 3, None)
    assert [span_text(document, r) for _, r in found] == ["cs.DC"] * 6
    assert len(references(document, line, col + 3, None, include_declaration=False)) == 5


def test_highlights():
    document, line, col = small("José García")
    assert [span_text(document, h.range) for h in document_highlight(document, line, col + 1)] == ["José García"]
    document, line, col = small("Mei Tanaka")
    assert len(document_highlight(document, line, col + 1)) == 2
    document, line, col = small("2601.00205 and")
    assert len(document_highlight(document, line, col)) == 1
    document, line, col = small("Barriers stall")
    assert document_highlight(document, line, col) == []
