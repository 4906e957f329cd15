"""Folding ranges, document links and selection ranges."""

from digest_ls.features.structure import document_links, folding_ranges, selection_ranges
from digest_ls.parser.document import parse
from test_features_support import SMALL, small, span_text


def test_folding_toc_sections_entries_and_details():
    document = parse(SMALL)
    folds = {(f.start_line, f.end_line) for f in folding_ranges(document)}
    lines = document.lines
    toc = lines.index("# Table of Contents")
    assert (toc, lines.index("- [cs.PL](#cs.PL) [Total: 1]")) in folds
    dc = lines.index("# cs.DC [[Back]](#toc)")
    assert (dc, lines.index("TL;DR: Short.")) in folds
    first = lines.index("### [1] [Gossip Barriers for Elastic Parameter Servers](https://arxiv.org/abs/2601.00101)")
    close = lines.index("</details>")
    assert (first, close) in folds
    assert (lines.index("<details>"), close) in folds
    pl = lines.index("# cs.PL [[Back]](#toc)")
    assert (pl, len(lines) - 2) in folds  # up to the last text line, not the trailing empty one


def test_folding_an_unclosed_details_block_and_a_non_digest():
    document = parse("### [1] [T](https://arxiv.org/abs/2601.00101)\n*A*\n\n<details>\n<summary>Details</summary>\nAbstract: x\ny\n")
    assert {(f.start_line, f.end_line) for f in folding_ranges(document)} == {(0, 6), (3, 6)}
    assert folding_ranges(parse("# Notes\n\ntext\n")) == []


def test_links_for_entries_text_and_anchors():
    document = parse(SMALL)
    links = document_links(document)
    urls = [(span_text(document, link.range), link.url) for link in links if link.url]
    assert ("https://arxiv.org/abs/2601.00101", "https://arxiv.org/abs/2601.00101") in urls
    assert ("2601.00205", "https://arxiv.org/abs/2601.00205") in urls  # arXiv:ID
    assert ("https://arxiv.org/pdf/2601.00204v2", "https://arxiv.org/pdf/2601.00204v2") in urls
    anchors = [(span_text(document, link.range), link.target_line) for link in links if link.target_line is not None]
    assert ("cs.PL", document.lines.index("# cs.PL [[Back]](#toc)")) in anchors
    assert ("toc", 0) in anchors
    assert all(link.url is None or link.url.startswith("https://") for link in links)


def test_heading_links_are_not_doubled_and_http_becomes_https():
    document = parse("### [1] [T](http://arxiv.org/abs/2601.00101)\n*A*\n\nTL;DR: x\n")
    (link,) = document_links(document)
    assert link.url == "https://arxiv.org/abs/2601.00101"


def test_selection_grows_from_word_to_document():
    document, line, col = small("Gossip.")
    (selection,) = selection_ranges(document, [(line, col + 2)])
    chain = []
    while selection is not None:
        chain.append(span_text(document, selection.range))
        selection = selection.parent
    assert chain[0] == "Gossip"
    assert chain[1] == "Method: Gossip."
    assert chain[2].startswith("### [1] [Gossip") and chain[2].endswith("</details>")
    assert chain[3].startswith("<div id='cs.DC'></div>") and chain[3].endswith("TL;DR: Short.")
    assert chain[4] == document.text  # SMALL ends with a newline: the last line is empty
    assert len(chain) == 5


def test_selection_in_a_multi_line_value_and_outside_entries():
    document, line, col = small("https://arxiv.org/pdf")
    (selection,) = selection_ranges(document, [(line, 0)])
    texts = []
    while selection is not None:
        texts.append(span_text(document, selection.range))
        selection = selection.parent
    assert texts[1].startswith("Elastic training") and texts[1].endswith("related work.")
    assert texts[2].startswith("Abstract: ")
    (selection,) = selection_ranges(document, [(2, 3)])
    assert span_text(document, selection.range) == "Table"
