"""The rule catalogue against its fixtures: one invented digest per rule with golden output.

Each `fixtures/rules/**/NAME.md` is linted with the `.digest-ls.toml` nearest
to it and compared with `NAME.expected` (the lines `digest-ls check --format
text` prints, without the path); where `NAME.fixed.md` exists, `fix_all` must
produce it, remove the rule's diagnostics and be idempotent.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from digest_ls.cli import main
from digest_ls.config import config_for
from digest_ls.fixes import fix_all
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.rules.registry import RULES

RULE_FIXTURES = FIXTURES / "rules"
_CODE_PREFIX = re.compile(r"(D\d{3})-")


def fixture_files() -> list[Path]:
    return sorted(
        path
        for path in RULE_FIXTURES.rglob("*.md")
        if not path.name.endswith(".fixed.md") and path.name != "README.md"
    )


def fixture_id(path: Path) -> str:
    return path.relative_to(RULE_FIXTURES).as_posix()


def rule_of(path: Path) -> str | None:
    match = _CODE_PREFIX.match(path.name)
    return match.group(1) if match else None


def read(path: Path) -> str:
    # Bytes, not read_text: the fixtures' line terminators are part of what is checked.
    return path.read_bytes().decode("utf-8")


def rendered(diagnostics) -> list[str]:
    return [
        f"{d.range.start_line + 1}:{d.range.start_col + 1}: {d.code} [{d.severity.label}] {d.message}"
        for d in diagnostics
    ]


def checked(path: Path):
    config = config_for(path)
    document = parse(read(path))
    return document, config, lint(document, config).diagnostics


FIXTURE_FILES = fixture_files()


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=fixture_id)
def test_fixture_matches_its_golden_files(path: Path):
    document, config, diagnostics = checked(path)
    expected = read(path.with_suffix(".expected")).splitlines()
    assert rendered(diagnostics) == expected

    code = rule_of(path)
    if code is not None:
        assert code in {d.code for d in diagnostics}, f"{path.name} does not trigger {code}"

    fixed_path = path.with_name(path.stem + ".fixed.md")
    if code is not None and RULES[code].fixable:
        assert fixed_path.exists(), f"{code} is fixable: {fixed_path.name} is missing"
    if not fixed_path.exists():
        return
    fixed = fix_all(document, config)
    assert fixed == read(fixed_path)
    fixed_document = parse(fixed)
    if code is not None:
        assert [d for d in lint(fixed_document, config).diagnostics if d.code == code] == []
    assert fix_all(fixed_document, config) == fixed


def test_clean_fixture_has_no_diagnostic():
    _, _, diagnostics = checked(RULE_FIXTURES / "clean.md")
    assert diagnostics == ()


def test_every_rule_of_the_registry_has_a_fixture():
    covered = {rule_of(path) for path in FIXTURE_FILES}
    missing = [code for code, rule in RULES.items() if rule.scope != "workspace" and code not in covered]
    assert missing == []


def test_every_rule_has_documentation():
    for code, rule in RULES.items():
        assert re.fullmatch(r"D\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), code
        for part in ("summary", "why", "bad", "good"):
            assert getattr(rule, part).strip(), f"{code} has no `{part}`"
        assert rule.bad != rule.good, code


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=fixture_id)
def test_fixes_are_offered_exactly_by_fixable_rules(path: Path):
    _, _, diagnostics = checked(path)
    code = rule_of(path)
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            assert RULES[diagnostic.code].fixable, f"{diagnostic.code} offers a fix but the registry says it has none"
            assert diagnostic.fix.edits and diagnostic.fix.message
        elif diagnostic.code == code and RULES[code].fixable:
            pytest.fail(f"{code} at line {diagnostic.range.start_line + 1} of {path.name} carries no fix")


def test_the_command_line_prints_the_golden_lines(capsys, monkeypatch, tmp_path):
    # The goldens claim to be what `digest-ls check --format text FILE` prints. One file a run: checked
    # together, the fixtures would be one workspace, each listing the others' papers (D401).
    monkeypatch.chdir(tmp_path)
    for path in FIXTURE_FILES:
        main(["check", "--format", "text", "--no-cache", "--exit-zero", str(path)])
        printed = capsys.readouterr().out.splitlines()
        prefix = f"{path}:"
        lines = [line[len(prefix) :] for line in printed if line.startswith(prefix)]
        assert lines == read(path.with_suffix(".expected")).splitlines(), path.name


FIXED_FILES = [path for path in FIXTURE_FILES if path.with_name(path.stem + ".fixed.md").exists()]


@pytest.mark.parametrize("path", FIXED_FILES, ids=fixture_id)
def test_check_fix_writes_the_fixed_golden(path: Path, tmp_path, monkeypatch, capsys):
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    monkeypatch.chdir(tmp_path)
    main(["check", "--fix", "--unsafe-fixes", "--exit-zero", "--no-cache", "--config", str(path.parent / ".digest-ls.toml"), str(copy)])
    capsys.readouterr()
    assert copy.read_bytes() == path.with_name(path.stem + ".fixed.md").read_bytes()
