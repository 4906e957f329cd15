"""Hover cards on papers, authors, categories and rule codes; all digest text escaped."""

import re
from dataclasses import replace

from digest_ls.config import Config
from digest_ls.features.hover import hover
from digest_ls.parser.document import parse
from test_features_support import (
    CORPUS,
    corpus_index,
    fixture_document,
    fixture_path,
    marked,
    needs_corpus,
    small,
    span_text,
    workspace_index,
)

CONFIG = Config()


def card(document, line, col, index=None, config=CONFIG, path=None):
    return hover(document, line, col, workspace_index() if index is None else index, config, path)


def test_entry_heading_shows_the_paper():
    document, line, col = small("2601.00101)")
    result = card(document, line, col)
    assert span_text(document, result.range) == "https://arxiv.org/abs/2601.00101"
    text = result.markdown
    assert text.startswith("### Gossip Barriers for Elastic Parameter Servers")
    assert "`cs.DC` Distributed, Parallel, and Cluster Computing" in text
    assert "José García, Mei Tanaka, Olu Adeyemi" in text
    assert "[abs](https://arxiv.org/abs/2601.00101) · [PDF](https://arxiv.org/pdf/2601.00101)" in text
    assert "**TL;DR:** Replaces global barriers" in text
    assert "**Abstract:** Elastic training lets a job" in text
    assert "2026-01-10.md \\[1\\]](file://" in text and "2026-01-11.md \\[1\\]" in text


def test_the_title_also_shows_the_card_and_the_document_path_is_left_out():
    document = fixture_document("2026-01-10.md")
    result = card(document, 12, 15, path=fixture_path("2026-01-10.md"))
    assert result.range.start_col == 0  # the whole heading
    assert "2026-01-10.md" not in result.markdown
    assert "2026-01-11.md" in result.markdown


def test_metadata_fills_what_the_entry_lacks():
    document = fixture_document("2026-01-11.md")
    text = card(document, 35, 10).markdown
    assert "**TL;DR:** Moves work away from slow GPU workers" in text
    assert "**Abstract:** Shared GPU clusters run many jobs" in text
    assert "`cs.DC` Distributed, Parallel, and Cluster Computing · also `cs.LG`" in text


def test_any_arxiv_id_or_link_in_the_text():
    document, line, col = small("2601.00205 and")
    result = card(document, line, col)
    assert span_text(document, result.range) == "2601.00205"
    assert "Sparse Mixtures for Tabular Data" in result.markdown
    document, line, col = small("2601.00204v2")
    result = card(document, line, col + 3)
    assert span_text(document, result.range) == "2601.00204v2"
    assert "Straggler-Aware Scheduling" in result.markdown


def test_unknown_ids_and_no_index():
    document, line, col = marked("TL;DR: see arXiv:2602.0|0001 please\n")
    assert "not found" in card(document, line, col).markdown
    document, line, col = small("2601.00102)")
    offline = hover(document, line, col, None, CONFIG)
    assert offline.markdown.startswith("### A \\*Starred\\* Title with \\[Brackets\\]")


def test_long_author_lists_are_shortened_and_the_abstract_truncated():
    names = ",".join(f"Author {n}" for n in range(30))
    text = f"### [1] [T](https://arxiv.org/abs/2601.09999)\n*{names}*\n\nTL;DR: t\n\n<details>\nAbstract: {'word ' * 400}\n</details>\n"
    document = parse(text)
    result = hover(document, 0, 3, None, replace(CONFIG, hover_abstract_length=100))
    assert "Author 0, Author 1" in result.markdown
    assert "(+22 more, 30 authors)" in result.markdown
    abstract = result.markdown.split("**Abstract:** ")[1]
    assert len(abstract) <= 102 and abstract.endswith("…")


def test_markup_in_metadata_is_escaped():
    document, line, col = marked("See arXiv:2601.003|06.\n")
    text = card(document, line, col).markdown
    assert "\\<think\\> Tags \\& Other \\*Markup\\*" in text
    assert "\\[a\\](command:evil)" in text
    assert re.search(r"(?<!\\)\]\(command:", text) is None  # no live link to a command
    assert "\\$x^2\\$" in text


def test_author_hover_lists_their_papers_and_spellings():
    document = fixture_document("2026-01-11.md")
    result = card(document, 13, 3)
    assert span_text(document, result.range) == "Jose Garcia"
    assert result.markdown.startswith("**Jose Garcia** · 2 papers in the workspace")
    assert "Also spelled José García (4)" in result.markdown
    assert "- [Typed Holes for Notebook Cells](https://arxiv.org/abs/2601.00103) `2601.00103`" in result.markdown


def test_category_hover_on_toc_heading_and_field():
    for anchor in ("[cs.DC]", "# cs.DC", "Main category: cs.DC"):
        document, line, col = small(anchor)
        result = card(document, line, col + len(anchor) - 3)
        assert result.markdown.startswith("**cs.DC** — Distributed, Parallel, and Cluster Computing"), anchor
        assert "2 papers in this digest · 3 in the workspace" in result.markdown
    document, line, col = marked("### [1] [T](https://arxiv.org/abs/2601.00101)\n*A*\n\nMain category: cs.D|X\n")
    result = card(document, line, col)
    assert "is not an arXiv category" in result.markdown and "`cs.DC`" in result.markdown


def test_rule_code_in_a_suppression_comment():
    document, line, col = small("D215 -->")
    result = card(document, line, col + 1)
    assert span_text(document, result.range) == "D215"
    assert result.markdown.startswith("**D215 field-empty** (warning)")
    assert "Bad:" in result.markdown and "```markdown" in result.markdown


def test_nothing_to_show():
    document, line, col = small("Barriers stall")
    assert card(document, line, col) is None
    assert card(parse(""), 0, 0) is None


@needs_corpus
def test_corpus_hover_shows_the_abstract_from_the_jsonl():
    import json

    path = sorted(CORPUS.glob("*_AI_enhanced_Chinese.jsonl"))[0]
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    digest = path.with_name(path.name.split("_AI_")[0] + ".md")
    document = parse(digest.read_text(encoding="utf-8"))
    for _, start, entry in document.entry_blocks():
        if entry.arxiv_id == record["id"].split("v")[0]:
            break
    result = hover(document, start, 4, corpus_index(), CONFIG, str(digest))
    first_words = " ".join(record["summary"].split()[:4])
    assert first_words.replace("*", "\\*").replace("_", "\\_") in result.markdown.replace("\n", " ")
