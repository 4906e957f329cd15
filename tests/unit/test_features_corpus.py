"""Every feature over real digests: no exception, and results that point into the document."""

from __future__ import annotations

import pytest

from digest_ls.config import Config
from digest_ls.features import completion, editing, hover, navigation, structure, symbols
from digest_ls.parser.document import parse
from test_features_support import CORPUS, corpus_index, needs_corpus

pytestmark = [needs_corpus]


def _sample() -> list:
    paths = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md") if CORPUS.is_dir() else []
    return paths[::9]  # every template era, a few files


@pytest.mark.parametrize("path", _sample(), ids=lambda p: p.name)
def test_features_on_a_real_digest(path):
    index = corpus_index()
    config = Config()
    document = parse(path.read_text(encoding="utf-8"))
    last = len(document.lines) - 1
    outline = symbols.document_symbols(document)
    assert outline
    for fold in structure.folding_ranges(document):
        assert 0 <= fold.start_line < fold.end_line <= last
    for link in structure.document_links(document):
        assert link.url is None or link.url.startswith("https://arxiv.org/")
    entries = list(document.entry_blocks())[::25]
    for _, start, entry in entries:
        card = hover.hover(document, start, 4, index, config, str(path))
        assert card is not None and card.range.start_line == start
        if entry.authors is not None and entry.authors.names and entry.authors.names[0].text:
            name = entry.authors.names[0]
            row = start + name.span.start_line
            assert hover.hover(document, row, name.span.start_col + 1, index, config, str(path)) is not None
            found = navigation.references(document, row, name.span.start_col + 1, index, str(path))
            assert any(location.path is None for location in found)
            result = completion.complete(document, row, name.span.end_col, index, config)
            assert name.text in [item.label for item in result.items] or result.incomplete
            assert editing.prepare_rename(document, row, name.span.start_col).kind == "author"
        assert navigation.definition(document, start, 4, index, str(path))
    (selection,) = structure.selection_ranges(document, [(entries[0][1] + 1, 2)])
    assert selection.range.start_line == entries[0][1] + 1
    editing.code_actions(document, document.blocks[0].span if hasattr(document.blocks[0], "span") else outline[0].range, [], index, config)
