"""Completion contexts: ids in links and after `arXiv:`, authors, categories, labels, the entry snippet."""

from dataclasses import replace

from digest_ls.config import Config
from digest_ls.features.completion import complete, resolve_paper_card
from digest_ls.model import Span
from test_features_support import CORPUS, SMALL, corpus_index, marked, needs_corpus, workspace_index

CONFIG = Config()
HEAD = "### [1] [T](https://arxiv.org/abs/2601.00101)\n"


def run(text, index=None, config=CONFIG):
    document, line, col = marked(text)
    return complete(document, line, col, workspace_index() if index is None else index, config), line, col


def test_ids_in_an_entry_heading_link():
    result, line, col = run("### [4] [New](https://arxiv.org/abs/2601.002|)\n")
    assert [item.label for item in result.items] == ["2601.00205", "2601.00204"]
    item = result.items[0]
    assert item.kind == "paper" and item.detail == "Sparse Mixtures for Tabular Data"
    assert item.replace_range == Span(line, len("### [4] [New](https://arxiv.org/abs/"), line, col)
    assert item.filter_text == "2601.002" and item.data == {"paper": "2601.00205"}
    assert not result.incomplete


def test_typing_title_words_finds_the_id_and_replaces_the_whole_token():
    result, line, _ = run("### [4] [New](https://arxiv.org/abs/gossip barr|ier)\n")
    assert result.items[0].label == "2601.00101"
    assert result.items[0].filter_text == "gossip barr"
    result, line, col = run("### [4] [New](https://arxiv.org/abs/|2601.00999)\n")
    assert result.items[0].replace_range == Span(line, col, line, col + len("2601.00999"))


def test_ids_after_arxiv_prefix_anywhere():
    result, line, col = run(HEAD + "*A*\n\nTL;DR: builds on arXiv:straggl|\n")
    assert result.items[0].label == "2601.00204"
    assert result.items[0].replace_range == Span(line, col - len("straggl"), line, col)


def test_paper_list_is_capped():
    result, _, _ = run("see arXiv:2601.00|\n", config=replace(CONFIG, completion_limit=2))
    assert len(result.items) == 2 and result.incomplete


def test_resolve_gives_the_paper_card():
    text = resolve_paper_card(workspace_index(), "2601.00204", CONFIG)
    assert text.startswith("### Straggler-Aware Scheduling on Shared GPUs")
    assert "**Abstract:** Shared GPU clusters" in text
    assert resolve_paper_card(workspace_index(), "2609.99999", CONFIG) is None


def test_authors_in_the_author_line():
    result, line, col = run(HEAD + "*Mei Tanaka,garc|*\n")
    first = result.items[0]
    assert first.label == "José García" and first.kind == "author"
    assert first.replace_range == Span(line, 12, line, col)
    assert first.filter_text == "garc"
    assert first.detail == "5 mentions in the workspace"


def test_author_completion_is_diacritic_insensitive_and_replaces_the_whole_name():
    result, line, col = run(HEAD + "*Mei Tanaka,asa lind|qvist,Ravi Iyer*\n")
    assert result.items[0].label == "Åsa Lindqvist"
    assert result.items[0].replace_range == Span(line, 12, line, col + len("qvist"))
    # Nothing typed, for a paper nobody lists: the most frequent first.
    result, line, col = run("### [1] [T](https://arxiv.org/abs/2612.99999)\n*Nobody Known,|*\n")
    assert result.items[0].label == "José García"
    assert result.items[0].replace_range == Span(line, len("*Nobody Known,"), line, col)


def test_categories_after_main_category():
    result, line, col = run(HEAD + "*A*\n\nMain category: cs.D|\n")
    labels = [item.label for item in result.items]
    assert labels[0] == "cs.DC" or "cs.DC" in labels[:5]
    item = next(i for i in result.items if i.label == "cs.DC")
    assert item.detail == "Distributed, Parallel, and Cluster Computing"
    assert item.insert_text == "cs.DC" and item.replace_range == Span(line, 15, line, col)
    result, _, _ = run(HEAD + "*A*\n\nMain category: quantum|\n")
    assert "quant-ph" in [item.label for item in result.items]


