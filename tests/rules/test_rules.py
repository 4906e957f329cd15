"""Snippet tests for the rules' edge cases: small digests built in code, checked rule by rule.

The fixtures (`test_rule_fixtures.py`) show each rule once; these pin down
the cases that real digests throw at the rules: other line terminators,
astral characters, older templates, huge author lines, refusals, and the
configuration and suppression machinery around the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from digest_ls.config import Config, config_from_mapping
from digest_ls.fixes import apply_edits, fix_all
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.parser.incremental import Change, apply_changes

# --- building digests ------------------------------------------------------------


@dataclass
class Paper:
    arxiv: str
    title: str = "A Study of Invented Systems"
    authors: str = "Maren Holt,Ishaan Varma"
    category: str = "cs.DC"
    tldr: str = "An invented system is studied and found adequate."
    fields: dict = field(
        default_factory=lambda: {
            "Motivation": "Systems are invented every day.",
            "Method": "We invent one more and measure it.",
            "Result": "It works on every benchmark we made up.",
            "Conclusion": "Invention remains a viable method.",
            "Abstract": "We invent a system and study it.\nThe study is long.",
        }
    )
    before: str = ""  # lines inserted right before the heading


def entry_text(number: int, paper: Paper) -> str:
    body = "\n\n".join(f"{label}: {value}" for label, value in paper.fields.items())
    return (
        f"{paper.before}### [{number}] [{paper.title}](https://arxiv.org/abs/{paper.arxiv})\n"
        f"*{paper.authors}*\n\nMain category: {paper.category}\n\nTL;DR: {paper.tldr}\n\n\n"
        f"<details>\n  <summary>Details</summary>\n{body}\n\n</details>\n\n\n"
    )


def digest(*papers: Paper) -> str:
    """A current-template digest with one section per category, in order of first appearance."""
    sections: dict[str, list[Paper]] = {}
    for paper in papers:
        sections.setdefault(paper.category, []).append(paper)
    toc = "".join(f"- [{cat}](#{cat}) [Total: {len(items)}]\n" for cat, items in sections.items())
    text = f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n\n"
    number = 0
    for cat, items in sections.items():
        text += f"<div id='{cat}'></div>\n\n# {cat} [[Back]](#toc)\n\n"
        for paper in items:
            number += 1
            text += entry_text(number, paper)
    return text.rstrip("\n") + "\n"


def three(**changes) -> list[Paper]:
    papers = [Paper("2507.01234"), Paper("2507.01301"), Paper("2507.01422", category="cs.PL")]
    for name, value in changes.items():
        setattr(papers[0], name, value)
    return papers


def diagnostics(text: str, config: Config = Config()):
    return lint(parse(text), config).diagnostics


def codes(text: str, config: Config = Config()) -> list[str]:
    return [d.code for d in diagnostics(text, config)]


def of(code: str, text: str, config: Config = Config()):
    return [d for d in diagnostics(text, config) if d.code == code]


def line_of(text: str, needle: str) -> int:
    """0-based row of the first line containing `needle`."""
    for row, line in enumerate(text.splitlines()):
        if needle in line:
            return row
    raise AssertionError(f"{needle!r} not in text")


def configured(**values) -> Config:
    return config_from_mapping(values, "test")


def test_the_builder_makes_a_clean_digest():
    assert codes(digest(*three())) == []


# --- line terminators and characters -----------------------------------------------


def test_crlf_file_is_checked_like_lf_and_fixes_keep_crlf():
    lf = digest(*three(authors="Maren Holt,,Ishaan Varma")).replace("[Total: 2]", "[Total: 5]")
    lf = lf.replace("Main category: cs.PL", "Main category: cs.PL  ")
    crlf = lf.replace("\n", "\r\n")
    expected = [(d.code, d.range, d.message) for d in diagnostics(lf)]
    assert {code for code, _, _ in expected} == {"D102", "D207", "D304"}
    assert [(d.code, d.range, d.message) for d in diagnostics(crlf)] == expected

    fixed = fix_all(parse(crlf))
    assert fixed == fix_all(parse(lf)).replace("\n", "\r\n")
    assert "\n" not in fixed.replace("\r\n", "")
    assert codes(fixed) == []


def test_crlf_fix_that_inserts_lines_uses_crlf():
    text = digest(*three()).replace("Main category: cs.DC\n\nTL;DR: An", "TL;DR: An", 1).replace("\n", "\r\n")
    assert codes(text) == ["D208"]
    fixed = fix_all(parse(text))
    assert "\r\nMain category: cs.DC\r\n" in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_missing_final_newline_fix_uses_the_files_terminator():
    text = digest(*three()).replace("\n", "\r\n").rstrip("\r\n")
    (missing,) = of("D304", text)
    assert "end of the file" in missing.message
    assert fix_all(parse(text)).endswith("</details>\r\n")


def test_columns_count_code_points_on_emoji_and_cjk_lines():
    title = "🚀 Scheduling 調度 for 👩‍🔬 Labs"
    tldr = "用𝔸🚀调度器分担负载 with a gossip protocol."
    papers = three(title=title, tldr=tldr + "  ")
    papers[2].arxiv = "2507.01234"  # a duplicate, reported at the URL of the third entry
    papers[2].title = title
    text = digest(*papers)
    (trailing,) = of("D304", text)
    row = line_of(text, "TL;DR: 用")
    assert (trailing.range.start_line, trailing.range.start_col) == (row, len("TL;DR: " + tldr))
    (duplicate,) = of("D205", text)
    heading = text.splitlines()[duplicate.range.start_line]
    assert duplicate.range.start_col == heading.index("https://")  # str indices are code points
    assert duplicate.range.start_col == len(f"### [3] [{title}](")


def test_emoji_joiners_are_not_invisible_characters():
    # U+200D joins 👩 and 🔬 into one emoji; removing it would break the title.
    text = digest(*three(title="Labs for 👩‍🔬 and 👨‍👩‍👧"))
    assert codes(text) == []


def test_invisible_and_tab_characters_are_repaired():
    text = digest(*three(tldr="A\u200b gossip\tProtocol.\u00ad"))
    found = of("D304", text)
    assert [d.message for d in found] == ["invisible character U+200B", "tab character"]  # by column
    fixed = fix_all(parse(text))
    assert "TL;DR: A gossip Protocol.\n" in fixed
    assert codes(fixed) == []


def test_control_characters_from_eaten_latex_escapes():
    abstract = "We bound \x0crac{1}{n} and \theta by \x08eta in \x1b."
    papers = three()
    papers[1].fields = dict(papers[1].fields, Abstract=abstract)
    text = digest(*papers)
    (found,) = of("D302", text)
    assert "form feed" in found.message and "(4 on this line)" in found.message
    assert found.range.start_col == len("Abstract: We bound ")
    assert of("D304", text) == []  # `\t` before letters is the eaten `\theta`, not a tab to replace


# --- templates ---------------------------------------------------------------------


TASK_ERA = """### [Invented Schedulers](https://arxiv.org/abs/2503.01234)
*Maren Holt,Ishaan Varma*

