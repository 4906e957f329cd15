"""The real-Neovim latency benchmark (tests/bench/bench_nvim.py) still runs and reports every figure.

A smoke test with two samples of each measure, so that the benchmark cannot
rot unnoticed; it asserts nothing about the times themselves.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from nvim_harness import CORPUS, NO_NVIM_REASON, NVIM

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_nvim  # noqa: E402
from workspaces import LARGEST, build_workspace  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.corpus]

EDITS = 2
ONCE_A_SESSION = {"open -> first diagnostics (server start included)", "open -> index built (progress end)"}


def test_the_latency_harness_produces_every_figure(tmp_path):
    if NVIM is None:
        pytest.skip(NO_NVIM_REASON)
    if not (CORPUS / LARGEST).is_file():
        pytest.skip(f"{CORPUS / LARGEST} is not present")
    workspace = build_workspace("dev", tmp_path / "dev", CORPUS)

    session = bench_nvim.run_session(workspace, tmp_path / "sandbox", edits=EDITS)

    assert set(session["samples"]) == set(bench_nvim.METRICS)
    for metric, values in session["samples"].items():
        assert len(values) == (1 if metric in ONCE_A_SESSION else EDITS), metric
        assert all(isinstance(value, (int, float)) and math.isfinite(value) for value in values), metric
    assert session["offset_encoding"] in ("utf-8", "utf-16", "utf-32")
