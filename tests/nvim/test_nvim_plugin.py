"""How a user turns the plugin on: nothing without opting in; `setup()` and `vim.g.digest_ls_enable` work."""

from __future__ import annotations

import shutil

import pytest

from nvim_harness import nvim  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

BROKEN = "2025-01-07.md"


def test_the_plugin_starts_nothing_until_the_user_opts_in(nvim):
    result = nvim.run("no_client", init="no_opt_in", path=BROKEN)

    assert result["filetype"] == "markdown"
    assert result["clients"] == 0
    assert result["enabled"] is False
    assert result["config_cmd"] == ["digest-ls", "serve"]  # lsp/digest_ls.lua is found all the same


def test_setup_passes_settings_to_the_server(nvim):
    # `ignore` reaches the server as the "digest-ls" section of workspace/configuration.
    # The script waits until exactly these codes are shown, so settings that arrive late still count.
    diagnostics = nvim.run(
        "diagnostics", init="setup", path=BROKEN, codes=["D102", "D202"], exact=True,
        settings={"ignore": ["D301", "D204"]},
    )  # fmt: skip

    assert {d["code"] for d in diagnostics} == {"D102", "D202"}


def test_the_global_variable_enables_the_server(nvim):
    diagnostics = nvim.run("diagnostics", init="global", path=BROKEN, codes=["D102", "D202", "D204", "D301"])

    assert {d["code"] for d in diagnostics} == {"D102", "D202", "D204", "D301"}


def test_setup_without_a_command_finds_one_and_merges_settings(nvim):
    result = nvim.run("config", init="setup_defaults")

    on_path = shutil.which("digest-ls") is not None
    assert result["cmd"] == (["digest-ls", "serve"] if on_path else ["python3", "-m", "digest_ls", "serve"])
    assert result["settings"] == {"digest-ls": {"ignore": ["D304"], "debounceMs": 100}}
    assert result["filetypes"] == ["markdown"]
    assert result["root_markers"] == [".digest-ls.toml", "pyproject.toml", ".git"]
    assert result["enabled"] is False  # enable = false configures only