Task: Schedule invented jobs.

Motivation: Jobs wait too long.

<details>
  <summary>Details</summary>
Method: Gossip.

Result: Shorter waits.

Conclusion: Gossip helps.

Abstract: We schedule jobs by gossip.

</details>

### [Invented Checkpoints](https://arxiv.org/abs/2503.01301)
*Tomasz Wrona*

Task: Shrink checkpoints.

Motivation: Recovery is slow.

<details>
  <summary>Details</summary>
Method: Deltas.

Result: Smaller checkpoints.

Conclusion: Deltas help.

Abstract: We encode checkpoints as deltas.

</details>
"""


def test_task_era_has_no_tldr_or_category_errors():
    assert codes(TASK_ERA) == ["D109"]


def test_tldr_era_label_counts_as_a_tldr():
    text = digest(*three()).replace("TL;DR:", "TLDR:")
    assert codes(text) == ["D109"]
    assert "`TLDR:`" in of("D109", text)[0].message


def test_tldr_era_entry_without_any_summary_still_reports_it():
    text = digest(*three()).replace("TL;DR:", "TLDR:").replace("TLDR: An invented system is studied and found adequate.\n\n", "", 1)
    assert codes(text) == ["D109", "D211"]


def test_abstract_only_template_needs_only_the_abstract():
    text = """### [Invented Schedulers](https://arxiv.org/abs/2503.01234)
