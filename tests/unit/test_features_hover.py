"""Hover cards on papers, authors, categories and rule codes; all digest text escaped."""

import re
from dataclasses import replace

from digest_ls.config import Config
from digest_ls.features.hover import hover
from digest_ls.features.markdown import escape_markdown, truncate
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


def test_entry_heading_shows_the_entry_as_the_buffer_has_it():
    document, line, col = small("2601.00101)")
    result = card(document, line, col)
    assert span_text(document, result.range) == "https://arxiv.org/abs/2601.00101"
    text = result.markdown
    assert text.startswith("### Gossip Barriers for Elastic Parameter Servers")
    assert "`cs.DC` Distributed, Parallel, and Cluster Computing" in text
    # The buffer's own author list and TL;DR, not those of the digests that also list the paper.
    assert "\n\nJosé García, Mei Tanaka\n\n" in text
    assert "[abs](https://arxiv.org/abs/2601.00101) · [PDF](https://arxiv.org/pdf/2601.00101)" in text
    assert "**TL;DR:** Gossip instead of barriers." in text
    assert "**Abstract:** Elastic training, see" in text
    # The other days are listed with what they say differently.
    other_days = text.split("**Also listed on**\n")[1].splitlines()
    assert [day.split("](")[0] for day in other_days] == ["- [2026-01-11.md \\[1\\]", "- [2026-01-10.md \\[1\\]"]
    assert all(day.endswith("): TL;DR Replaces global barriers with gossip rounds so that parameter servers can grow and shrink during training.") for day in other_days)


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


# --- one listing on the card, the other days beside it -----------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from digest_ls.features.hover import MAX_OTHER_DAYS, paper_card  # noqa: E402
from digest_ls.features.markdown import plain_text  # noqa: E402
from digest_ls.index import WorkspaceIndex  # noqa: E402


def _digest(title: str, link_id: str, tldr: str, extra: str = "") -> str:
    return (
        "<div id=toc></div>\n\n# Table of Contents\n\n- [cs.LG](#cs.LG) [Total: 1]\n\n\n"
        "<div id='cs.LG'></div>\n\n# cs.LG [[Back]](#toc)\n\n"
        f"### [1] [{title}](https://arxiv.org/abs/{link_id})\n*Ada Lovelace,Alan Turing*\n\n"
        f"Main category: cs.LG\n\nTL;DR: {tldr}\n{extra}"
    )


def _three_days(root: Path) -> WorkspaceIndex:
    (root / "2026-02-01.md").write_text(_digest("Old Title", "2602.00001v1", "First summary."), encoding="utf-8")
    (root / "2026-02-02.md").write_text(_digest("New Title", "2602.00001v2", "Second summary."), encoding="utf-8")
    (root / "2026-02-03.md").write_text(_digest("New Title", "2602.00001v2", "Second summary."), encoding="utf-8")
    record = {
        "id": "2602.00001", "title": "New Title", "authors": ["Ada Lovelace", "Alan Turing"],
        "summary": "An abstract only the metadata has.", "categories": ["cs.LG", "stat.ML"],
        "AI": {"tldr": "The metadata's summary."},
    }
    (root / "2026-02-03_AI_enhanced_English.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (root / "notes.md").write_text(_digest("Unrelated", "2602.00777", "Builds on arXiv:2602.00001 directly."), encoding="utf-8")
    index = WorkspaceIndex([root], CONFIG, None)
    index.scan()
    return index


def _other_days(markdown: str) -> list[str]:
    return plain_text(markdown).split("Also listed on\n\n")[1].splitlines()


def test_the_heading_card_is_the_buffer_entry_and_the_other_days_say_what_differs(tmp_path):
    index = _three_days(tmp_path)
    path = tmp_path / "2026-02-03.md"
    document = parse(path.read_text(encoding="utf-8").replace("Second summary.", "Edited in the buffer."))
    index.set_open_document(path, document)
    line = document.lines.index(next(l for l in document.lines if l.startswith("### [1]")))
    markdown = hover(document, line, 4, index, CONFIG, str(path)).markdown
    assert "**TL;DR:** Edited in the buffer." in markdown
    assert "First summary" not in markdown.split("**Also listed on**")[0]  # no other day's text mixed in
    assert "**Abstract:** An abstract only the metadata has." in markdown  # what the entry lacks, same day
    assert "`2602.00001v2` · `cs.LG` Machine Learning · also `stat.ML`" in markdown
    assert _other_days(markdown) == [
        "- 2026-02-02.md [1]: TL;DR Second summary.",
        "- 2026-02-01.md [1]: title Old Title · v1 · TL;DR First summary.",
    ]


def test_a_mention_elsewhere_shows_the_most_recent_listing(tmp_path):
    index = _three_days(tmp_path)
    path = tmp_path / "notes.md"
    document = parse(path.read_text(encoding="utf-8"))
    line = next(number for number, text in enumerate(document.lines) if "arXiv:2602.00001" in text)
    col = document.lines[line].index("2602.00001")
    markdown = hover(document, line, col, index, CONFIG, str(path)).markdown
    assert "**TL;DR:** Second summary." in markdown
    assert "From [2026-02-03.md \\[1\\]](file://" in markdown
    assert _other_days(markdown) == [
        "- 2026-02-02.md [1]: same title, version and TL;DR",
        "- 2026-02-01.md [1]: title Old Title · v1 · TL;DR First summary.",
    ]
    # Completion documentation of the id is the same card.
    assert paper_card("2602.00001", index, CONFIG) == markdown


def test_a_paper_only_in_metadata_is_carded_from_it(tmp_path):
    index = _three_days(tmp_path)
    (tmp_path / "2026-02-01.md").unlink()
    (tmp_path / "2026-02-02.md").unlink()
    (tmp_path / "2026-02-03.md").unlink()
    index.scan()
    markdown = paper_card("2602.00001", index, CONFIG)
    assert markdown.startswith("### New Title") and "**TL;DR:** The metadata's summary." in markdown
    assert "From 2026-02-03_AI_enhanced_English.jsonl:1" in plain_text(markdown) and "Also listed on" not in markdown


@needs_corpus
def test_corpus_heading_cards_show_their_own_entry_and_every_other_day():
    index = corpus_index()
    checked = 0
    for path in sorted(CORPUS.glob("202[56]-0[1-3]-*.md")):  # days that repeat the day before
        document = parse(path.read_text(encoding="utf-8"))
        for _, start, entry in document.entry_blocks():
            if entry.arxiv_id is None or entry.tldr is None:
                continue
            here = str(path.resolve())  # the index keys files by their real path
            elsewhere = [item for item in index.listings(entry.arxiv_id) if item.kind == "digest" and item.path != here]
            if not elsewhere:
                continue
            markdown = hover(document, start, 4, index, CONFIG, str(path)).markdown
            own = escape_markdown(truncate(entry.tldr.value, max(CONFIG.hover_abstract_length, 200)))
            assert f"**TL;DR:** {own}" in markdown
            days = _other_days(markdown)
            assert len(days) == min(len(elsewhere), MAX_OTHER_DAYS) + (len(elsewhere) > MAX_OTHER_DAYS)
            for item, day in zip(elsewhere, days):
                assert day.startswith(f"- {Path(item.path).name} [{item.number}]: ")
            checked += 1
    assert checked >= 20
