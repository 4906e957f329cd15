"""Citations from digest entries: BibTeX read back by a real BibTeX parser, CSL-JSON by its shape."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser

from digest_ls.features import cite
from digest_ls.features.editing import code_actions
from digest_ls.config import Config
from digest_ls.model import Span
from digest_ls.parser.document import parse
from test_features_support import CORPUS, SMALL, needs_corpus

TRICKY = """### [1] [50% of {Braces} & $Math$ in #Titles_with ~ and ^ \\ too](https://arxiv.org/abs/2312.12345v3)
*José García,Anouk de Vries,李华,Jean-Luc van der Berg*

Main category: hep-th

TL;DR: t
"""


def read_bibtex(text: str) -> list[dict]:
    parser = BibTexParser(common_strings=True)
    parser.ignore_nonstandard_types = False
    return bibtexparser.loads(text, parser=parser).entries


def test_bibtex_of_an_entry_reads_back_with_every_field():
    document = parse(SMALL)
    items = cite.references_at(document, cite.entries_for(document, ["2601.00101"]))
    (entry,) = read_bibtex(cite.citation_text(items, "bibtex"))
    assert entry["ID"] == "2601.00101" and entry["ENTRYTYPE"] == "misc"
    assert entry["title"] == "Gossip Barriers for Elastic Parameter Servers"
    assert entry["author"] == "José García and Mei Tanaka"
    assert (entry["year"], entry["eprint"], entry["archiveprefix"], entry["primaryclass"]) == ("2026", "2601.00101", "arXiv", "cs.DC")
    assert entry["url"] == "https://arxiv.org/abs/2601.00101"


def test_latex_specials_stay_balanced_and_the_version_is_kept():
    document = parse(TRICKY)
    (entry,) = read_bibtex(cite.citation_text(cite.references_at(document, [0]), "bibtex"))
    assert entry["ID"] == "2312.12345"
    assert entry["title"] == r"50\% of \{Braces\} \& \$Math\$ in \#Titles\_with \~{} and \^{} \textbackslash{} too"
    assert entry["author"].split(" and ") == ["José García", "Anouk de Vries", "李华", "Jean-Luc van der Berg"]
    assert entry["year"] == "2023" and entry["eprint"] == "2312.12345v3"
    assert entry["url"] == "https://arxiv.org/abs/2312.12345v3" and entry["primaryclass"] == "hep-th"


def test_csl_json_names_and_dates():
    document = parse(TRICKY)
    (item,) = json.loads(cite.citation_text(cite.references_at(document, [0]), "csl-json"))
    assert item["id"] == "2312.12345" and item["type"] == "article" and item["number"] == "2312.12345v3"
    assert item["author"] == [
        {"given": "José", "family": "García"},
        {"given": "Anouk", "family": "de Vries"},
        {"literal": "李华"},
        {"given": "Jean-Luc", "family": "van der Berg"},
    ]
    assert item["issued"] == {"date-parts": [[2023, 12]]} and item["note"] == "arXiv:2312.12345v3 [hep-th]"
    with pytest.raises(ValueError):
        cite.citation_text([], "ris")


def test_a_selection_cites_every_entry_it_touches_and_a_cursor_its_entry():
    document = parse(SMALL)
    heading = next(i for i, line in enumerate(document.lines) if line.startswith("### [2]"))
    assert [item.key for item in cite.references_at(document, cite.entries_in(document, Span(heading + 2, 0, heading + 2, 0)))] == ["2601.00102"]
    everything = cite.entries_in(document, Span(0, 0, len(document.lines) - 1, 0))
    assert [item.key for item in cite.references_at(document, everything)] == ["2601.00101", "2601.00102", "2601.00103"]
    assert cite.entries_in(document, Span(0, 0, 2, 0)) == []  # the TOC holds no entry


def test_code_actions_offer_both_formats_as_commands():
    document = parse(SMALL)
    heading = next(i for i, line in enumerate(document.lines) if line.startswith("### [1]"))
    actions = [a for a in code_actions(document, Span(heading, 5, heading, 5), [], None, Config()) if a.kind == "cite"]
    assert [a.title for a in actions] == ["Copy BibTeX citation of 2601.00101", "Copy CSL-JSON citation of 2601.00101"]
    assert all(a.edits == () and a.command.name == cite.CITATION_COMMAND for a in actions)
    assert [a.command.arguments for a in actions] == [
        {"papers": ["2601.00101"], "format": "bibtex"}, {"papers": ["2601.00101"], "format": "csl-json"},
    ]
    wide = code_actions(document, Span(heading, 0, len(document.lines) - 1, 0), [], None, Config())
    assert "Copy BibTeX citation of 3 entries" in [a.title for a in wide]


@needs_corpus
def test_every_entry_of_a_corpus_digest_reads_back():
    path = CORPUS / "2025-07-10.md"
    document = parse(path.read_text(encoding="utf-8"))
    items = cite.references_at(document, document.entries)
    entries = read_bibtex(cite.citation_text(items, "bibtex"))
    assert [entry["ID"] for entry in entries] == [item.key for item in items] and len(entries) > 100
    for entry, item in zip(entries, items):
        assert entry["author"].count(" and ") == len(item.authors) - 1
        assert entry["year"] == "2025" and entry["primaryclass"] == item.category
    csl = json.loads(cite.citation_text(items, "csl-json"))
    assert [value["id"] for value in csl] == [item.key for item in items]
