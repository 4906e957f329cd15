"""Memory soak: an hour of simulated typing on the largest digest, compressed into minutes.

    python tests/bench/soak.py [--edits 20000] [--corpus ../shared/corpus/dev]

Edits go through the same path as the server's didChange: incremental
re-parse plus re-lint with the previous result. Resident memory is sampled
every 500 edits; the report gives the growth after warm-up (the first
fifth), which should stay near zero.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "server"))

from digest_ls.lint import lint  # noqa: E402
from digest_ls.parser.document import parse  # noqa: E402
from digest_ls.parser.incremental import Change, apply_changes  # noqa: E402


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--edits", type=int, default=20000)
    args = parser.parse_args()
    path = max((p for p in args.corpus.glob("*.md") if p.name != "README.md"), key=lambda p: p.stat().st_size)
    rng = random.Random(7)
    document = parse(path.read_text(encoding="utf-8"))
    result = lint(document)
    samples = []
    latencies = []
    words = ["the ", "模型", "😀", "é", "\n", "Method: ", "### ", "x"]
    started = time.perf_counter()
    for step in range(args.edits):
        index = document.entries[rng.randrange(len(document.entries))]
        line = document.starts[index] + rng.randrange(document.blocks[index].line_count)
        col = rng.randrange(len(document.lines[line]) + 1)
        if rng.random() < 0.6:
            change = Change(rng.choice(words), (line, col, line, col))
        else:
            change = Change("", (line, max(0, col - 3), line, col))
        tick = time.perf_counter()
        document = apply_changes(document, [change])
        result = lint(document, previous=result)
        latencies.append(time.perf_counter() - tick)
        if step % 500 == 0:
            gc.collect()
            samples.append(resident_mb())
    warm = samples[len(samples) // 5 :]
    report = {
        "file": path.name,
        "edits": args.edits,
        "seconds": time.perf_counter() - started,
        "median_edit_ms": statistics.median(latencies) * 1000,
        "p99_edit_ms": sorted(latencies)[int(len(latencies) * 0.99)] * 1000,
        "rss_mb_first": samples[0],
        "rss_mb_after_warmup": warm[0],
        "rss_mb_last": samples[-1],
        "growth_after_warmup_mb": samples[-1] - warm[0],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
