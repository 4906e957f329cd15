"""A real Neovim attaches digest-ls to digests and shows its diagnostics at the right lines."""

from __future__ import annotations

import pytest

from nvim_harness import FIXTURE_WORKSPACE, nvim  # noqa: F401 (nvim is a fixture)

pytestmark = pytest.mark.e2e

CLEAN = "2025-01-06.md"
BROKEN = "2025-01-07.md"


def line_of(name: str, text: str) -> int:
    """The 0-based line of the fixture `name` that contains `text`."""
    lines = (FIXTURE_WORKSPACE / name).read_text(encoding="utf-8").splitlines()
    return next(index for index, line in enumerate(lines) if text in line)


def test_opening_a_digest_attaches_the_server_at_the_workspace_root(nvim):
    result = nvim.run("attach", digest=CLEAN, not_a_digest="README.md")

    assert result["name"] == "digest_ls"
    assert result["server_name"] == "digest-ls"
    assert result["root_dir"] == str(nvim.workspace)  # found through .digest-ls.toml
    assert result["offset_encoding"] in ("utf-8", "utf-16", "utf-32")
    assert result["clients"] == 1  # both files share one client
    assert result["attached"] == 2
    assert result["digest_diagnostics"] == []
    assert result["readme_diagnostics"] == []


def test_diagnostics_appear_at_their_lines_with_codes_and_severities(nvim):
    expected = {
        ("D102", line_of(BROKEN, "[Total: 3]"), "ERROR"),
        ("D204", line_of(BROKEN, "(http://arxiv.org/pdf/2501.04410v2)"), "HINT"),
        ("D301", line_of(BROKEN, "TL;DR: Summary generation failed"), "WARN"),
        ("D202", line_of(BROKEN, "### [4]"), "WARN"),
    }

    diagnostics = nvim.run("diagnostics", path=BROKEN, codes=sorted({code for code, _, _ in expected}))

    assert {(d["code"], d["lnum"], d["severity"]) for d in diagnostics} == expected
    total = next(d for d in diagnostics if d["code"] == "D102")
    toc_line = (FIXTURE_WORKSPACE / BROKEN).read_text(encoding="utf-8").splitlines()[total["lnum"]]
    assert toc_line[total["col"] : total["end_col"]] == "3"  # the wrong total itself
    assert "2 entries" in total["message"]
    assert all(d["source"] == "digest-ls" for d in diagnostics)


def test_workspace_diagnostics_appear_once_the_index_is_built_without_a_keystroke(nvim):
    # The same papers on another day: D401 needs the index, which is built after the file is opened.
    # Neovim offers pull diagnostics but cannot be asked to pull again, so the server must push them.
    repeated = "2025-01-09.md"
    (nvim.workspace / repeated).write_text((FIXTURE_WORKSPACE / CLEAN).read_text(encoding="utf-8"), encoding="utf-8")

    diagnostics = nvim.run("diagnostics", path=repeated, codes=["D401"])

    assert {d["code"] for d in diagnostics} == {"D401"}
