"""The other editor integrations: the Helix snippet, the pre-commit hooks, and Eglot in a real Emacs when present."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from digest_ls.config import config_from_mapping
from digest_ls.formatting import format_text
from nvim_harness import FIXTURE_WORKSPACE, HERE, PLUGIN_DIR, ROOT, SERVER_SOURCE

EDITORS = ROOT / "editors"


def server_command_of_neovim_config() -> list[str]:
    text = (PLUGIN_DIR / "lsp" / "digest_ls.lua").read_text(encoding="utf-8")
    return re.findall(r"'([^']*)'", re.search(r"cmd = \{([^}]*)\}", text).group(1))


def test_helix_snippet_starts_the_same_server_with_valid_settings():
    config = tomllib.loads((EDITORS / "helix" / "languages.toml").read_text(encoding="utf-8"))

    server = config["language-server"]["digest-ls"]
    assert [server["command"], *server["args"]] == server_command_of_neovim_config() == ["digest-ls", "serve"]
    config_from_mapping(server["config"]["digest-ls"], "helix")  # the server's own validation accepts it
    (markdown,) = [language for language in config["language"] if language["name"] == "markdown"]
    assert "digest-ls" in markdown["language-servers"]
    assert ".digest-ls.toml" in markdown["roots"]


def pre_commit_hooks() -> list[dict[str, str]]:
    """The hooks of .pre-commit-hooks.yaml: a list of flat mappings (all the file uses of YAML)."""
    hooks: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"(- |  )(\w+): (.*)", line)
        assert match, f"unexpected line in .pre-commit-hooks.yaml: {line!r}"
        if match.group(1) == "- ":
            hooks.append({})
        hooks[-1][match.group(2)] = match.group(3)
    return hooks


def run_hook(entry: str, files: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a hook the way pre-commit does: its entry plus the staged file names."""
    program, *args = shlex.split(entry)
    assert program == "digest-ls"
    env = {**os.environ, "PYTHONPATH": str(SERVER_SOURCE)}
    command = [sys.executable, "-m", "digest_ls", *args, *files]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_pre_commit_hooks_are_declared_for_markdown():
    hooks = {hook["id"]: hook for hook in pre_commit_hooks()}

    assert set(hooks) == {"digest-ls", "digest-ls-format"}
    assert hooks["digest-ls"]["entry"] == "digest-ls check"
    assert hooks["digest-ls-format"]["entry"] == "digest-ls format"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == "[markdown]"


def test_check_hook_fails_on_the_broken_digest_only(tmp_path):
    workspace = shutil.copytree(FIXTURE_WORKSPACE, tmp_path / "repo")
    hooks = {hook["id"]: hook for hook in pre_commit_hooks()}
    files = sorted(path.name for path in workspace.glob("*.md"))

    result = run_hook(hooks["digest-ls"]["entry"], files, workspace)

    assert result.returncode == 1, result.stderr
    flagged = {line.split(":", 1)[0] for line in result.stdout.splitlines() if re.match(r"\S+\.md:\d+:\d+: D\d+", line)}
    assert flagged == {"2025-01-07.md", "2025-01-08.md"}


def test_format_hook_rewrites_digests_and_leaves_other_markdown_alone(tmp_path):
    workspace = shutil.copytree(FIXTURE_WORKSPACE, tmp_path / "repo")
    hooks = {hook["id"]: hook for hook in pre_commit_hooks()}
    originals = {path.name: path.read_text(encoding="utf-8") for path in workspace.glob("*.md")}

    result = run_hook(hooks["digest-ls-format"]["entry"], sorted(originals), workspace)

    assert result.returncode == 0, result.stderr
    for name, original in originals.items():
        assert (workspace / name).read_text(encoding="utf-8") == format_text(original), name
    assert (workspace / "README.md").read_text(encoding="utf-8") == originals["README.md"]
    assert (workspace / "2025-01-08.md").read_text(encoding="utf-8") != originals["2025-01-08.md"]


def emacs_with_eglot() -> str | None:
    emacs = shutil.which("emacs")
    if emacs is None:
        return None
    probe = subprocess.run(
        [emacs, "--batch", "-q", "--eval", "(require 'eglot)"], capture_output=True, timeout=60, stdin=subprocess.DEVNULL
    )
    return emacs if probe.returncode == 0 else None


@pytest.mark.e2e
def test_eglot_setup_shows_diagnostics_and_passes_settings(tmp_path):
    emacs = emacs_with_eglot()
    if emacs is None:
        pytest.skip("Emacs with Eglot is not installed (apt-get install emacs-nox elpa-eglot)")
    workspace = shutil.copytree(FIXTURE_WORKSPACE, tmp_path / "workspace")
    (workspace / ".git").mkdir()  # a project root for project.el
    result_file = tmp_path / "diagnostics.txt"
    env = {
        **os.environ,
        "PYTHONPATH": str(SERVER_SOURCE),
        "DIGEST_LS_CACHE_DIR": str(tmp_path / "cache"),
        "DIGEST_LS_EL_DIR": str(EDITORS / "emacs"),
        "DIGEST_LS_PYTHON": sys.executable,
        "DIGEST_LS_WORKSPACE": str(workspace),
        "DIGEST_LS_FILE": "2025-01-07.md",
        "DIGEST_LS_EXPECT": "D102 D202 D301",  # D204 is ignored through digest-ls-settings
        "DIGEST_LS_TEST_RESULT": str(result_file),
        "HOME": str(tmp_path),
    }

    completed = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(HERE / "emacs" / "eglot_check.el")],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr[-3000:]
    texts = result_file.read_text(encoding="utf-8").splitlines()
    assert sorted(re.search(r"\[(D\d+)\]", text).group(1) for text in texts) == ["D102", "D202", "D301"]
    assert any("`[Total: 3]` but section cs.DC has 2 entries" in text for text in texts)
