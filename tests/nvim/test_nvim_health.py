"""`:checkhealth digest_ls` in a real Neovim: the server command, its version and the running client."""

from __future__ import annotations

import pytest

from digest_ls import __version__
from nvim_harness import nvim  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


def test_checkhealth_reports_the_command_and_version_as_ok(nvim):
    lines = nvim.run("checkhealth", path="2025-01-06.md")

    text = "\n".join(lines)
    assert not [line for line in lines if "ERROR" in line], text
    ok_lines = [line.split("OK ", 1)[1] for line in lines if "OK " in line]
    assert any(line.startswith("Neovim 0.1") for line in ok_lines), text
    assert any(line.startswith("config found") for line in ok_lines), text
    assert "enabled" in ok_lines, text
    assert any(line.startswith("server command:") and "-m digest_ls serve" in line for line in ok_lines), text
    assert f"version: digest-ls {__version__}" in ok_lines, text
    client_lines = [line for line in lines if "client 1:" in line]
    assert client_lines and f"digest-ls {__version__}" in client_lines[0] and str(nvim.workspace) in client_lines[0]


def test_checkhealth_reports_a_missing_server_with_the_fallback(nvim):
    lines = nvim.run("checkhealth", init="missing_server")

    text = "\n".join(lines)
    errors = [line for line in lines if "ERROR" in line]
    assert len(errors) == 1 and "server executable not found: `digest-ls-not-installed`" in errors[0], text
    assert "ADVICE" in text and "pipx install" in text
    # The fallback is checked too (here python3 finds the checkout through PYTHONPATH, or not: either is reported).
    assert any("fallback `" in line and " -m digest_ls` " in line for line in lines), text