*Maren Holt,Ishaan Varma*

<details>
  <summary>Abstract</summary>
We schedule jobs by gossip.
Conclusion: this line is abstract text, not a field.
</details>
"""
    assert codes(text) == ["D109"]
    assert codes(text.replace("We schedule jobs by gossip.\nConclusion: this line is abstract text, not a field.\n", "")) == [
        "D109",
        "D214",
    ]


def test_abstract_lines_that_start_with_a_label_are_abstract_text():
    papers = three()
    papers[0].fields = dict(
        papers[0].fields, Abstract="We study gossip.\nConclusion: gossip scales.\nMethod: none of this is a field."
    )
    text = digest(*papers)
    assert codes(text) == []
    (entry,) = [e for _, _, e in parse(text).entry_blocks() if e.arxiv_id == "2507.01234"]
    assert entry.field("Abstract").value.endswith("Method: none of this is a field.")
    assert entry.field("Conclusion").value == "Invention remains a viable method."


def test_a_file_that_is_not_a_digest_gets_no_diagnostic():
    assert codes("# Notes\n\n### Things to read\n\n- a paper   \n\tindented\n") == []


# --- authors -----------------------------------------------------------------------


def test_comma_space_separators_used_consistently_are_fine():
    papers = three(authors="Maren Holt, Ishaan Varma, Lucía Ferreira")
    papers[1].authors = "Tomasz Wrona, Aiko Mbeki"
    papers[2].authors = "Noor Haddad, Felix Brandt"
    assert codes(digest(*papers)) == []


def test_a_separator_unlike_the_rest_of_the_file_is_reported_and_repaired():
    papers = three(authors="Maren Holt, Ishaan Varma")
    text = digest(*papers)
    (found,) = of("D207", text)
    assert found.range.start_line == line_of(text, "*Maren Holt, Ishaan Varma*")
    assert "the rest of the file uses `,`" in found.message
    assert "*Maren Holt,Ishaan Varma*" in fix_all(parse(text))


def test_mixed_separators_inside_one_entry_are_reported_even_alone():
    papers = three(authors="Maren Holt, Ishaan Varma,Lucía Ferreira")
    for paper in papers[1:]:
        paper.authors = "Tomasz Wrona"  # single authors: no separator to learn from
    (found,) = of("D207", digest(*papers))
    assert "mixed separators" in found.message


def test_colon_as_an_author_joins_the_name_before_it():
    text = digest(*three(authors="NVIDIA,:,Maren Holt,Ishaan Varma"))
    (found,) = of("D207", text)
    assert "`:` as a name" in found.message
    fixed = fix_all(parse(text))
    assert "*NVIDIA:,Maren Holt,Ishaan Varma*" in fixed  # no character of the list is lost
    assert codes(fixed) == []


@pytest.mark.parametrize(
    ("authors", "problem", "repaired"),
    [
        ("Maren Holt,,Ishaan Varma", "a doubled comma", "Maren Holt,Ishaan Varma"),
        ("Maren Holt,Ishaan Varma,", "a trailing comma", "Maren Holt,Ishaan Varma"),
        (",Maren Holt,Ishaan Varma", "a leading comma", "Maren Holt,Ishaan Varma"),
        (" Maren Holt,Ishaan Varma", "stray spaces", "Maren Holt,Ishaan Varma"),
        ("Maren Holt ,Ishaan Varma", "stray spaces", "Maren Holt,Ishaan Varma"),
        ("Maren Holt,  Ishaan Varma", "stray spaces", "Maren Holt,Ishaan Varma"),
    ],
)
def test_malformed_author_lists(authors: str, problem: str, repaired: str):
    text = digest(*three(authors=authors))
    (found,) = of("D207", text)
    assert problem in found.message
    assert found.fix is not None
    assert f"*{repaired}*\n" in fix_all(parse(text))


def test_an_author_line_of_three_thousand_names():
    names = ",".join(f"Author{index} Surname{index}" for index in range(3000))
    text = digest(*three(authors=names))
    assert codes(text) == []
    (entry,) = [e for _, _, e in parse(text).entry_blocks() if e.arxiv_id == "2507.01234"]
    assert len(entry.authors.names) == 3000
    broken = digest(*three(authors=names + ",,Last Author"))
    (found,) = of("D207", broken)
    assert "a doubled comma" in found.message
    assert fix_all(parse(broken)).count(",,") == 0


def test_asterisks_inside_names_are_not_malformed():
    # Equal-contribution marks: `*Maren Holt*,Ishaan Varma**` renders as emphasis with the stars kept inside.
    text = digest(*three(authors="Maren Holt*,Ishaan Varma*"))
    assert codes(text) == []
    (entry,) = [e for _, _, e in parse(text).entry_blocks() if e.arxiv_id == "2507.01234"]
    assert [name.text for name in entry.authors.names] == ["Maren Holt*", "Ishaan Varma*"]


def test_missing_author_line():
    text = digest(*three(authors="")).replace("\n**\n", "\n", 1)
    assert codes(text) == ["D206"]


# --- placeholders ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Summary generation failed",
        "Motivation analysis unavailable",
        "Method extraction failed",
        "Result analysis unavailable",
        "Conclusion extraction failed",
        "Error",
        "N/A",
        "n/a.",
        "None",
        "I'm sorry, but I cannot summarise this paper.",
        "I apologize, the abstract is missing.",
        "As an AI language model, I cannot read PDFs.",
        "抱歉，我无法总结这篇论文。",
    ],
)
def test_placeholders_are_reported(value: str):
    papers = three()
    papers[1].fields = dict(papers[1].fields, Method=value)
    text = digest(*papers)
    (found,) = of("D301", text)
    assert found.range.start_line == line_of(text, f"Method: {value}")
    assert found.range.start_col == len("Method: ")
    assert found.paper == "2507.01301"


@pytest.mark.parametrize(
    "value",
    ["None of the baselines converge.", "Error analysis of compilers.", "N/A values are imputed.", "Sorry-free scheduling."],
)
def test_values_that_only_start_like_placeholders_are_not_reported(value: str):
    assert of("D301", digest(*three(tldr=value))) == []


def test_extra_placeholders_from_the_configuration():
    text = digest(*three(tldr="Pending review."))
    assert of("D301", text) == []
    (found,) = of("D301", text, configured(extra_placeholders=["pending review"]))
    assert "`Pending review.`" in found.message


def test_placeholder_in_a_task_era_field():
    assert codes(TASK_ERA.replace("Task: Shrink checkpoints.", "Task: Error")) == ["D109", "D301"]


# --- document rules ------------------------------------------------------------------


def test_duplicate_versions_and_old_style_ids_are_one_paper():
    papers = three()
    papers[1].arxiv = "2507.01234v3"
    text = digest(*papers)
    (duplicate,) = of("D205", text)
    assert duplicate.related[0].range.start_line == line_of(text, "2507.01234)")
    old = three()
    old[0].arxiv, old[1].arxiv = "math.GT/0309136", "math/0309136"
    assert len(of("D205", digest(*old))) == 1


def test_duplicate_sections_keep_the_toc_order_of_their_first_occurrence():
    papers = [Paper("2507.01234"), Paper("2507.01422", category="cs.PL"), Paper("2507.01301")]
    text = digest(papers[0], papers[1])
    text = text + "\n\n<div id='cs.DC'></div>\n\n# cs.DC [[Back]](#toc)\n\n" + entry_text(3, papers[2])
    assert codes(text) == ["D107"]


def test_missing_toc_item_is_inserted_in_section_order():
    text = digest(*three(), Paper("2507.01500", category="cs.AR"))
    text = text.replace("- [cs.DC](#cs.DC) [Total: 2]\n", "")
    assert codes(text) == ["D104"]
    fixed = fix_all(parse(text))
    assert "- [cs.DC](#cs.DC) [Total: 2]\n- [cs.PL](#cs.PL) [Total: 1]\n- [cs.AR](#cs.AR) [Total: 1]\n" in fixed
    assert codes(fixed) == []


def test_renumbering_reports_every_entry_after_a_gap():
    text = digest(*three(), Paper("2507.01500", category="cs.PL")).replace("### [2]", "### [9]")
    assert [d.message for d in of("D202", text)] == ["entry [9] should be [2]"]
    deleted = digest(*three(), Paper("2507.01500", category="cs.PL"))
    start = deleted.index("### [2]")
    deleted = deleted[:start] + deleted[deleted.index("<div id='cs.PL'>") :]
    deleted = deleted.replace("[Total: 2]", "[Total: 1]")
    # One cause, one diagnostic: the run of entries after the deleted one, renumbered by one fix.
    [run] = of("D202", deleted)
    assert run.message == "entries [3]-[4] are numbered one too high: they should be [2]-[3]"
    assert [related.message for related in run.related] == ["entry [3]"]
    assert codes(fix_all(parse(deleted))) == []


def test_numbering_that_restarts_in_every_section_is_the_layouts_own():
    text = digest(*three(), Paper("2507.01500", category="cs.PL"))
    restarted = text.replace("### [3]", "### [1]").replace("### [4]", "### [2]")
    assert parse(restarted).layout.numbering == "per-section"
    assert of("D202", restarted) == []
    assert [d.message for d in of("D202", restarted.replace("### [2] [", "### [5] [", 1))] == ["entry [5] should be [2]"]


def test_japanese_summaries_are_one_script_with_their_kanji():
    papers = three(tldr="分散型のスケジューラが負荷を共有する。")
    papers[1].tldr = "演算子状態の差分符号化により検査点を五分の一に縮小。"
    papers[2].tldr = "動的言語に所有権注釈を段階的に追加できる。"
    assert codes(digest(*papers)) == []
    papers.append(Paper("2507.01500", category="cs.PL", tldr="An English summary among Japanese ones."))
    (found,) = of("D303", digest(*papers))
    assert "Latin" in found.message and "Japanese" in found.message


def test_chinese_summaries_full_of_latin_model_names_are_chinese():
    papers = three(tldr="提出LLaMA-3和GPT-4o的混合专家框架，在MMLU上提升了性能。")
    papers[1].tldr = "提出一种新的检查点压缩方法。"
    papers[2].tldr = "为动态语言设计渐进式所有权类型。"
    assert codes(digest(*papers)) == []


def test_category_unknown_suggests_a_known_one():
    text = digest(*three()).replace("Main category: cs.DC", "Main category: cs.DCC", 1)
    (found,) = of("D210", text)
    assert "did you mean cs.DC or" in found.message  # the section's category first
    assert sorted(codes(text)) == ["D209", "D210"]


def test_unclosed_details_fix_keeps_the_spacing_and_the_final_newline():
    text = digest(*three())
    closing = text.rindex("</details>")
    last_entry = text[:closing].rstrip("\n") + "\n"
    document = parse(last_entry)
    (found,) = lint(document).diagnostics
    assert found.code == "D213"
    assert apply_edits(document, found.fix.edits) == last_entry[:-1] + "\n\n</details>\n"
    first = text.index("</details>")
    middle = text[:first] + text[first + len("</details>\n") :]
    assert fix_all(parse(middle)) == text


# --- suppression comments ------------------------------------------------------------


def test_disable_and_enable_bound_a_range():
    papers = three(tldr="Error")
    papers[1].tldr = "Error"
    papers[2].tldr = "Error"
    papers[0].before = "<!-- digest-ls: disable D301 -->\n"
    papers[2].before = "<!-- digest-ls: enable -->\n"
    text = digest(*papers)
    (left,) = of("D301", text)
    assert left.paper == "2507.01422"
    assert "D001" not in codes(text)


def test_enable_with_a_code_does_not_end_a_disable_of_every_rule():
    papers = three(tldr="Error")
    papers[2].tldr = "Error"
    papers[0].before = "<!-- digest-ls: disable -->\n"
    papers[1].before = "<!-- digest-ls: enable D304 -->\n"
    assert of("D301", digest(*papers)) == []


def test_disable_next_entry_covers_that_entry_only():
    papers = three(tldr="Error")
    papers[1].tldr = "Error"
    papers[1].before = "<!-- digest-ls: disable-next-entry D301 -->\n"
    (left,) = of("D301", digest(*papers))
    assert left.paper == "2507.01234"


def test_rules_can_be_named_instead_of_numbered():
    papers = three()
    papers[2].arxiv = "2507.01234"
    papers[2].before = "<!-- digest-ls: disable-next-entry duplicate-paper -->\n"
    assert codes(digest(*papers)) == []


def test_disable_file_covers_the_whole_file():
    text = "<!-- digest-ls: disable-file D304 -->\n" + digest(*three(tldr="Gossip.   ")).rstrip("\n")
    assert codes(text) == []


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- digest-ls: disable D301 -->", "this `disable` comment for D301 suppresses nothing"),
        ("<!-- digest-ls: disable-next-entry D205 -->", "this `disable-next-entry` comment for D205 suppresses nothing"),
        ("<!-- digest-ls: disable-file -->", "this `disable-file` comment for every rule suppresses nothing"),
    ],
)
def test_unused_suppressions_are_reported(comment: str, message: str):
    papers = three()
    papers[1].before = comment + "\n"
    text = digest(*papers)
    (found,) = diagnostics(text)
    assert (found.code, found.message) == ("D001", message)
    assert found.range.start_line == line_of(text, comment)


def test_unused_suppression_follows_severity_overrides():
    papers = three()
    papers[1].before = "<!-- digest-ls: disable D301 -->\n"
    text = digest(*papers)
    (found,) = diagnostics(text, configured(severity={"D001": "warning"}))
    assert (found.code, found.severity.label) == ("D001", "warning")
    assert diagnostics(text, configured(severity={"D001": "off"})) == ()
    assert diagnostics(text, configured(ignore=["D0"])) == ()


def test_a_directive_naming_only_unknown_rules_suppresses_nothing():
    papers = three()
    papers[1].tldr = "Error"
    papers[1].before = "<!-- digest-ls: disable-next-entry D30l -->\n"  # a typo: not every rule
    assert codes(digest(*papers)) == ["D002", "D301"]  # reported as invalid (D002), not as unused (D001)


def test_disable_next_entry_at_the_end_of_the_file_is_unused():
    text = digest(*three()) + "\n<!-- digest-ls: disable-next-entry D205 -->\n"
    assert codes(text) == ["D001"]


# --- configuration -------------------------------------------------------------------


def test_per_paper_ignores_follow_the_paper_through_renumbering():
    papers = three()
    papers[1].tldr = "Error"
    config = configured(per_paper_ignores={"2507.01301": ["D301"]})
    assert codes(digest(*papers), config) == []
    renumbered = [Paper("2507.01100"), *papers]  # every entry moves down one number
    assert codes(digest(*renumbered), config) == []
    assert codes(digest(*renumbered)) == ["D301"]


def test_per_paper_ignores_accept_a_versioned_id_and_prefixes():
    papers = three()
    papers[1].tldr = "Error"
    papers[1].authors = "Tomasz Wrona,,Aiko Mbeki"
    config = configured(per_paper_ignores={"2507.01301v2": ["D3", "D207"]})
    assert codes(digest(*papers), config) == []
    assert codes(digest(*papers), configured(per_paper_ignores={"2507.01234": ["D3"]})) == ["D207", "D301"]


def test_severity_overrides_and_off():
    papers = three(tldr="Error")
    text = digest(*papers)
    (found,) = diagnostics(text, configured(severity={"D301": "error"}))
    assert found.severity.label == "error"
    assert diagnostics(text, configured(severity={"D301": "off"})) == ()


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ([], [], ["D202", "D207", "D301"]),
        (["D2"], [], ["D202", "D207"]),
        (["D3"], [], ["D301"]),
        ([], ["D20"], ["D301"]),
        (["D2"], ["D20", "D202"], []),
        (["D2", "D202"], ["D20"], ["D202"]),  # the longer pattern wins
        (["ALL"], ["D207"], ["D202", "D301"]),
    ],
)
def test_select_and_ignore_take_prefixes(select, ignore, expected):
    papers = three(tldr="Error", authors="Maren Holt,,Ishaan Varma")
    text = digest(*papers).replace("### [2]", "### [5]")
    assert sorted(codes(text, configured(select=select, ignore=ignore))) == expected


def test_required_fields_from_the_configuration():
    papers = three()
    papers[0].fields = {"Method": "Gossip.", "Abstract": "We gossip."}
    text = digest(*papers)
    assert [d.message for d in of("D214", text)] == [
        "the `Motivation:` field is missing",
        "the `Result:` field is missing",
        "the `Conclusion:` field is missing",
    ]
    assert codes(text, configured(required_fields=["Method", "Abstract"])) == []


def test_missing_field_fix_inserts_it_in_template_order():
    papers = three()
    del papers[0].fields["Result"]
    text = digest(*papers)
    fixed = fix_all(parse(text))
    assert "Method: We invent one more and measure it.\n\nResult:\n\nConclusion:" in fixed
    assert codes(fixed) == ["D215"]  # the inserted field is empty until someone fills it


def test_allowed_categories_from_the_configuration():
    config = configured(allowed_categories=["cs.DC"])
    found = of("D210", digest(*three()), config)
    # The cs.PL item of the TOC, the section heading and the entry's main category.
    assert len(found) == 3
    assert all("not one of the allowed categories (cs.DC)" in d.message for d in found)


# --- the linter's cache ----------------------------------------------------------------


def test_linting_with_the_previous_result_equals_a_fresh_lint():
    papers = three(tldr="Error")
    papers[2].authors = "Noor Haddad,,Felix Brandt"
    text = digest(*papers)
    document = parse(text)
    first = lint(document)
    row = line_of(text, "### [2]")
    edited = apply_changes(document, [Change("Inserted line.\n\n", (row, 0, row, 0))])
    again = lint(edited, previous=first)
    assert again.diagnostics == lint(parse(edited.text)).diagnostics
    assert sorted(d.code for d in again.diagnostics) == ["D207", "D218", "D301"]


def test_cached_lint_follows_a_configuration_change():
    document = parse(digest(*three(tldr="Error")))
    first = lint(document)
    assert [d.code for d in first.diagnostics] == ["D301"]
    quiet = configured(extra_placeholders=["anything"], ignore=["D301"])
    assert lint(document, quiet, previous=first).diagnostics == ()


def test_apply_edits_of_one_fix_gives_the_fixed_line():
    text = digest(*three()).replace("[Total: 2]", "[Total: 7]")
    document = parse(text)
    (found,) = lint(document).diagnostics
    assert "- [cs.DC](#cs.DC) [Total: 2]" in apply_edits(document, found.fix.edits)