def test_categories_in_toc_items_and_section_headings():
    result, line, col = run("<div id=toc></div>\n\n# Table of Contents\n\n- [cs.P|\n")
    item = next(i for i in result.items if i.label == "cs.PL")
    assert item.insert_text == "cs.PL](#cs.PL) [Total: 0]"
    assert item.replace_range == Span(line, 3, line, col)
    result, _, _ = run("<div id=toc></div>\n\n# Table of Contents\n\n- [cs.P|](#cs.PL) [Total: 1]\n")
    assert next(i for i in result.items if i.label == "cs.PL").insert_text == "cs.PL"
    result, line, col = run("<div id='cs.LG'></div>\n\n# cs.L|\n")
    item = next(i for i in result.items if i.label == "cs.LG")
    assert item.insert_text == "cs.LG [[Back]](#toc)"


def test_field_labels_inside_and_before_details():
    result, _, _ = run(HEAD + "*A*\n\nMain category: cs.DC\n\n<details>\n  <summary>Details</summary>\nMotivation: m\n\nMe|\n</details>\n")
    assert [item.label for item in result.items] == ["Method:"]
    assert result.items[0].insert_text == "Method: "
    result, _, _ = run(HEAD + "*A*\n\nMain category: cs.DC\n\n<details>\n  <summary>Details</summary>\nMotivation: m\n\n|\n</details>\n")
    assert [item.label for item in result.items] == ["Method:", "Result:", "Conclusion:", "Abstract:", "Motivation:"]
    result, _, _ = run(HEAD + "*A*\n\n|\n")
    assert [item.label for item in result.items] == ["Main category:", "TL;DR:"]


def test_entry_snippet_with_the_next_number():
    result, line, col = run(SMALL + "\n###|\n")
    (item,) = result.items
    assert item.is_snippet and item.kind == "snippet"
    assert item.replace_range == Span(line, 0, line, 3)
    assert item.insert_text.startswith("### [4] [${1:Title}](https://arxiv.org/abs/${2:ID})\n*${3:Authors}*")
    assert "Main category: ${4:cs.PL}" in item.insert_text
    assert item.insert_text.endswith("</details>$0")


def test_first_entry_snippet_and_nothing_elsewhere():
    result, _, _ = run("<div id='cs.AI'></div>\n\n# cs.AI [[Back]](#toc)\n\n###|\n")
    assert result.items[0].insert_text.startswith("### [1] ")
    assert "${4:cs.AI}" in result.items[0].insert_text
    result, _, _ = run(HEAD + "*A*\n\nTL;DR: plain te|xt\n")
    assert result.items == () and not result.incomplete


def test_no_index_means_no_papers_or_authors_but_categories_still_work():
    document, line, col = marked(HEAD + "*Mei,|*\n")
    assert complete(document, line, col, None, CONFIG).items == ()
    document, line, col = marked(HEAD + "*A*\n\nMain category: cs.D|\n")
    assert complete(document, line, col, None, CONFIG).items


@needs_corpus
def test_corpus_author_completion_finds_authors_of_another_digest():
    import json

    path = sorted(CORPUS.glob("*_AI_enhanced_Chinese.jsonl"))[-1]
    author = json.loads(path.read_text(encoding="utf-8").splitlines()[0])["authors"][0]
    typed = author.split()[-1][:5]
    document, line, col = marked(HEAD + f"*Someone Else,{typed}|*\n")
    result = complete(document, line, col, corpus_index(), replace(CONFIG, completion_limit=200))
    assert author in [item.label for item in result.items]


# --- finding the name the user means -----------------------------------------------------------------

import pytest  # noqa: E402

from digest_ls.index import WorkspaceIndex  # noqa: E402
from test_features_support import copy_workspace  # noqa: E402

NEW_PAPER = "### [1] [New](https://arxiv.org/abs/2612.99999)\n"


def typed_in_buffer(root, text):
    """Complete at `|` in a buffer the index holds (as the server's open documents are)."""
    index = WorkspaceIndex([root], CONFIG, None)
    index.scan()
    path = root / "new.md"
    document, line, col = marked(text)
    index.set_open_document(path, document)
    return index, document, line, col, str(path)


def test_the_half_typed_name_is_never_offered(tmp_path):
    index, document, line, col, path = typed_in_buffer(copy_workspace(tmp_path), NEW_PAPER + "*Mei Tanaka,Jose Garc|*\n")
    labels = [item.label for item in complete(document, line, col, index, CONFIG, path).items]
    assert labels[0] == "José García" and "Jose Garc" not in labels
    # Told nothing of the buffer, the index counts the fragment as a name like any other.
    assert "Jose Garc" in [item.label for item in complete(document, line, col, index, CONFIG).items]


