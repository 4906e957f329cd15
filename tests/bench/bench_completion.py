"""Author completion: does the name the user means come first? And how fast, with a year indexed?

Run from the repository root (not collected by pytest):

    python tests/bench/bench_completion.py [--queries 200] [--seed 11] [--days 365] [--json out.json]

Queries are generated from the dev corpus, seeded: an author mention is
picked in a digest and its name is replaced, in the open buffer, by what a
user would type for it:

- `prefix`: the first 40-95% of the name ("Dacheng T");
- `typo`: the whole name with one or two slips (a letter replaced, dropped,
  doubled or two swapped: "Dachneg Tao");
- `initials`: initials of the given names and the whole surname, with or
  without dots ("D Tao", "D. Tao");
- `ascii`: the name with its diacritics removed ("Jurgen Schmidhuber"), only
  for names that carry some.

The cursor stands after the typed text, and `features.complete` answers;
the rank is the position of the intended name (compared normalised) in the
list, or "missing". Two places to type in:

- `entry`: in the entry the name came from (its paper is known to the
  workspace through the metadata JSONL, as when a digest is edited by hand);
- `new digest`: in a new digest holding one entry for a paper the workspace
  does not know, in the same category: only the name's own frequency, recency
  and category can help.

Speed is measured with "a year" indexed: the dev corpus plus generated days
up to `--days` digests (with their JSONL), each a corpus day whose author
names are mixed (given names and surnames of other authors, seeded), so the
vocabulary grows as a real year's would. The generated workspace lives in a
temporary folder and is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

from digest_ls.config import Config  # noqa: E402
from digest_ls.features.completion import complete  # noqa: E402
from digest_ls.index import WorkspaceIndex, normalize_name  # noqa: E402
from digest_ls.model import Document  # noqa: E402
from digest_ls.parser.document import parse  # noqa: E402

KINDS = ("prefix", "typo", "initials", "ascii")
PLACES = ("entry", "new digest")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NEW_ID = re.compile(r"(?<![0-9.])([0-9]{4})\.([0-9]{5})(?![0-9])")


@dataclass(frozen=True)
class Query:
    kind: str
    typed: str
    intended: str  # the name as written in the digest
    path: Path  # the digest it was taken from
    line: int  # the author line (absolute)
    position: int  # which name on that line
    category: str | None  # the entry's category


# --- queries ------------------------------------------------------------------------------------------


def corpus_documents(corpus: Path = CORPUS) -> dict[Path, Document]:
    return {path: parse(path.read_text(encoding="utf-8")) for path in sorted(corpus.glob("*.md")) if path.name != "README.md"}


def generate_queries(documents: dict[Path, Document], count: int, seed: int) -> list[Query]:
    """`count` queries, the kinds in turn, from author mentions picked at random (seeded)."""
    rng = random.Random(seed)
    mentions = []
    for path, document in documents.items():
        for index, start, entry in document.entry_blocks():
            if entry.authors is None:
                continue
            section = document.section_of(index)
            category = entry.category.value.strip() if entry.category is not None else section.category if section else None
            for position, name in enumerate(entry.authors.names):
                if _latin_name(name.text):
                    mentions.append((path, start + name.span.start_line, position, name.text, category))
    queries: list[Query] = []
    while len(queries) < count:
        kind = KINDS[len(queries) % len(KINDS)]
        path, line, position, name, category = rng.choice(mentions)
        typed = _typed(kind, name, rng)
        if typed is not None:
            queries.append(Query(kind, typed, name, path, line, position, category))
    return queries


def _latin_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and all(char.isalpha() or char in " .-'" for char in name) and all(
        "LATIN" in unicodedata.name(char, "") for char in name if char.isalpha()
    )


def _typed(kind: str, name: str, rng: random.Random) -> str | None:
    if kind == "prefix":
        shortest = max(3, round(len(name) * 0.4))
        length = rng.randint(shortest, max(shortest, min(len(name) - 1, round(len(name) * 0.95))))
        typed = name[:length].rstrip()
        return typed if typed and typed != name else None
    if kind == "typo":
        typed = name
        for _ in range(rng.choice((1, 2))):
            typed = _slip(typed, rng)
        return typed if normalize_name(typed) != normalize_name(name) else None
    if kind == "initials":
        *given, surname = name.split()
        dot = "." if rng.random() < 0.5 else ""
        return " ".join(word[0] + dot for word in given) + " " + surname
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return stripped if stripped != name else None


def _slip(text: str, rng: random.Random) -> str:
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    i = rng.choice(letters)
    slip = rng.choice(("replace", "drop", "double", "swap"))
    if slip == "replace":
        return text[:i] + rng.choice(LETTERS) + text[i + 1 :]
    if slip == "drop":
        return text[:i] + text[i + 1 :]
    if slip == "double":
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(LETTERS) + text[i + 1 :]


# --- asking -------------------------------------------------------------------------------------------------


def buffer_for(query: Query, place: str, document: Document) -> tuple[Path, str, int, int]:
    """(path, text, line, col) of the buffer the query is typed in, the cursor after it."""
    lines = list(document.lines)
    if place == "entry":
        names = [name.strip() for name in lines[query.line].strip().strip("*").split(",")]
        names[query.position] = query.typed
        before = ",".join(names[: query.position + 1])
        lines[query.line] = "*" + ",".join(names) + "*"
        return query.path, "\n".join(lines), query.line, 1 + len(before)
    category = query.category or "cs.AI"
    text = (
        f"<div id=toc></div>\n\n# Table of Contents\n\n- [{category}](#{category}) [Total: 1]\n\n\n"
        f"<div id='{category}'></div>\n\n# {category} [[Back]](#toc)\n\n"
        f"### [1] [A paper nobody indexed](https://arxiv.org/abs/2612.99999)\n*{query.typed}*\n\n"
        f"Main category: {category}\n\nTL;DR: t\n"
    )
    line = text.count("\n", 0, text.index("*" + query.typed))
    return query.path.with_name("9999-12-31.md"), text, line, 1 + len(query.typed)


def rank(index: WorkspaceIndex, query: Query, place: str, document: Document, config: Config) -> tuple[int | None, float]:
    """(1-based rank of the intended name or None, seconds the completion itself took)."""
    path, text, line, col = buffer_for(query, place, document)
    buffer = parse(text)
    index.set_open_document(path, buffer)
    index.author("")  # the buffer's record is extracted here, as by the request after a keystroke
    began = time.perf_counter()
    result = complete(buffer, line, col, index, config, str(path))
    seconds = time.perf_counter() - began
    index.close_document(path)  # one buffer open at a time, as when editing one digest
    wanted = normalize_name(query.intended)
    for position, item in enumerate(result.items, 1):
        if normalize_name(item.label) == wanted:
            return position, seconds
    return None, seconds


def evaluate(index: WorkspaceIndex, queries: list[Query], documents: dict[Path, Document], config: Config) -> dict:
    """{place: {kind: [ranks]}} and {place: [seconds]}."""
    ranks: dict[str, dict[str, list[int | None]]] = {place: {kind: [] for kind in KINDS} for place in PLACES}
    times: dict[str, list[float]] = {place: [] for place in PLACES}
    for place in PLACES:
        for query in queries:
            found, seconds = rank(index, query, place, documents[query.path], config)
            ranks[place][query.kind].append(found)
            times[place].append(seconds)
    return {"ranks": ranks, "times": times}


def shares(ranks: list[int | None]) -> tuple[float, float]:
    """(share at rank 1, share within the first 5)."""
    if not ranks:
        return 0.0, 0.0
    return (
        sum(1 for r in ranks if r == 1) / len(ranks),
        sum(1 for r in ranks if r is not None and r <= 5) / len(ranks),
    )


# --- a year of digests -------------------------------------------------------------------------------------


def build_year(target: Path, days: int, seed: int, corpus: Path = CORPUS) -> int:
    """The corpus plus generated days (digest + JSONL, authors mixed) up to `days` digests; returns the count."""
    rng = random.Random(seed)
    pairs = []
    for digest in sorted(corpus.glob("*.md")):
        if digest.name == "README.md":
            continue
        jsonl = sorted(corpus.glob(digest.stem + "*.jsonl"))
        pairs.append((digest, jsonl[0] if jsonl else None))
        shutil.copy(digest, target / digest.name)
        if jsonl:
            shutil.copy(jsonl[0], target / jsonl[0].name)
    given, surnames = set(), set()
    for digest, _ in pairs:
        for line in digest.read_text(encoding="utf-8").splitlines():
            if line.startswith("*") and line.endswith("*") and "," in line:
                for name in line.strip("*").split(","):
                    words = name.split()
                    if len(words) >= 2:
                        given.add(words[0])
                        surnames.add(words[-1])
    given_list, surname_list = sorted(given), sorted(surnames)
    day = date(2024, 1, 1)
    made = len(pairs)
    while made < days:
        digest, jsonl = pairs[made % len(pairs)]
        mixed: dict[str, str] = {}

        def mix(name: str) -> str:
            if name not in mixed:
                words = name.split()
                mixed[name] = f"{rng.choice(given_list)} {rng.choice(surname_list)}" if len(words) >= 2 else name
            return mixed[name]

        name = day.isoformat()
        # Another day lists other papers: every id of the copy moves to a number of its own.
        shift = made * 7919

        def move_ids(text: str) -> str:
            return _NEW_ID.sub(lambda m: f"{m.group(1)}.{(int(m.group(2)) + shift) % 100000:05d}", text)

        lines = move_ids(digest.read_text(encoding="utf-8")).split("\n")
        for i, line in enumerate(lines):
            if line.startswith("*") and line.endswith("*") and len(line) > 2:
                lines[i] = "*" + ",".join(mix(n.strip()) for n in line[1:-1].split(",")) + "*"
        (target / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
        if jsonl is not None:
            records = []
            for raw in move_ids(jsonl.read_text(encoding="utf-8")).splitlines():
                if raw.strip():
                    record = json.loads(raw)
                    record["authors"] = [mix(str(author)) for author in record.get("authors", [])]
                    records.append(json.dumps(record, ensure_ascii=False))
            (target / f"{name}_AI_enhanced_Chinese.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
        day += timedelta(days=1)
        made += 1
    return made


# --- report -------------------------------------------------------------------------------------------------


def table(title: str, result: dict) -> str:
    rows = [f"{title}", "", "| typed in | query | n | rank 1 | top 5 | missing |", "|---|---|---|---|---|---|"]
    for place in PLACES:
        every: list[int | None] = []
        for kind in KINDS:
            ranks = result["ranks"][place][kind]
            every += ranks
            first, five = shares(ranks)
            rows.append(f"| {place} | {kind} | {len(ranks)} | {first:.0%} | {five:.0%} | {ranks.count(None)} |")
        first, five = shares(every)
        rows.append(f"| {place} | **all** | {len(every)} | **{first:.1%}** | **{five:.1%}** | {every.count(None)} |")
    rows.append("")
    rows.append("| typed in | median ms | p90 ms | max ms |")
    rows.append("|---|---|---|---|")
    for place in PLACES:
        times = sorted(result["times"][place])
        rows.append(
            f"| {place} | {statistics.median(times) * 1000:.2f} | {times[int(len(times) * 0.9)] * 1000:.2f} | {times[-1] * 1000:.2f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--days", type=int, default=365, help="digests in the year workspace (0: skip it)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    config = Config()
    documents = corpus_documents()
    queries = generate_queries(documents, args.queries, args.seed)
    report = {}
    with tempfile.TemporaryDirectory(prefix="digest-ls-bench-completion-") as scratch:
        began = time.perf_counter()
        index = WorkspaceIndex([CORPUS], config, Path(scratch) / "cache-dev")
        index.scan()
        print(f"dev corpus indexed in {time.perf_counter() - began:.1f}s", file=sys.stderr)
        report["dev corpus"] = evaluate(index, queries, documents, config)
        index.close()
        print(table(f"dev corpus ({len(documents)} digests), {len(queries)} queries, seed {args.seed}", report["dev corpus"]))
        if args.days:
            year = Path(scratch) / "year"
            year.mkdir()
            count = build_year(year, args.days, args.seed)
            began = time.perf_counter()
            index = WorkspaceIndex([year], config, Path(scratch) / "cache-year")
            scan = index.scan()
            print(f"a year ({count} digests, {scan.papers} papers) indexed in {time.perf_counter() - began:.1f}s", file=sys.stderr)
            # The same buffers, in the year's copies of the corpus files.
            moved = [Query(q.kind, q.typed, q.intended, year / q.path.name, q.line, q.position, q.category) for q in queries]
            year_documents = {year / path.name: document for path, document in documents.items()}
            report["year"] = evaluate(index, moved, year_documents, config)
            index.close()
            print()
            print(table(f"a year ({count} digests, {scan.papers} papers)", report["year"]))
    if args.json:
        args.json.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main()
