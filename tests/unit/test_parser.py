"""The parser on marked-up snippets: every variant of DIGEST-FORMAT.md, exact spans, and non-digests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from digest_ls.lint import lint
from digest_ls.model import EntryBlock, Template
from digest_ls.parser.document import parse

CURRENT = """<div id=toc></div>

# Table of Contents

- [cs.PL](#cs.PL) [Total: 1]


<div id='cs.PL'></div>

# cs.PL [[Back]](#toc)

### [1] [Typed $\\lambda$ [Holes] (and more)](https://arxiv.org/abs/2601.00011v2)
*Zoë Müller,李雷,Ana-María O'Neil*

Main category: cs.PL

TL;DR: 一句话 😀 summary.


<details>
  <summary>Details</summary>
Motivation: Why.

Method: How,
over two lines.

Result: What.

Conclusion: So.

Abstract: First line of the abstract
Conclusion: this line belongs to the abstract.

</details>
"""


def only_entry(text: str) -> tuple:
    document = parse(text)
    (index, start, entry), = list(document.entry_blocks())
    return document, start, entry


def source_at(document, start: int, span) -> str:
    """The text a relative span covers (single-line spans)."""
    assert span.start_line == span.end_line
    return document.lines[start + span.start_line][span.start_col : span.end_col]


def test_current_template_entry_with_exact_spans():
    document, start, entry = only_entry(CURRENT)
    assert document.is_digest and document.template is Template.CURRENT
    heading = entry.heading
    assert heading.problems == ()
    assert heading.number.value == 1
    assert heading.title.text == "Typed $\\lambda$ [Holes] (and more)"
    assert source_at(document, start, heading.title.span) == heading.title.text
    assert source_at(document, start, heading.url.span) == "https://arxiv.org/abs/2601.00011v2"
    assert entry.arxiv_id == "2601.00011" and heading.link.id.version == 2
    names = entry.authors.names
    assert [n.text for n in names] == ["Zoë Müller", "李雷", "Ana-María O'Neil"]
    assert all(source_at(document, start, n.span) == n.text for n in names)
    assert entry.category.value == "cs.PL"
    assert source_at(document, start, entry.category.value_span) == "cs.PL"
    assert entry.tldr.value == "一句话 😀 summary."
    assert [f.label for f in entry.fields] == ["Main category", "TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract"]
    assert entry.field("Method").value == "How,\nover two lines."
    assert entry.field("Abstract").value.endswith("Conclusion: this line belongs to the abstract.")
    assert entry.details.summary.text == "Details" and entry.details.close is not None
    assert entry.stray == ()
    toc = document.blocks[document.toc.heading]
    assert [(i.category.text, i.anchor.text, i.total.value) for i in toc.toc_items] == [("cs.PL", "cs.PL", 1)]
    (section,) = document.sections
    assert section.category == "cs.PL" and section.anchor is not None and len(section.entries) == 1


def test_text_round_trips_exactly_including_crlf_and_missing_final_newline():
    for text in (CURRENT, CURRENT.replace("\n", "\r\n"), CURRENT.rstrip("\n"), "a\rb\r\nc"):
        assert parse(text).text == text
    assert parse(CURRENT.replace("\n", "\r\n")) .blocks == parse(CURRENT).blocks


def test_tldr_era():
    document = parse(CURRENT.replace("TL;DR:", "TLDR:"))
    entry = document.blocks[document.entries[0]]
    assert document.template is Template.TLDR
    assert entry.tldr.value == "一句话 😀 summary."


def test_bold_tldr_label_and_fork_fields():
    text = CURRENT.replace("TL;DR:", "**TL;DR**:").replace("Motivation:", "Background:")
    _, _, entry = only_entry(text)
    assert entry.tldr is not None and entry.tldr.label_text.text == "**TL;DR**:"
    assert entry.field("Background").value == "Why."


TASK = """### [A Task-Era Paper](https://arxiv.org/abs/2503.13531)
*Jin Kim,Taekho You*

Task: 分析绘画。

Motivation: 探索潜力。

<details>
  <summary>Details</summary>
Method: 使用模型。

Result: 成功。

Conclusion: 扩展分析。

Abstract: The rise of
multimodal AI.

</details>
"""

ABSTRACT_ONLY = """### [An Abstract-Only Paper](https://arxiv.org/abs/2503.11731)
*Xianming Zeng,Sicong Du*
<details>
  <summary>Abstract</summary>
Sensor simulation is pivotal.
Conclusion: still the abstract.
</details>

### [Second](https://arxiv.org/pdf/2503.11742)
*A, B*
<details>
  <summary>Abstract</summary>
Text.
</details>"""


def test_task_era_unnumbered():
    document, _, entry = only_entry(TASK)
    assert document.template is Template.TASK
    assert entry.heading.number is None and entry.heading.problems == ()
    task, motivation = entry.fields[0], entry.fields[1]
    assert (task.label, task.in_details, motivation.label, motivation.in_details) == ("Task", False, "Motivation", False)
    assert entry.field("Method").in_details
    assert entry.field("Abstract").value == "The rise of\nmultimodal AI."


def test_abstract_only_template_pdf_links_and_spaced_authors():
    document = parse(ABSTRACT_ONLY)
    assert document.template is Template.ABSTRACT_ONLY
    first, second = (document.blocks[i] for i in document.entries)
    assert first.field("Abstract").value == "Sensor simulation is pivotal.\nConclusion: still the abstract."
    assert second.heading.link.kind == "pdf" and second.arxiv_id == "2503.11742"
    assert [n.text for n in second.authors.names] == ["A", "B"]
    assert second.authors.separators == (", ",)
    assert document.lines[-1] == "</details>"  # no final newline


def test_star_inside_author_names_and_colon_author():
    text = CURRENT.replace("*Zoë Müller,李雷,Ana-María O'Neil*", "*NVIDIA,:,Jane *Doe*")
    _, _, entry = only_entry(text)
    assert [n.text for n in entry.authors.names] == ["NVIDIA", ":", "Jane *Doe"]
    assert entry.authors.closed


def test_forty_thousand_character_author_line():
    names = [f"Author Number{i}" for i in range(3303)]
    text = CURRENT.replace("*Zoë Müller,李雷,Ana-María O'Neil*", "*" + ",".join(names) + "*")
    document, start, entry = only_entry(text)
    assert len(document.lines[start + 1]) > 44_000
    assert len(entry.authors.names) == 3303
    last = entry.authors.names[-1]
    assert source_at(document, start, last.span) == "Author Number3302"


def test_control_characters_stay_in_values():
    text = CURRENT.replace("Method: How,", "Method: the \x0crac{a}{b} and \textsc ratio,")
    _, _, entry = only_entry(text)
    assert "\x0crac" in entry.field("Method").value and "\textsc" in entry.field("Method").value
    assert parse(text).text == text  # form feeds are not line breaks


def test_title_with_link_syntax_inside():
    _, _, entry = only_entry(CURRENT.replace("Typed $\\lambda$ [Holes] (and more)", "See [this](x) and <think> `code`"))
    assert entry.heading.title.text == "See [this](x) and <think> `code`"
    assert entry.arxiv_id == "2601.00011"


def test_half_typed_entries_are_still_entries():
    for heading, problem in (
        ("### [3] [Half a ti", "closed"),
        ("### [3] ", "no `[title](link)`"),
        ("###", "no `[title](link)`"),
        ("### [3] Title without link", "not a link"),
        ("### [3] [T](https://arxiv.org/abs/2501.00001", "closing"),
    ):
        document = parse(CURRENT.replace("### [1] [Typed $\\lambda$ [Holes] (and more)](https://arxiv.org/abs/2601.00011v2)", heading))
        entry = document.blocks[document.entries[0]]
        assert isinstance(entry, EntryBlock)
        assert any(problem in p for p in entry.heading.problems), (heading, entry.heading.problems)
        assert entry.authors is not None and entry.field("Abstract") is not None


def test_stray_text_and_unclosed_details():
    text = CURRENT.replace("Main category: cs.PL", "some pasted text\n\nMain category: cs.PL").replace("</details>\n", "")
    _, _, entry = only_entry(text)
    assert [s.text for s in entry.stray] == ["some pasted text"]
    assert entry.details.close is None


def test_comments_are_not_stray_text():
    text = CURRENT.replace("Main category: cs.PL", "<!-- digest-ls: disable D301 -->\nMain category: cs.PL")
    _, _, entry = only_entry(text)
    assert entry.stray == () and entry.comments[0].body == "digest-ls: disable D301"


def test_non_digests_are_recognised_and_left_alone():
    samples = [
        "",
        "\n\n",
        "# My project\n\nSome text.\n\n## Install\n\n```sh\npip install x\n```\n",
        "# Reading notes\n\n### Questions\n\nSee [a paper](https://arxiv.org/abs/2601.00011).\n",
        "## Papers of the week\n\n1. **Title** by A and B — https://arxiv.org/abs/2601.00011\n",
        "---\ntitle: blog\n---\n\n### [1] [Not arXiv](https://example.com/paper)\n\nText.\n",
    ]
    for text in samples:
        document = parse(text)
        assert not document.is_digest and document.template is Template.NONE, text
        assert lint(document).diagnostics == ()


@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=300))
def test_parsing_and_linting_never_raise_on_any_text(text):
    document = parse(text)
    assert document.text == text
    lint(document)


@given(st.lists(st.sampled_from(CURRENT.split("\n") + TASK.split("\n") + ["###", "#", "<div id=", "*", "</details>"]), max_size=60))
def test_any_arrangement_of_digest_lines_parses(lines):
    text = "\n".join(lines)
    document = parse(text)
    assert document.text == text
    lint(document)