@pytest.mark.parametrize(
    "typed, wanted",
    [
        ("Jsoe Garcia", "José García"),  # two letters swapped
        ("Olu Adeymi", "Olu Adeyemi"),  # one dropped
        ("Ravvi Iyr", "Ravi Iyer"),  # one doubled, one dropped
        ("J. Garcia", "José García"),  # initials
        ("A de Vries", "Anouk de Vries"),
        ("Asa Lindq", "Åsa Lindqvist"),  # no diacritics, a prefix
        ("tomas ortega", "Tomás Ortega"),
    ],
)
def test_typos_initials_and_missing_diacritics_find_the_name(tmp_path, typed, wanted):
    index, document, line, col, path = typed_in_buffer(copy_workspace(tmp_path), NEW_PAPER + f"*Someone Else,{typed}|*\n")
    result = complete(document, line, col, index, CONFIG, path)
    assert result.items[0].label == wanted
    assert result.items[0].detail.endswith("in the workspace") and typed not in [item.label for item in result.items]


def test_the_papers_own_authors_come_first(tmp_path):
    # 2601.00204 is listed with Lin Zhou alone; its JSONL line adds Priya Natarajan (one mention).
    entry = "### [1] [Straggler-Aware Scheduling on Shared GPUs](https://arxiv.org/abs/2601.00204)\n*Lin Zhou,|*\n"
    index, document, line, col, path = typed_in_buffer(copy_workspace(tmp_path), entry)
    labels = [item.label for item in complete(document, line, col, index, CONFIG, path).items]
    assert labels[:2] == ["Lin Zhou", "Priya Natarajan"]
    assert labels.index("José García") > 1  # the most mentioned name comes after them


def test_names_of_the_same_digest_come_before_more_frequent_ones(tmp_path):
    # Anouk de Vries (2 mentions) and Åsa Lindqvist (1) both start with "a"; this digest names Åsa.
    text = NEW_PAPER + "*Åsa Lindqvist*\n\n### [2] [Other](https://arxiv.org/abs/2612.99998)\n*a|*\n"
    index, document, line, col, path = typed_in_buffer(copy_workspace(tmp_path), text)
    labels = [item.label for item in complete(document, line, col, index, CONFIG, path).items]
    assert labels[:2] == ["Åsa Lindqvist", "Anouk de Vries"]
    elsewhere = NEW_PAPER + "*a|*\n"  # a digest without either: the more frequent first
    index, document, line, col, path = typed_in_buffer(copy_workspace(tmp_path / "second"), elsewhere)
    labels = [item.label for item in complete(document, line, col, index, CONFIG, path).items]
    assert labels[:2] == ["Anouk de Vries", "Åsa Lindqvist"]


def test_an_id_only_the_heading_being_typed_lists_is_not_offered(tmp_path):
    from digest_ls.index import WorkspaceIndex
    from digest_ls.parser.document import parse

    digest = tmp_path / "2026-01-12.md"
    text = "### [1] [Draft](https://arxiv.org/abs/2601.00777)\n*A*\n"
    digest.write_text(text, encoding="utf-8")
    (tmp_path / "2026-01-11.md").write_text("### [1] [Other](https://arxiv.org/abs/2601.00778)\n*B*\n", encoding="utf-8")
    index = WorkspaceIndex([tmp_path], CONFIG, None)
    index.scan()
    document = parse(text)
    index.set_open_document(digest, document)
    col = len("### [1] [Draft](https://arxiv.org/abs/2601.0077")
    result = complete(document, 0, col, index, CONFIG, str(digest))
    assert [item.label for item in result.items] == ["2601.00778"]


def test_ids_of_the_sections_category_come_first(tmp_path):
    from digest_ls.index import WorkspaceIndex
    from digest_ls.parser.document import parse

    def entry(number, paper, category):
        return f"### [{number}] [Paper {paper}](https://arxiv.org/abs/{paper})\n*A*\n\nMain category: {category}\n\n"

    (tmp_path / "2026-01-11.md").write_text(entry(1, "2601.00901", "cs.DC") + entry(2, "2601.00902", "cs.PL"), encoding="utf-8")
    index = WorkspaceIndex([tmp_path], CONFIG, None)
    index.scan()
    text = "<div id='cs.DC'></div>\n\n# cs.DC [[Back]](#toc)\n\n### [1] [New](https://arxiv.org/abs/2601.009)\n*C*\n"
    document = parse(text)
    col = len("### [1] [New](https://arxiv.org/abs/2601.009")
    result = complete(document, 4, col, index, CONFIG, str(tmp_path / "2026-01-12.md"))
    # Newest first otherwise (2601.00902), but the cs.DC paper belongs to the section being written.
    assert [item.label for item in result.items] == ["2601.00901", "2601.00902"]
