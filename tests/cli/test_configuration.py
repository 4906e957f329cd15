"""Configuration paths relative to the file that sets them, the cache at the project root, and every
configuration source checked (unknown codes, wrong types, per-paper keys), suppression comments too."""

from __future__ import annotations

import json
import shutil

import pytest

from cli_runner import run_cli
from conftest import FIXTURES
from digest_ls.config import Config, ConfigError, config_from_mapping
from digest_ls.lsp.settings import Settings

CLEAN = FIXTURES / "digests" / "2026-01-05.md"
EDITED = FIXTURES / "digests" / "2026-01-06-hand-edited.md"


@pytest.fixture
def project(tmp_path):
    """data/.digest-ls.toml excluding archive/**, a clean digest in data/ and a broken one in data/archive/."""
    data = tmp_path / "data"
    (data / "archive").mkdir(parents=True)
    shutil.copy(CLEAN, data / CLEAN.name)
    shutil.copy(EDITED, data / "archive" / "old.md")
    (data / ".digest-ls.toml").write_text('exclude = ["archive/**"]\n', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "folder, argument",
    [("", "data"), ("data", "."), ("data/archive", ".."), ("data/archive", "."), ("data/archive", "old.md")],
)
def test_exclude_is_relative_to_the_configuration_file(project, folder, argument):
    result = run_cli("check", "--no-cache", argument, cwd=project / folder)
    assert result.returncode == 0, result.stdout
    assert "old.md" not in result.stdout


def test_the_cache_lives_at_the_project_root(project):
    run_cli("check", "..", cwd=project / "data" / "archive")
    assert (project / "data" / ".digest-ls-cache").is_dir()
    assert not (project / "data" / "archive" / ".digest-ls-cache").exists()
    # With no configuration file, it stays in the folder the command runs in.
    loose = project / "loose"
    loose.mkdir()
    shutil.copy(CLEAN, loose / CLEAN.name)
    run_cli("check", CLEAN.name, cwd=loose)
    assert (loose / ".digest-ls-cache").is_dir()


BAD_VALUES = [
    ('ignore = ["D999"]', "`ignore`", "D999"),
    ('select = ["D9"]', "`select`", "D9"),
    ('severity = { D999 = "off" }', "`severity`", "D999"),
    ('severity = { D2 = "off" }', "`severity`", "D2"),
    ('exclude = "archive/**"', "`exclude`", "archive/**"),
    ('per-paper-ignores = { "notanid" = ["D205"] }', "`per-paper-ignores`", "notanid"),
    ('per-paper-ignores = { "2507.07480" = ["D999"] }', "`per-paper-ignores`", "D999"),
]


@pytest.mark.parametrize("line, key, value", BAD_VALUES)
@pytest.mark.parametrize("file_name", [".digest-ls.toml", "pyproject.toml"])
def test_invalid_values_in_a_file_are_errors_naming_the_file_and_key(tmp_path, line, key, value, file_name):
    shutil.copy(CLEAN, tmp_path / CLEAN.name)
    table = f"[tool.digest-ls]\n{line}\n" if file_name == "pyproject.toml" else f"{line}\n"
    (tmp_path / file_name).write_text(table, encoding="utf-8")
    result = run_cli("check", "--no-cache", CLEAN.name, cwd=tmp_path)
    assert result.returncode == 2
    assert str(tmp_path / file_name) in result.stderr and key in result.stderr and value in result.stderr


@pytest.mark.parametrize("option, value", [("--select", "D999"), ("--ignore", "D9")])
def test_unknown_codes_on_the_command_line_are_errors(tmp_path, option, value):
    result = run_cli("check", option, value, str(CLEAN), cwd=tmp_path)
    assert result.returncode == 2 and "the command line" in result.stderr and value in result.stderr


def test_valid_values_still_pass(tmp_path):
    shutil.copy(CLEAN, tmp_path / CLEAN.name)
    (tmp_path / ".digest-ls.toml").write_text(
        'select = ["ALL"]\nignore = ["D3", "D205"]\nseverity = { D205 = "error" }\n'
        'per-paper-ignores = { "2507.07480v2" = ["D2"], "hep-th/9901001" = ["D301"] }\n',
        encoding="utf-8",
    )
    assert run_cli("check", "--no-cache", CLEAN.name, cwd=tmp_path).returncode == 0


def test_the_server_shows_one_message_and_keeps_the_defaults():
    messages = []
    settings = Settings(messages.append)
    settings.set_client_settings({"ignore": ["D999"], "exclude": "drafts/**"})
    settings.set_client_settings({"ignore": ["D999"], "exclude": "drafts/**"})
    assert len(messages) == 1 and "D999" in messages[0] and "`ignore`" in messages[0]
    assert settings.config_for(None) == Config()
    with pytest.raises(ConfigError, match="`exclude` must be a list of strings"):
        config_from_mapping({"exclude": "drafts/**"}, "the editor setting `digest-ls`")


@pytest.mark.parametrize(
    "comment, word",
    [
        ("<!-- digest-ls: disabel D204 -->", "disabel"),
        ("<!-- digest-ls: disable D999 -->", "D999"),
        ("<!-- digest-ls: disable-next-entry D205 no-such-rule -->", "no-such-rule"),
        ("<!-- digest-ls: disable-filex -->", "disable-filex"),
    ],
)
def test_a_misunderstood_suppression_is_reported_where_it_is(tmp_path, comment, word):
    text = CLEAN.read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(index for index, line in enumerate(lines) if line.startswith("### [2]"))
    lines.insert(row, comment)
    (tmp_path / "d.md").write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("check", "--output-format", "json", "--no-cache", "d.md", cwd=tmp_path)
    (found,) = [item for item in json.loads(result.stdout) if item["code"] == "D002"]
    assert result.returncode == 1 and found["severity"] == "warning"
    assert found["location"] == {"row": row + 1, "column": comment.index(word) + 1}
    assert found["end_location"]["column"] == comment.index(word) + len(word) + 1
    assert word in found["message"]
