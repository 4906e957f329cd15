"""Issue 11 as a Neovim user meets it: hover from the buffer, completion that finds the name,
workspace symbols from natural queries, citations, the D208 fix, and a quiet LSP log."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from nvim_harness import FIXTURE_WORKSPACE, nvim  # noqa: F401 (nvim is a fixture)

pytestmark = pytest.mark.e2e

CLEAN = "2025-01-06.md"
BROKEN = "2025-01-07.md"


def fixture_text(name: str) -> str:
    return (FIXTURE_WORKSPACE / name).read_text(encoding="utf-8")


def test_hover_shows_the_buffer_as_typed_and_the_day_before(nvim):
    # The day before listed the same paper with another TL;DR.
    earlier = fixture_text(CLEAN).replace(
        "TL;DR: Replicas grant read leases by counting heartbeats", "TL;DR: Leases from heartbeats, as first summarised"
    )
    (nvim.workspace / "2025-01-05.md").write_text(earlier, encoding="utf-8")
    hover = nvim.run(
        "hover", path=CLEAN, heading="Quorum Leases Without Clocks",
        edit={"from": "*Oluwaseun Adeyemi,Marit Lindqvist*", "to": "*Oluwaseun Adeyemi,Marit Lindqvist,Typed Now*"},
        wait_for="Also listed on",
    )
    text = "\n".join(hover["lines"])
    assert "Oluwaseun Adeyemi, Marit Lindqvist, Typed Now" in text
    assert "TL;DR:** Replicas grant read leases" in text  # this day's summary, not the day before's
    assert "Also listed on" in text and "2025-01-05.md" in text and "Leases from heartbeats, as first summarised" in text


def test_author_completion_finds_a_mistyped_name_and_never_offers_the_typo(nvim):
    cases = [
        {"replace": "Amara Okonkwo", "typed": "Ingrid Holmqvsit", "wanted": "Ingrid Holmqvist"},
        {"replace": "Dmitri Volkov", "typed": "T Echeverria", "wanted": "Tomás Echeverría"},
    ]
    results = nvim.run("complete_author", path=BROKEN, cases=cases)
    for case, result in zip(cases, results):
        assert result["offered"][0] == case["wanted"], result["offered"]
        assert case["typed"] not in result["offered"]
        assert case["wanted"] in result["line"]


def test_workspace_symbols_from_natural_queries(nvim):
    queries = ["au:Ingrid Holmqvist", "au:Ingrid Holmqvist elastic", "2501.03342", "2501.035", "cat:cs.DC au:lindqvist"]
    answers = nvim.run("workspace_symbols", path=CLEAN, queries=queries)
    names = {query: {symbol["name"] for symbol in found} for query, found in answers.items()}
    assert names["au:Ingrid Holmqvist"] == {"Gradual Ownership Types for Legacy Event Loops", "Elastic Sharding for Append-Only Logs"}
    assert names["au:Ingrid Holmqvist elastic"] == {"Elastic Sharding for Append-Only Logs"}
    assert names["2501.03342"] == names["cat:cs.DC au:lindqvist"] == {"Quorum Leases Without Clocks"}
    assert names["2501.035"] == {"Elastic Sharding for Append-Only Logs"}
    assert all(symbol["file"] == CLEAN for symbol in answers["au:Ingrid Holmqvist"])


def test_copy_citation_puts_bibtex_and_csl_json_in_the_register(nvim):
    result = nvim.run("cite", path=CLEAN, heading="### [2] [Quorum Leases Without Clocks]")
    assert "Copy CSL-JSON citation of 2501.03342" in result["offered"]
    (entry,) = bibtexparser.loads(result["bibtex"]).entries
    assert entry["ID"] == "2501.03342" and entry["author"] == "Oluwaseun Adeyemi and Marit Lindqvist"
    assert entry["year"] == "2025" and entry["primaryclass"] == "cs.DC"
    assert [item["id"] for item in json.loads(result["csl"])] == ["2501.03117", "2501.03342", "2501.03590"]
    assert any("citation of 2501.03342 copied" in notice for notice in result["notices"])


def test_the_main_category_fix_leaves_one_blank_line_each_side(nvim):
    # A `Main category:` line deleted as a user does (`dd`), leaving its blank lines behind.
    text = fixture_text(CLEAN).replace("Main category: cs.DC\n\nTL;DR: Replicas", "\nTL;DR: Replicas", 1)
    (nvim.workspace / "2025-01-09.md").write_text(text, encoding="utf-8")
    result = nvim.run("code_action", path="2025-01-09.md", code="D208", only=None)
    lines = result["lines"]
    at = lines.index("Main category: cs.DC", lines.index("*Oluwaseun Adeyemi,Marit Lindqvist*"))
    assert lines[at - 2 : at + 3] == ["*Oluwaseun Adeyemi,Marit Lindqvist*", "", "Main category: cs.DC", "", lines[at + 2]]
    assert lines[at + 2].startswith("TL;DR: Replicas")
    assert "\n".join(lines) + "\n" == fixture_text(CLEAN)


def test_a_cancelled_answered_request_leaves_no_error_in_the_lsp_log(nvim):
    nvim.run("cancel", path=CLEAN)
    log = nvim.sandbox / "xdg_state_home" / "nvim" / "lsp.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    assert "Cancel notification" not in text and "cancelRequest" not in text, text[-2000:]
