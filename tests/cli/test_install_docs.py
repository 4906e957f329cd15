"""Install instructions that work as written: nothing tells users to install what is not published,
or to use a repository URL that exists nowhere. (.ci/run builds and installs the wheel itself.)"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

DOCS = [
    ROOT / "README.md",
    ROOT / "editors" / "README.md",
    ROOT / "editors" / "nvim" / "README.md",
    ROOT / "editors" / "vscode" / "README.md",
    ROOT / ".pre-commit-hooks.yaml",
]


def code_lines(path):
    """Lines inside fenced code blocks (and every line of a YAML file, whose comments are its instructions)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":
        return text.splitlines()
    return [line for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M) for line in block.splitlines()]


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_instruction_installs_the_unpublished_package(path):
    for line in code_lines(path):
        assert not re.search(r"pip(x)? install +(-U +)?digest-ls\b", line), line
        assert "ext install" not in line and "marketplace" not in line.lower(), line


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_instruction_points_at_an_unknown_url(path):
    text = path.read_text(encoding="utf-8")
    assert "repository's URL" not in text and "<this repository" not in text


def test_the_readme_says_what_is_not_published():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install\n", 1)[1].split("\n## ", 1)[0]
    for words in ("Nothing is published", "PyPI", "Marketplace", "Open VSX", "npm run package", "pipx install"):
        assert words in install, words


def test_the_readme_pre_commit_hooks_exist():
    declared = set(re.findall(r"^- id: (\S+)", (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"), re.M))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### pre-commit\n", 1)[1].split("\n## ", 1)[0]
    used = set(re.findall(r"- id: ([\w-]+)", section))
    assert used and used <= declared
