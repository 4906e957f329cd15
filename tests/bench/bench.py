"""Benchmarks: digest-ls against rumdl and markdownlint-cli2, warm cache, and incremental re-checks.

Run from the repository root (not collected by pytest):

    python tests/bench/bench.py [--workspace dev year] [--runs 5] [--corpus ../shared/corpus/dev] [--json out.json]

The machine is shared and noisy, so every figure is a median of interleaved
runs made side by side in this one process, and the claims are ratios:

- cold `digest-ls check --no-cache` over a workspace vs `rumdl check` and
  `markdownlint-cli2` on the same files (wall, CPU, peak memory, MB/s);
- warm `digest-ls check` (nothing changed) vs cold;
- a one-character edit inside an entry of the largest digest: incremental
  re-parse + re-check vs full parse + check of the same text.

Workspaces (`--workspace`, default `dev`): `dev` is the corpus, with all of
the above; `year` is a year of digests generated from it (`year.py`, 365
files, ~164 MB, made once and kept in the cache folder), checked cold and
warm with digest-ls and rumdl only: markdownlint-cli2 takes over four minutes
and 1.6 GB on it, `--jobs 1` twice digest-ls's time.

rumdl comes from PyPI (`pip install rumdl`), markdownlint-cli2 from npm
(`npm install --prefix /tmp/mdl markdownlint-cli2`); a missing tool is
reported and left out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "server"))

from digest_ls.lint import lint  # noqa: E402
from digest_ls.parser.document import parse  # noqa: E402
from digest_ls.parser.incremental import Change, apply_changes  # noqa: E402
from year import digests_of, ensure_year  # noqa: E402 (tests/bench, the script's folder, is on sys.path)

TIME = shutil.which("time") or "/usr/bin/time"
DIGEST_LS = shutil.which("digest-ls") or str(Path(sys.executable).parent / "digest-ls")
RUMDL = shutil.which("rumdl") or str(Path(sys.executable).parent / "rumdl")
MARKDOWNLINT = shutil.which("markdownlint-cli2") or "/tmp/mdl/node_modules/.bin/markdownlint-cli2"
TOOLS_BY_WORKSPACE = {
    "dev": ("digest-ls", "digest-ls --jobs 1", "rumdl", "markdownlint-cli2"),
    "year": ("digest-ls", "rumdl"),
}


def measure(command: list[str], cwd: Path) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        subprocess.run(
            [TIME, "-o", report.name, "-f", "%U %S %M", *command],
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
        wall = time.perf_counter() - started
        user, system, peak_kb = report.read().split()[-3:]
    return {"wall": wall, "cpu": float(user) + float(system), "peak_mb": int(peak_kb) / 1024}


def tools(files: list[str]) -> dict[str, list[str] | None]:
    return {
        "digest-ls": [DIGEST_LS, "check", "--no-cache", *files],
        "digest-ls --jobs 1": [DIGEST_LS, "check", "--no-cache", "--jobs", "1", *files],
        "rumdl": [RUMDL, "check", "--no-cache", *files] if Path(RUMDL).exists() else None,
        "markdownlint-cli2": [MARKDOWNLINT, *files] if Path(MARKDOWNLINT).exists() else None,
    }


def medians(runs: list[dict], megabytes: float) -> dict:
    wall = statistics.median(r["wall"] for r in runs)
    return {
        "wall_s": wall,
        "cpu_s": statistics.median(r["cpu"] for r in runs),
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
        "mb_per_s": megabytes / wall,
    }


def bench_cold(folder: Path, runs: int, tool_names) -> dict:
    files = [str(path) for path in digests_of(folder)]
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    commands = {name: cmd for name, cmd in tools(files).items() if cmd and name in tool_names}
    samples: dict[str, list[dict]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as work:  # the current folder: where the results cache goes
        for _ in range(runs):
            for name, command in commands.items():  # interleaved: noise hits all alike
                samples[name].append(measure(command, Path(work)))
        warm_command = [DIGEST_LS, "check", *files]
        measure(warm_command, Path(work))  # fill the cache
        samples["digest-ls (warm cache)"] = [measure(warm_command, Path(work)) for _ in range(runs)]
    table = {name: medians(runs_of_tool, megabytes) for name, runs_of_tool in samples.items()}
    cold, warm = table["digest-ls"]["wall_s"], table["digest-ls (warm cache)"]["wall_s"]
    ratios = {"warm speed-up over cold": cold / warm, "digest-ls warm wall / cold wall": warm / cold}
    for other in ("rumdl", "markdownlint-cli2"):
        if other in table:
            ratios[f"digest-ls wall / {other} wall"] = cold / table[other]["wall_s"]
    return {"files": len(files), "megabytes": megabytes, "tools": table, "ratios": ratios}


def bench_incremental(path: Path, repeats: int) -> dict:
    """A one-character edit inside an entry: incremental re-parse + re-check vs full parse + check.

    As in the server, the long-lived model is frozen out of the cyclic collector (`gc.freeze`); the
    two paths run in alternating batches so that noise hits both alike, and every incremental result
    is checked against the full one.
    """
    import gc

    text = path.read_text(encoding="utf-8")
    document = parse(text)
    result = lint(document)
    gc.collect()
    gc.freeze()
    middle = document.entries[len(document.entries) // 2]
    field = document.blocks[middle].fields[-1]
    line = document.starts[middle] + field.value_span.start_line
    col = field.value_span.start_col + 3
    incremental, full = [], []
    for batch in range(max(1, repeats // 20)):
        texts = []
        for step in range(20):
            change = Change("x", (line, col, line, col)) if step % 2 == 0 else Change("", (line, col, line, col + 1))
            started = time.perf_counter()
            document = apply_changes(document, [change])
            result = lint(document, previous=result)
            incremental.append(time.perf_counter() - started)
            texts.append((document, result))
        for edited, edited_result in texts:
            started = time.perf_counter()
            full_document = parse(edited.text)
            full_result = lint(full_document)
            full.append(time.perf_counter() - started)
            assert full_document == edited and full_result.diagnostics == edited_result.diagnostics
        del texts, full_document, full_result
        gc.collect()  # untimed: the full parses' garbage is theirs, not the next incremental batch's
    gc.unfreeze()
    inc, whole = statistics.median(incremental), statistics.median(full)
    return {
        "file": path.name,
        "bytes": len(text.encode("utf-8")),
        "entries": len(document.entries),
        "incremental_ms": inc * 1000,
        "full_ms": whole * 1000,
        "speed_up": whole / inc,
    }


PATHOLOGICAL_UNITS = {
    "[ in a title": ("### [1] [", "[", "](https://arxiv.org/abs/2501.00001)\n"),
    "* line": ("", "*", "\n"),
    "]( in a heading": ("### [1] [", "](", "\n"),
    "<!-- openers": ("", "<!--", "\n"),
    "author commas": ("### [1] [T](https://arxiv.org/abs/2501.00001)\n*", "A,", "*\n"),
    "TOC item": ("# Table of Contents\n\n- [", "a", "](#b\n"),
}


def bench_linearity(corpus: Path, repeats: int = 3) -> dict:
    """Seconds per MB at 1 MB and 4 MB for pathological lines, and for a 10 MB digest vs a 1 MB one."""

    def seconds(text: str) -> float:
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            lint(parse(text))
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    rows = {}
    for name, (head, unit, tail) in PATHOLOGICAL_UNITS.items():
        small = head + unit * (1_000_000 // len(unit)) + tail
        large = head + unit * (4_000_000 // len(unit)) + tail
        rows[name] = {"1MB_s": seconds(small), "4MB_s": seconds(large)}
        rows[name]["ratio_4x_size"] = rows[name]["4MB_s"] / max(rows[name]["1MB_s"], 1e-9)
    digests = sorted(digests_of(corpus), key=lambda p: p.stat().st_size)
    one = next(p for p in digests if p.stat().st_size >= 900_000).read_text(encoding="utf-8")
    ten = one * max(1, round(10_000_000 / len(one.encode())))  # like for like: the same digest ten times
    rows["10 MB digest vs 1 MB digest"] = {
        "1MB_s_per_MB": seconds(one) / (len(one.encode()) / 1e6),
        "10MB_s_per_MB": seconds(ten) / (len(ten.encode()) / 1e6),
    }
    return rows


def print_cold(title: str, cold: dict, runs: int) -> None:
    print(f"{title}: check over {cold['files']} files, {cold['megabytes']:.1f} MB (medians of {runs} interleaved runs)")
    print(f"{'tool':<26}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}{'MB/s':>9}")
    for name, row in cold["tools"].items():
        print(f"{name:<26}{row['wall_s']:>9.3f}{row['cpu_s']:>9.3f}{row['peak_mb']:>9.1f}{row['mb_per_s']:>9.1f}")
    for name, ratio in cold["ratios"].items():
        print(f"{name}: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", nargs="+", choices=list(TOOLS_BY_WORKSPACE), default=["dev"])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    results = {}
    if "dev" in args.workspace:
        largest = max(digests_of(args.corpus), key=lambda p: p.stat().st_size)
        results["cold_and_warm"] = bench_cold(args.corpus, args.runs, TOOLS_BY_WORKSPACE["dev"])
        results["incremental"] = bench_incremental(largest, args.edits)
        results["linearity"] = bench_linearity(args.corpus)
    if "year" in args.workspace:
        year = ensure_year(corpus=args.corpus)
        results["year"] = {"digests": year.digests, "megabytes": year.megabytes, "papers": year.papers}
        results["year_cold_and_warm"] = bench_cold(year.folder, args.runs, TOOLS_BY_WORKSPACE["year"])
    if "cold_and_warm" in results:
        print_cold("dev corpus", results["cold_and_warm"], args.runs)
        inc = results["incremental"]
        print(
            f"one-character edit in {inc['file']} ({inc['bytes'] / 1e6:.2f} MB, {inc['entries']} entries): "
            f"incremental {inc['incremental_ms']:.2f} ms vs full {inc['full_ms']:.1f} ms = {inc['speed_up']:.0f}x"
        )
        for name, row in results["linearity"].items():
            print(f"linearity, {name}: " + ", ".join(f"{key} {value:.3f}" for key, value in row.items()))
    if "year_cold_and_warm" in results:
        print_cold(f"a year ({results['year']['papers']} papers)", results["year_cold_and_warm"], args.runs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
