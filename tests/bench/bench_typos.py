"""The typo benchmark: one typo a person makes, at a random entry of a full-size real digest.

For each class of typo it reports how often a diagnostic stands on the typo's
own line, how many diagnostics the typo adds, and whether a paper vanished
from the outline. Cascades only show at full size, so the digests are never
shrunk.

    python tests/bench/bench_typos.py [--samples N] [--seed S] [FILE ...]

Targets (issue 8): >= 95% flagged at the line; no typo adds more than 3,
>= 90% add at most 2; ordinary typing in prose adds none.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "server"))

from digest_ls.lint import lint  # noqa: E402
from digest_ls.parser.document import parse  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"
FORKS = ROOT.parent / "shared" / "corpus" / "forks"


@dataclass
class Typo:
    """A typo class: `apply(lines, entry_start, entry_end, rng)` returns (new lines, typo line) or None."""

    name: str
    apply: object
    flagged_expected: bool = True  # False: nothing is wrong (prose typing), or there is no line (a deletion)
    papers_kept: bool = True


def _replace_in(lines, start, end, pattern, repl, rng, count=1):
    rows = [row for row in range(start, end) if re.search(pattern, lines[row])]
    if not rows:
        return None
    row = rng.choice(rows)
    new = re.sub(pattern, repl, lines[row], count=count)
    if new == lines[row]:
        return None
    return lines[:row] + [new] + lines[row + 1 :], row


def _heading(pattern, repl):
    def apply(lines, start, end, rng):
        new = re.sub(pattern, repl, lines[start], count=1)
        return (lines[:start] + [new] + lines[start + 1 :], start) if new != lines[start] else None

    return apply


def _field(pattern, repl):
    return lambda lines, start, end, rng: _replace_in(lines, start, end, pattern, repl, rng)


def _delete_entry(lines, start, end, rng):
    return lines[:start] + lines[end:], None


def _paste_heading(lines, start, end, rng):
    rows = [row for row in range(start, end) if lines[row].startswith(("Abstract:", "**Abstract:**", "Original abstract:"))]
    if not rows:
        return None
    row = rows[0] + 1
    return lines[:row] + ["# Results"] + lines[row:], row


def _prose(lines, start, end, rng):
    rows = [row for row in range(start, end) if re.match(r"(\*\*)?(TL;DR|Abstract|Method|Motivation)", lines[row]) and len(lines[row]) > 30]
    if not rows:
        return None
    row = rng.choice(rows)
    line = lines[row]
    spaces = [m.start() for m in re.finditer(" ", line)][2:]
    if not spaces:
        return None
    at = rng.choice(spaces)
    return lines[:row] + [line[:at] + " really" + line[at:]] + lines[row + 1 :], row


def _section_line(pattern, repl):
    def apply(lines, start, end, rng):
        rows = [row for row in range(len(lines)) if re.search(pattern, lines[row])]
        if not rows:
            return None
        row = rng.choice(rows)
        return lines[:row] + [re.sub(pattern, repl, lines[row], count=1)] + lines[row + 1 :], row

    return apply


TYPOS = [
    Typo("heading: no space after ###", _heading(r"^### \[", "###[")),
    Typo("heading: ## for ###", _heading(r"^### ", "## ")),
    Typo("heading: #### for ###", _heading(r"^### ", "#### ")),
    Typo("heading: number without [", _heading(r"^### \[(\d+)\]", r"### \1]")),
    Typo("heading: title without [", _heading(r"^(### \[\d+\] )\[", r"\1")),
    Typo("heading: link without )", _heading(r"\)\s*$", "")),
    Typo("entry deleted", _delete_entry, flagged_expected=False, papers_kept=False),
    Typo("TL;DR without colon", _field(r"^(\*\*)?TL;DR(\*\*)?:(\*\*)?", r"\1TL;DR\2\3")),
    Typo("label misspelt (Motivaton:)", _field(r"^(\*\*)?Motivation", r"\1Motivaton")),
    Typo("label misspelt (Abstarct:)", _field(r"^(\*\*)?Abstract:", r"\1Abstarct:")),
    Typo("<detail> for <details>", _field(r"^<details>", "<detail>")),
    Typo("</detail> for </details>", _field(r"^</details>", "</detail>")),
    Typo("<summery> for <summary>", _field(r"<summary>(.*)</summary>", r"<summery>\1</summery>")),
    Typo("# heading pasted into an abstract", _paste_heading),
    Typo("section back link mistyped", _section_line(r"\[\[Back\]\]\(#toc\)", "[[Bakc]](#toc)")),
    Typo("TOC [Total N] without colon", _section_line(r"\[Total: (\d+)\]", r"[Total \1]")),
    Typo("typing in prose", _prose, flagged_expected=False),
]


@dataclass
class Result:
    samples: int = 0
    flagged: int = 0
    added: list = field(default_factory=list)
    vanished: int = 0


def full_size_digests() -> list[Path]:
    """Current-template upstream digests of at least 1 MB, and the fork digests of at least 100 KB."""
    upstream = [p for p in sorted(DEV.glob("*.md")) if p.stat().st_size >= 1_000_000] if DEV.is_dir() else []
    forks = [p for p in sorted(FORKS.glob("*/*.md")) if p.stat().st_size >= 100_000] if FORKS.is_dir() else []
    return upstream + forks


def _ids(document) -> Counter:
    return Counter(entry.arxiv_id for _, _, entry in document.entry_blocks())


def run(paths, samples: int, seed: int) -> dict[str, Result]:
    rng = random.Random(seed)
    results = {typo.name: Result() for typo in TYPOS}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        document = parse(text)
        if not document.is_digest or not document.entries:
            continue
        base = len(lint(document).diagnostics)
        base_ids = _ids(document)
        lines = list(document.lines)
        bounds = [(start, document.block_end(index)) for index, start, _ in document.entry_blocks()]
        for typo in TYPOS:
            for _ in range(samples):
                for _attempt in range(20):
                    start, end = rng.choice(bounds)
                    applied = typo.apply(lines, start, end, rng)
                    if applied is not None:
                        break
                else:
                    continue
                new_lines, row = applied
                changed = parse("\n".join(new_lines))
                found = lint(changed).diagnostics
                result = results[typo.name]
                result.samples += 1
                result.added.append(max(0, len(found) - base))
                if row is not None and any(d.range.start_line <= row <= d.range.end_line for d in found):
                    result.flagged += 1
                ids = _ids(changed)
                if typo.papers_kept and any(ids[paper] < count for paper, count in base_ids.items()):
                    result.vanished += 1
    return results


def table(results: dict[str, Result]) -> str:
    rows = ["| typo | samples | flagged at its line | added: median / max | add <= 2 | papers vanished |", "|---|---|---|---|---|---|"]
    for typo in TYPOS:
        result = results[typo.name]
        if not result.samples:
            continue
        flagged = f"{100 * result.flagged / result.samples:.0f}%" if typo.flagged_expected else "-"
        small = sum(1 for n in result.added if n <= 2)
        rows.append(
            f"| {typo.name} | {result.samples} | {flagged} | {statistics.median(result.added):.0f} / {max(result.added)} "
            f"| {100 * small / result.samples:.0f}% | {result.vanished} |"
        )
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--samples", type=int, default=10, help="typos per class per file")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    paths = args.files or full_size_digests()
    print(f"{len(paths)} digests, {args.samples} samples per class per file")
    print(table(run(paths, args.samples, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
