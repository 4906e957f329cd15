"""The server's features as a Neovim user reaches them: outline, hover, completion, quick fixes, formatting."""

from __future__ import annotations

import re

import pytest

from digest_ls.config import Config
from digest_ls.fixes import fix_all
from digest_ls.formatting import format_text
from digest_ls.parser.document import parse
from nvim_harness import FIXTURE_WORKSPACE, nvim  # noqa: F401 (nvim is a fixture)

pytestmark = pytest.mark.e2e

CLEAN = "2025-01-06.md"
BROKEN = "2025-01-07.md"
UNFORMATTED = "2025-01-08.md"
FIELDS = ["Main category", "TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract"]


def fixture_text(name: str) -> str:
    return (FIXTURE_WORKSPACE / name).read_text(encoding="utf-8")


def line_of(name: str, text: str) -> int:
    return next(index for index, line in enumerate(fixture_text(name).splitlines()) if text in line)


def test_document_symbols_are_the_category_and_paper_hierarchy(nvim):
    symbols = nvim.run("symbols", path=CLEAN)

    assert [(node["name"], node["kind"]) for node in symbols] == [
        ("Table of Contents", "Namespace"),
        ("cs.PL", "Package"),
        ("cs.DC", "Package"),
    ]
    toc, pl, dc = symbols
    assert [item["name"] for item in toc["children"]] == ["cs.PL", "cs.DC"]
    assert [paper["name"] for paper in pl["children"]] == ["[1] Gradual Ownership Types for Legacy Event Loops"]
    assert [paper["name"] for paper in dc["children"]] == [
        "[2] Quorum Leases Without Clocks",
        "[3] Elastic Sharding for Append-Only Logs",
    ]
    for paper in pl["children"] + dc["children"]:
        assert paper["kind"] == "Object"
        assert paper["line"] == line_of(CLEAN, "### " + paper["name"].split("] ")[0] + "]")
        assert [field["name"] for field in paper["children"]] == FIELDS
    assert dc["selection_line"] == line_of(CLEAN, "# cs.DC [[Back]]")


def test_hover_on_a_heading_shows_the_abstract(nvim):
    hover = nvim.run("hover", path=CLEAN, heading="Quorum Leases Without Clocks")

    text = " ".join(" ".join(hover["lines"]).split())
    assert hover["filetype"] == "markdown"
    assert "Quorum Leases Without Clocks" in text
    assert "their safety rests on bounded clock drift" in text  # from the abstract
    assert "Oluwaseun Adeyemi" in text


def test_author_completion_offers_names_from_another_digest(nvim):
    # Both names occur only in 2025-01-06.md, which is never opened: they come from the workspace index.
    cases = [
        {"replace": "Amara Okonkwo", "typed": "Ingrid Hol", "wanted": "Ingrid Holmqvist"},
        # Non-ASCII before and inside the typed prefix: the replace range must survive the position encoding.
        {"replace": "Dmitri Volkov", "typed": "Tomás Eche", "wanted": "Tomás Echeverría"},
    ]

    results = nvim.run("complete_author", path=BROKEN, cases=cases)

    first, second = results
    assert "Ingrid Holmqvist" in first["offered"]
    assert first["line"] == "*Henrik Solberg,Ingrid Holmqvist*"
    assert second["line"] == "*Lucía Montenegro,Tomás Echeverría*"
    assert "Tomás Echeverría" in second["offered"]
    assert all(result["kind"] for result in results)


@pytest.mark.parametrize("only", [None, ["quickfix"]], ids=["any-kind", "only-quickfix"])
def test_quick_fix_applied_through_code_action_sets_the_total(nvim, only):
    result = nvim.run("code_action", path=BROKEN, code="D102", only=only)

    assert result["before"] == "- [cs.DC](#cs.DC) [Total: 3]"
    assert result["after"] == "- [cs.DC](#cs.DC) [Total: 2]"
    assert result["changed_lines"] == 1
    assert result["line_count"][0] == result["line_count"][1]
    assert "D102" not in {d["code"] for d in result["diagnostics"]}
    assert {"D202", "D204", "D301"} <= {d["code"] for d in result["diagnostics"]}


def test_fix_all_code_action_gives_what_the_engine_fixes(nvim):
    text = nvim.run("fix_all", path=BROKEN)

    expected = fix_all(parse(fixture_text(BROKEN)), Config())
    assert text == expected
    assert "[Total: 2]" in text and "### [3] [Deterministic Replay" in text
    assert "(https://arxiv.org/abs/2501.04410)" in text


def test_format_gives_what_digest_ls_format_writes(nvim):
    result = nvim.run("format", path=UNFORMATTED)

    assert result["before"] == fixture_text(UNFORMATTED)
    assert result["after"] == format_text(fixture_text(UNFORMATTED), Config())
    assert result["after"] != result["before"]
    assert result["modified"] is True
    assert "- [cs.CR](#cs.CR) [Total: 2]" in result["after"]
    assert "### [2] [Attested Builds" in result["after"]
    assert not re.search(r"[ \t]+$", result["after"], re.MULTILINE)
