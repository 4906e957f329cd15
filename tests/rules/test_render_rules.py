"""D305: text that a Markdown renderer takes for HTML and drops, with markdown-it-py as the judge."""

from __future__ import annotations

import pytest

from digest_ls.fixes import fix_all
from digest_ls.parser.document import parse
from digest_ls.rules import render_rules
from test_rules import digest, line_of, of, three


def swallowed(text: str) -> list[tuple[int, int, str]]:
    """(row, column, source text) of every D305 in the text."""
    lines = text.split("\n")
    found = []
    for d in of("D305", text):
        r = d.range
        piece = lines[r.start_line][r.start_col : r.end_col] if r.start_line == r.end_line else "\n".join(
            [lines[r.start_line][r.start_col :], lines[r.end_line][: r.end_col]]
        )
        found.append((r.start_line, r.start_col, piece))
    return found


def with_abstract(abstract: str, **changes) -> str:
    papers = three(**changes)
    papers[0].fields["Abstract"] = abstract
    return digest(*papers)


def test_model_tokens_in_a_title_and_a_tldr_are_reported_where_they_stand():
    text = digest(*three(title="Budgeted <think> Traces", tldr="The <answer> tag comes after <think> ends."))
    heading, tldr = line_of(text, "Budgeted"), line_of(text, "TL;DR: The")
    assert swallowed(text) == [
        (heading, 18, "<think>"),
        (tldr, 11, "<answer>"),
        (tldr, 36, "<think>"),
    ]
    (first, *_) = of("D305", text)
    assert first.paper == "2507.01234"
    assert first.message == "`<think>` is taken for an HTML tag: the rendered page does not show it"


@pytest.mark.parametrize(
    "tldr",
    [
        "Quoted as code: `<think>` and ``<answer>``.",
        r"Escaped: \<think> and &lt;think&gt; and &#60;answer&#62;.",
        "Allowed: x<sup>2</sup>, H<sub>2</sub>O, a <br> break, <a id='x'></a> and <img src='a.png'>.",
        "A comment <!-- checked by hand --> and <details><summary>More</summary></details>.",
        "Links <https://example.org/x> and <someone@example.org> are autolinks.",
        "Comparisons a<b, x <y, A<B, B<C and <human, verb, object> triplets are text.",
    ],
)
def test_text_that_renders_as_written_is_not_reported(tldr: str):
    assert swallowed(digest(*three(tldr=tldr))) == []


def test_only_the_occurrence_that_is_html_is_reported_when_the_same_tag_is_also_in_a_code_span():
    text = digest(*three(tldr="Strip each `<think>` block, then every raw <think> block."))
    row = line_of(text, "TL;DR: Strip")
    assert swallowed(text) == [(row, 50, "<think>")]
    (diagnostic,) = of("D305", text)
    # Backticks already on the line could pair with new ones: the fix escapes instead.
    assert diagnostic.fix.message == "Escape `<` as `&lt;`"


def test_a_tag_in_the_html_block_that_details_opens_is_reported_and_escaped():
    papers = three()
    papers[0].fields["Motivation"] = "Models write <think> traces first."
    text = digest(*papers)
    row = line_of(text, "Motivation: Models")
    assert swallowed(text) == [(row, 25, "<think>")]
    (diagnostic,) = of("D305", text)
    assert "part of an HTML block" in diagnostic.message
    assert diagnostic.fix.message == "Escape `<` as `&lt;`"  # backticks would show as they are there
    assert "Motivation: Models write &lt;think> traces first." in fix_all(parse(text))


def test_a_tag_over_two_lines_is_one_diagnostic_over_both():
    text = with_abstract("A learned <graph\ntoken> prefix per atom.")
    row = line_of(text, "A learned <graph")
    assert swallowed(text) == [(row, 20, "<graph\ntoken>")]
    (diagnostic,) = of("D305", text)
    assert diagnostic.message.startswith("`<graph token>` is taken")


def test_a_tag_inside_a_fenced_code_block_is_code():
    assert swallowed(with_abstract("Prompt:\n\n```\n<think>\n<answer>\n```\n\nThat is all.")) == []


def test_fixes_leave_every_tag_visible_and_are_stable():
    papers = three(title="Budgeted <think> Traces", tldr="A <graph token> prefix, see `<pad>`: <answer>.")
    papers[1].fields["Motivation"] = "Between <think> and </think>."
    text = digest(*papers)
    assert len(of("D305", text)) == 5  # not the `<pad>` in backticks
    fixed = fix_all(parse(text))
    assert of("D305", fixed) == []
    assert fix_all(parse(fixed)) == fixed
    assert "### [1] [Budgeted `<think>` Traces]" in fixed
    assert "TL;DR: A &lt;graph token> prefix, see `<pad>`: &lt;answer>." in fixed


def test_markdown_it_runs_only_on_entries_with_a_suspicious_angle_bracket(monkeypatch):
    text = digest(*three(tldr="Allowed: x<sup>2</sup>, a < b and <!-- a comment -->."))
    calls = []
    real = render_rules._markdown
    monkeypatch.setattr(render_rules, "_markdown", lambda: calls.append(1) or real())
    assert swallowed(text) == []
    assert calls == []
    assert swallowed(digest(*three(tldr="A <think> tag."))) != []
    assert calls


# --- a heading that an HTML block takes in ----------------------------------------------------


def test_a_heading_right_below_details_is_read_into_the_html_block():
    text = digest(*three()).replace("</details>\n\n\n### [2]", "</details>\n### [2]")
    row = line_of(text, "### [2]")
    (diagnostic,) = of("D305", text)
    assert (diagnostic.range.start_line, diagnostic.range.start_col) == (row, 0)
    assert diagnostic.paper == "2507.01301"
    assert "shows it as plain text" in diagnostic.message
    fixed = fix_all(parse(text))
    assert "</details>\n\n### [2]" in fixed and of("D305", fixed) == []


def test_a_section_heading_right_below_its_anchor_is_read_into_the_html_block():
    text = digest(*three()).replace("<div id='cs.PL'></div>\n\n# cs.PL", "<div id='cs.PL'></div>\n# cs.PL")
    assert [(d.range.start_line, d.paper) for d in of("D305", text)] == [(line_of(text, "# cs.PL"), None)]


@pytest.mark.parametrize(
    "before, after",
    [
        ("</details>\n\n\n<div id='cs.PL'>", "</details>\n<div id='cs.PL'>"),  # HTML under HTML renders as HTML
        ("The study is long.\n\n</details>\n\n\n### [2]", "The study is long.\n\n</details>\n\n### [2]"),
        ("It works on every benchmark we made up.\n\n", "It works on every benchmark we made up.\n### [9] [A](https://arxiv.org/abs/2507.09999)\n"),
    ],
)
def test_headings_that_stay_headings_are_not_reported(before: str, after: str):
    text = digest(*three())
    assert before in text
    assert of("D305", text.replace(before, after, 1)) == []


def test_the_html_block_is_followed_over_headings_when_no_blank_line_ends_it():
    text = digest(*three())
    first, second = text.index("### [1]"), text.index("### [2]")
    heading = text[first : text.index("\n", first) + 1]
    # The first entry without its blank lines, its heading twice (a heading with no `<` above it opens the run).
    squeezed = heading + "\n".join(line for line in text[first:second].split("\n") if line.strip()) + "\n"
    text = text[:first] + squeezed + text[second:]
    assert [d.range.start_line for d in of("D305", text)] == [line_of(text, "### [2]")]
