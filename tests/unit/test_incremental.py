"""Incremental parsing equals a full parse: property tests over random edit sequences.

The oracle is independent of the engine: edits are applied to a plain string
with LSP's rules (lines end at \\n, \\r\\n or \\r; positions past a line's or
the document's end are clamped), then parsed from scratch. The incremental
model, and the incremental re-lint with its per-entry cache, must equal that.

Run more examples locally with HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, FIXTURES, SEEDS
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.parser.incremental import Change, apply_changes

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_BREAK = re.compile(r"\r\n|\r|\n")

ENTRY = """### [7] [Pasted Paper on Things](https://arxiv.org/abs/2501.01234)
*Zoë Müller,李雷,Ana-María O'Neil*

Main category: cs.DC

TL;DR: 一句话总结 😀 with emoji.


<details>
  <summary>Details</summary>
Motivation: Why.

Method: How.

Result: What.

Conclusion: So.

Abstract: Long abstract
Conclusion: a line of the abstract that starts with a label.

</details>


"""

PIECES = [
    "x", "é", "😀", "中文", " ", "\n", "\r\n", "\r", "", "###", "### ", "# ", "#", "<div id='cs.AI'></div>\n",
    "# cs.AI [[Back]](#toc)\n", "</details>", "<details>\n", "  <summary>Details</summary>\n", "Abstract: ",
    "Method: ", "TL;DR: ", "TLDR: ", "Main category: cs.CL", "*A,B*", ",", ":", "[", "](", ")", "\t", "\x0c",
    "<!-- digest-ls: disable D301 -->\n", "- [cs.AI](#cs.AI) [Total: 2]\n", ENTRY, "\n\n", "Error",
    # What makes block cutting depend on the lines before: plain headings inside an open <details> or a
    # fence stay in the entry; near misses of entry headings at other levels; fork layouts' lines.
    "# Notes\n", "## Heading\n", "```\n", "~~~~\n", "```", "<detail>\n", "</detail>", "###[2] [T](https://arxiv.org/abs/2501.00002)\n",
    "## [3] [T](https://arxiv.org/abs/2501.00003)\n", "#### [4] [T](https://arxiv.org/abs/2501.00004)\n",
    "## cs.CR\n", "## 目录\n", "### 目录\n", "## Name [cs.AI]\n", "**TL;DR:** ", "> **TL;DR:** ", "**Authors:** A, B\n",
    "*A, B* | **Category: cs.CR**\n", "---\n", "TL;DR ", "Motivaton: ", "<a id='cs.CR'></a>\n", "#### Sub\n",
]


def _load(path, limit=400):
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:limit])


def _bases() -> list[str]:
    bases = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md"))]
    bases += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "digests").glob("*.md"))]
    for name in ("2025-03-18.md", "2025-03-19.md", "2025-04-15.md", "2026-07-01.md", "2025-07-10.md"):
        text = _load(CORPUS / name)
        if text is not None:
            bases.append(text)
    forks = CORPUS.parent / "forks"
    for name in ("ZL-Asica__daily-arXiv-digest/2025-06-20.md", "junle-chen__daily-arXiv-gemini-enhanced/2025-11-26_database.md",
                 "junle-chen__daily-arXiv-gemini-enhanced/2025-06-07.md", "fyrsta7__daily-arXiv-ai-enhanced/2026-07-21.md"):
        text = _load(forks / name)
        if text is not None:
            bases.append(text)
    bases += ["", ENTRY, ENTRY.replace("\n", "\r\n"), "# Notes\n\nnot a digest\n"]
    return bases


BASES = _bases()


def oracle_apply(text: str, change_range, new_text: str) -> str:
    """LSP semantics on a plain string."""
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    content_ends = [m.start() for m in _BREAK.finditer(text)] + [len(text)]

    def offset(line, col):
        if line >= len(starts):
            return len(text)
        return starts[line] + min(col, content_ends[line] - starts[line])

    a = offset(change_range[0], change_range[1])
    b = offset(change_range[2], change_range[3])
    if b < a:
        a, b = b, a
    return text[:a] + new_text + text[b:]


@st.composite
def edits(draw, text_lines: int):
    start_line = draw(st.integers(0, text_lines + 1))
    start_col = draw(st.integers(0, 30))
    span = draw(st.sampled_from([0, 0, 0, 1, 2, 5, 40]))
    end_line = start_line + span
    end_col = draw(st.integers(0, 30))
    if span == 0:
        end_col = max(start_col, end_col) if draw(st.booleans()) else start_col
    new_text = draw(
        st.one_of(
            st.sampled_from(PIECES),
            st.lists(st.sampled_from(PIECES), max_size=4).map("".join),
            st.text(alphabet="ab #*<>/:,[]()\n\r\té中😀", max_size=12),
        )
    )
    return Change(new_text, (start_line, start_col, end_line, end_col))


@st.composite
def sessions(draw):
    text = draw(st.sampled_from(BASES))
    steps = []
    lines = text.count("\n") + 1
    for _ in range(draw(st.integers(1, 6))):
        batch = [draw(edits(lines)) for _ in range(draw(st.integers(1, 3)))]
        steps.append(batch)
    return text, steps


@given(sessions())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_incremental_parse_equals_full_parse(session):
    text, steps = session
    document = parse(text)
    result = lint(document)
    for batch in steps:
        for change in batch:
            text = oracle_apply(text, change.range, change.text)
        document = apply_changes(document, batch)
        assert document.text == text
        full = parse(text)
        assert document == full
        result = lint(document, previous=result)
        assert result.diagnostics == lint(full).diagnostics


def test_typing_a_heading_splits_an_entry_and_deleting_it_joins_again():
    document = parse(ENTRY + ENTRY)
    assert len(document.entries) == 2
    line = ENTRY.count("\n") - 4  # inside the first entry's abstract
    typed = document
    for col, char in enumerate("### "):
        typed = apply_changes(typed, [Change(char, (line, col, line, col))])
    assert typed == parse(typed.text)
    assert len(typed.entries) == 3
    joined = apply_changes(typed, [Change("", (line, 0, line, 4))])
    assert joined == document


def test_deleting_closing_details_leaves_the_other_entries_untouched():
    document = parse(ENTRY + ENTRY + ENTRY)
    close_line = ENTRY.split("\n").index("</details>")
    edited = apply_changes(document, [Change("", (close_line, 0, close_line, len("</details>")))])
    assert edited == parse(edited.text)
    first, second, third = (edited.blocks[i] for i in edited.entries)
    assert first.details.close is None
    assert second is document.blocks[document.entries[1]]  # reused, not re-parsed
    assert third is document.blocks[document.entries[2]]


def test_an_edit_inside_one_entry_reparses_only_that_entry():
    document = parse(ENTRY * 50)
    middle = document.entries[25]
    line = document.starts[middle] + 5
    edited = apply_changes(document, [Change("x", (line, 3, line, 3))])
    reused = sum(1 for a, b in zip(document.blocks, edited.blocks) if a is b)
    assert reused == len(document.blocks) - 1
    assert edited.blocks[middle] is not document.blocks[middle]


def test_inserting_lines_shifts_later_entries_without_reparsing_them():
    document = parse(ENTRY * 10)
    line = document.starts[document.entries[2]] + 3
    edited = apply_changes(document, [Change("\n\n\n", (line, 0, line, 0))])
    assert edited == parse(edited.text)
    assert all(edited.blocks[i] is document.blocks[i] for i in document.entries[3:])
    assert edited.starts[document.entries[3]] == document.starts[document.entries[3]] + 3


def test_positions_past_the_end_are_clamped():
    document = parse("abc\ndef")
    edited = apply_changes(document, [Change("!", (10, 0, 12, 5))])
    assert edited.text == "abc\ndef!"
    assert edited == parse("abc\ndef!")


def test_a_lone_carriage_return_pairs_with_a_following_newline():
    document = parse("a\rb\n")
    edited = apply_changes(document, [Change("", (1, 0, 1, 1))])
    assert edited.text == "a\r\n"
    assert edited == parse("a\r\n")
