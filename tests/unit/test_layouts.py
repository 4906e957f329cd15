"""Fork layouts built from the clean fixture: the same papers read into the same model, checked by their own conventions."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from digest_ls.diagnostics import Severity
from digest_ls.fixes import fix_all
from digest_ls.formatting import format_text
from digest_ls.lint import lint
from digest_ls.outline import outline_json
from digest_ls.parser.document import parse

CLEAN = (FIXTURES / "digests" / "2026-01-05.md").read_text(encoding="utf-8")
LABELS = ("Motivation", "Method", "Result", "Conclusion", "Abstract")


def _slug(category: str) -> str:
    return category.lower().replace(".", "")


def category_fork(text: str) -> str:
    """A fork as measured in the wild: `### 目录`, `## cs.CR` sections with `<a id>` anchors, `(N 篇)` counts,
    `*A, B* | **Category: cs.CR**`, `> **TL;DR:**`, bold labels and a back link under every entry."""
    text = text.replace("<div id=toc></div>\n\n# Table of Contents", "### 目录")
    text = re.sub(r"- \[(\S+)\]\(#\S+\) \[Total: (\d+)\]", lambda m: f"- [{m[1]}](#{_slug(m[1])}) ({m[2]} 篇)", text)
    text = re.sub(r"<div id='(\S+)'></div>\n\n# \S+ \[\[Back\]\]\(#toc\)", lambda m: f'<a id="{_slug(m[1])}"></a>\n## {m[1]}', text)
    text = re.sub(r"\*(.+)\*\n\nMain category: (\S+)", lambda m: f"*{m[1].replace(',', ', ')}* | **Category: {m[2]}**", text)
    text = text.replace("TL;DR: ", "> **TL;DR:** ")
    for label in LABELS:
        text = text.replace(f"\n{label}: ", f"\n**{label}:** ")
    out, current = [], None
    for line in text.split("\n"):
        if line.startswith("## "):
            current = _slug(line[3:])
        out.append(line)
        if line == "</details>":
            out.extend(["", f"[⬆️ 返回分类顶部](#{current})"])
    return "\n".join(out)


def astro_fork(text: str) -> str:
    """An astro-ph fork: `Background:` and `Data:` for Motivation and Method, and no `Main category:`."""
    text = re.sub(r"\nMain category: \S+\n", "", text)
    return text.replace("\nMotivation: ", "\nBackground: ").replace("\nMethod: ", "\nData: ")


def papers(text: str) -> list[dict]:
    outline = outline_json(parse(text), "x.md")
    return [entry for section in outline["sections"] for entry in section["entries"]]


def test_the_category_fork_reads_into_the_same_model():
    fork = category_fork(CLEAN)
    assert fork != CLEAN and "> **TL;DR:**" in fork and "| **Category: cs.PL**" in fork
    clean, forked = papers(CLEAN), papers(fork)
    assert len(forked) == len(clean) == 6
    for want, got in zip(clean, forked):
        assert got["title"] == want["title"]
        assert got["authors"] == want["authors"]
        assert got["category"] == want["category"]
        assert got["tldr"] == want["tldr"]
        assert {label: got["fields"][label] for label in LABELS} == {label: want["fields"][label] for label in LABELS}
    document = parse(fork)
    assert [section.category for section in document.sections] == ["cs.PL", "cs.DC", "cs.AR"]
    assert not document.layout.upstream and document.layout.known
    assert "bold labels" not in document.layout.name or document.layout.label_style != "plain"


@pytest.mark.parametrize("make", [category_fork, astro_fork], ids=["category-fork", "astro-fork"])
def test_a_consistent_fork_gets_nothing_and_is_left_as_it_is(make):
    fork = make(CLEAN)
    document = parse(fork)
    assert [d for d in lint(document).diagnostics if d.severity >= Severity.INFO] == []
    assert format_text(fork) == fork
    assert fix_all(document, include_unsafe=False) == fork


def test_the_astro_fork_carries_its_own_fields():
    document = parse(astro_fork(CLEAN))
    assert {"Background", "Data"} <= document.layout.fields
    assert "Main category" not in document.layout.fields
    assert [entry["fields"]["Background"] for entry in papers(astro_fork(CLEAN))][0] == "现有方法在该问题上存在明显不足。"


def test_a_typo_in_a_fork_is_reported_in_the_forks_own_terms():
    fork = category_fork(CLEAN)
    typo = fork.replace("**Method:** ", "**Methdo:** ", 1)
    [found] = [d for d in lint(parse(typo)).diagnostics]
    assert found.code == "D219"
    assert found.fix.edits[0].new_text == "**Method:** "
    assert fix_all(parse(typo), include_unsafe=False) == fork


def test_an_entry_unlike_the_rest_of_its_fork_is_the_one_reported():
    fork = category_fork(CLEAN)
    odd = fork.replace("*Priya Raghunathan, Jonas Becker*", "*Priya Raghunathan,Jonas Becker*")
    [found] = lint(parse(odd)).diagnostics
    assert found.code == "D207" and "`, `" in found.message


def test_numbering_per_section_and_versioned_links_are_a_forks_convention():
    text = CLEAN.replace("https://arxiv.org/abs/", "http://arxiv.org/abs/")
    text = re.sub(r"(\(http://arxiv\.org/abs/\d{4}\.\d{5})\)", r"\1v1)", text)
    assert lint(parse(text)).diagnostics == ()
    lone = text.replace("http://arxiv.org/abs/2601.00012v1", "https://arxiv.org/abs/2601.00012", 1)
    [found] = lint(parse(lone)).diagnostics
    assert found.code == "D204" and "http://arxiv.org/abs/IDvN" in found.message


def test_pdf_links_and_spaced_separators_throughout_are_consistent():
    text = CLEAN.replace("https://arxiv.org/abs/", "https://arxiv.org/pdf/")
    text = re.sub(r"(?m)^\*(.+)\*$", lambda m: "*" + m[1].replace(",", ", ") + "*", text)
    assert lint(parse(text)).diagnostics == ()
    assert format_text(text) == text
