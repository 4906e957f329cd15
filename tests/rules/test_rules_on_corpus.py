"""No false alarms on real digests: every warning or error in the corpus is a defect its JSONL confirms.

The generator renders each digest from the JSONL beside it, so a duplicate,
a failed summary, a `:` author or a control character that the rules report
must already be in the generator's input. A diagnostic above `info` that the
ground truth does not explain is a false positive.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import corpus_digests, needs_corpus
from digest_ls.diagnostics import Severity
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.rules.entry_rules import GENERATOR_PLACEHOLDERS

pytestmark = [needs_corpus, pytest.mark.corpus]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\t[a-z]")  # a tab before letters: `\textsc` eaten


def ground_truth(digest: Path) -> list[dict]:
    date = digest.stem
    for name in (f"{date}_AI_enhanced_Chinese.jsonl", f"{date}.jsonl"):
        path = digest.with_name(name)
        if path.exists():
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return []


def authors_of(record: dict) -> list[str]:
    authors = record.get("authors", [])
    if isinstance(authors, str) and authors.startswith("["):
        authors = ast.literal_eval(authors)
    return list(authors)


def record_text(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def confirmed(diagnostic, document, records: dict[str, list[dict]], counts: Counter) -> bool:
    paper = diagnostic.paper
    if paper is None or paper not in records:
        return False
    found = records[paper]
    if diagnostic.code == "D205":
        return counts[paper] >= 2
    if diagnostic.code == "D207":
        names = authors_of(found[0])
        return any(name.strip() in ("", ":") or name != name.strip() for name in names)
    if diagnostic.code == "D302":
        # json.loads turned the eaten escapes back into control characters.
        return any(_CONTROL.search(value) for record in found for value in _strings(record))
    if diagnostic.code == "D301":
        r = diagnostic.range
        value = document.lines[r.start_line][r.start_col : r.end_col] if r.start_line == r.end_line else ""
        ai = [record.get("AI") for record in found if isinstance(record.get("AI"), dict)]
        if not ai:  # a raw crawl: only the generator's own fallbacks can be explained
            return value in GENERATOR_PLACEHOLDERS
        return any(str(v).strip() == value for fields in ai for v in fields.values())
    if diagnostic.code == "D305":
        # The paper's own text quotes the tag (`<think>`); the rendered page drops it.
        r = diagnostic.range
        tag = document.lines[r.start_line][r.start_col : r.end_col] if r.start_line == r.end_line else None
        return tag is not None and any(tag in value for record in found for value in _strings(record))
    return False


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("path", corpus_digests(), ids=lambda path: path.name)
def test_every_warning_on_the_corpus_is_in_the_ground_truth(path: Path):
    document = parse(path.read_bytes().decode("utf-8"))
    records_list = ground_truth(path)
    records: dict[str, list[dict]] = {}
    for record in records_list:
        records.setdefault(record["id"], []).append(record)
    counts = Counter(record["id"] for record in records_list)
    unexplained = [
        f"{d.range.start_line + 1}:{d.range.start_col + 1}: {d.code} {d.message}"
        for d in lint(document).diagnostics
        if d.severity > Severity.INFO and not confirmed(d, document, records, counts)
    ]
    assert unexplained == []


@pytest.mark.parametrize("path", corpus_digests(), ids=lambda path: path.name)
def test_duplicates_are_reported_once_per_repeated_listing(path: Path):
    document = parse(path.read_bytes().decode("utf-8"))
    listed = Counter(entry.arxiv_id for _, _, entry in document.entry_blocks() if entry.arxiv_id)
    reported = Counter(d.paper for d in lint(document).diagnostics if d.code == "D205")
    assert reported == Counter({paper: count - 1 for paper, count in listed.items() if count > 1})
