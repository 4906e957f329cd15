"""Reliability of the engine: pathological inputs, mutated real digests, long edit sessions, nothing lost.

Speed is not asserted here (see tests/bench/); a watchdog only turns a
catastrophic slowdown (a backtracking regular expression, a quadratic loop)
into a failure instead of a hung CI job.
"""

from __future__ import annotations

import random
import signal
import unicodedata
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, FIXTURES, SEEDS, corpus_digests
from digest_ls.fixes import fix_all
from digest_ls.formatting import format_text
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.parser.incremental import Change, apply_changes

WATCHDOG_SECONDS = 120


@contextmanager
def watchdog(seconds: int = WATCHDOG_SECONDS):
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: something is super-linear")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def entry(number: int, title: str = "A Paper", authors: str = "*A,B*") -> str:
    return (
        f"### [{number}] [{title}](https://arxiv.org/abs/2501.{number % 99999:05d})\n{authors}\n\n"
        f"Main category: cs.AI\n\nTL;DR: 总结。\n\n\n<details>\n  <summary>Details</summary>\n"
        "Motivation: m\n\nMethod: m\n\nResult: r\n\nConclusion: c\n\nAbstract: a\n\n</details>\n\n\n"
    )


PATHOLOGICAL = {
    "brackets line": "### [1] [" + "[" * 1_000_000 + "](https://arxiv.org/abs/2501.00001)\n",
    "stars line": "*" * 1_000_000 + "\n",
    "authors of stars": entry(1, authors="*" + "*," * 300_000 + "*"),
    "link openers": "### [1] [" + "](" * 300_000 + "\n",
    "hashes": ("#" * 6 + " x\n") * 100_000,
    "anchors": "<div id='" * 200_000 + "\n",
    "comment openers": "<!--" * 250_000 + "\n",
    "label colons": "TL;DR:" * 150_000 + "\n",
    "toc item": "- [" + "a" * 500_000 + "](#" + "b" * 500_000 + "\n",
    "nul and controls": "\x00\x0c\x1b" * 300_000,
    "one line of digits and dots": "2501." * 200_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_megabyte_inputs(name):
    text = PATHOLOGICAL[name]
    with watchdog():
        document = parse(text)
        lint(document)
        assert document.text == text


def test_fifty_thousand_entries():
    text = "".join(entry(n) for n in range(1, 50_001))
    with watchdog():
        document = parse(text)
        assert len(document.entries) == 50_000
        result = lint(document)
        codes = {d.code for d in result.diagnostics}
        assert "D101" not in codes  # no sections at all, so no TOC is wanted
        line = document.starts[document.entries[25_000]] + 3
        edited = apply_changes(document, [Change("x", (line, 0, line, 0))])
        assert edited.blocks[document.entries[25_001]] is document.blocks[document.entries[25_001]]


def _mutations(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(7)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and lines[i]:
            k = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:k] + lines[i][k + 1 :]
        elif op == 4:
            k = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:k] + rng.choice(["\x00", "\x0c", "\ud800", "\udfff", "\t", "\u200b", "\r"]) + lines[i][k:]
        elif op == 5:
            lines[i] = lines[i] * rng.randint(2, 50)
        else:
            k = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:k] + lines[i][k:][::-1]
    return "\n".join(lines)


def _real_samples() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "digests").glob("*.md"))]
    for path in corpus_digests()[:6]:
        texts.append("\n".join(path.read_text(encoding="utf-8").split("\n")[:600]))
    return texts


SAMPLES = _real_samples()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLES), st.randoms(use_true_random=False))
def test_mutated_real_digests_never_raise(text, rng):
    mutated = _mutations(text, rng)
    document = parse(mutated)
    assert document.text == mutated
    result = lint(document)
    fixed = fix_all(document)
    for diagnostic in result.diagnostics:
        assert diagnostic.range.start_line < len(document.lines)
    assert isinstance(fixed, str)


def test_a_long_random_editing_session_stays_equal_to_full_parses():
    rng = random.Random(20261122)
    text = SAMPLES[0]
    document = parse(text)
    result = lint(document)
    pieces = ["x", "\n", "### ", "</details>", "é😀", "", "\r\n", entry(9), ",", "*", "Abstract: ", "<div id='cs.AI'></div>\n"]
    for step in range(3000):
        lines = document.lines
        line = rng.randrange(len(lines) + 2)
        col = rng.randrange(40)
        end_line = line + rng.choice([0, 0, 0, 1, 3])
        changes = [Change(rng.choice(pieces), (line, col, end_line, rng.randrange(40)))]
        if rng.random() < 0.1:  # several changes in one notification
            changes.append(Change(rng.choice(pieces), (rng.randrange(len(lines)), 0, rng.randrange(len(lines)), 5)))
        document = apply_changes(document, changes)
        result = lint(document, previous=result)
        if step % 250 == 0:
            full = parse(document.text)
            assert document == full
            assert result.diagnostics == lint(full).diagnostics
    assert document == parse(document.text)


_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def unescaped(text: str) -> str:
    return text.replace("&lt;", "<").replace("`", "")


def non_whitespace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE and unicodedata.category(ch) != "Cc")


@pytest.mark.parametrize(
    "path",
    corpus_digests() + sorted(SEEDS.glob("*.md")) + [FIXTURES / "digests" / "2026-01-05.md"],
    ids=lambda p: p.name,
)
def test_format_and_fix_lose_nothing_and_are_idempotent(path):
    text = path.read_bytes().decode("utf-8")
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert non_whitespace(formatted) == non_whitespace(text)
    assert ("\r\n" in formatted) == ("\r\n" in text)
    fixed = fix_all(parse(text))
    assert fix_all(parse(fixed)) == fixed
    # The author-list repair owns its separators: only commas may go besides white space; and D305
    # escapes a tag the page would drop (`<think>` in backticks, `<` as `&lt;`), which loses nothing.
    assert unescaped(non_whitespace(fixed)).replace(",", "") == unescaped(non_whitespace(text)).replace(",", "")
