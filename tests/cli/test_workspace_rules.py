"""`digest-ls check` runs the workspace rules (D401/D402) across the files it checks, as the server does.

Each file is linted up to its workspace scope on its own (in workers for large runs), then finished over
the files checked together; the results cache keeps what that needs, so a warm run reads no file and
still answers for a workspace in which another file changed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from digest_ls.cli import main
from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.rules.workspace_rules import WorkspaceView

WORKSPACE = FIXTURES / "workspace"
DIGESTS = ("2026-01-10.md", "2026-01-11.md", "archive/2026-01-09.md")
WORKSPACE_CODES = {"D401", "D402"}


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(WORKSPACE, tmp_path / "ws")
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def check(capsys, *argv) -> list[dict]:
    main(["check", "--output-format", "json", "--exit-zero", *argv])
    return json.loads(capsys.readouterr().out)


def workspace_findings(items: list[dict]) -> set[tuple]:
    return {
        (item["filename"], item["code"], item["location"]["row"], item["location"]["column"], item["message"])
        for item in items
        if item["code"] in WORKSPACE_CODES
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 1_000_000_000,) * 2)  # a new stamp, however coarse the clock


def test_the_command_line_reports_what_the_server_reports(work, capsys):
    index = WorkspaceIndex([work], Config(), None)
    index.scan()
    served = set()
    for name in DIGESTS:
        path = work / name
        found = lint(parse(path.read_text(encoding="utf-8")), Config(), workspace=WorkspaceView(index, str(path), 0))
        served |= {
            (name, d.code, d.range.start_line + 1, d.range.start_col + 1, d.message)
            for d in found.diagnostics
            if d.code in WORKSPACE_CODES
        }
    checked = workspace_findings(check(capsys, "--no-cache", "."))
    assert {code for _, code, *_ in checked} == WORKSPACE_CODES
    # The same findings at the same places; only a D402's count differs, as the server also counts the
    # spellings of the metadata files (JSONL), which the command line does not check.
    assert {without_count(finding) for finding in checked} == {without_count(finding) for finding in served}
    assert {finding for finding in checked if finding[1] == "D401"} == {finding for finding in served if finding[1] == "D401"}


def without_count(finding: tuple) -> tuple:
    *place, message = finding
    return (*place, re.sub(r" \d+ times? in the workspace$", "", message))


def test_only_the_files_checked_together_make_the_workspace(work, capsys):
    alone = workspace_findings(check(capsys, "--no-cache", "2026-01-10.md"))
    assert not {finding for finding in alone if finding[1] == "D401"}  # its repeats are in files not checked
    together = workspace_findings(check(capsys, "--no-cache", "2026-01-10.md", "2026-01-11.md"))
    assert ("2026-01-10.md", "D401", 13, 57, "2601.00101 is already listed in 2026-01-11.md") in together
    assert not {finding for finding in together if "2026-01-09.md" in finding[4]}


def test_a_warm_run_follows_a_change_in_another_file(work, capsys):
    cold = workspace_findings(check(capsys, "."))
    assert ("2026-01-10.md", "D401", 13, 57, "2601.00101 is already listed in 2026-01-11.md") in cold
    assert workspace_findings(check(capsys, ".")) == cold  # nothing changed: the cached answer
    edit(work / "2026-01-11.md", "2601.00101", "2601.00999")
    warm = workspace_findings(check(capsys, "."))
    # 2026-01-10.md did not change and is not read again, yet its repeat of 2601.00101 is gone.
    assert not {finding for finding in warm if "2601.00101" in finding[4]}
    assert warm == workspace_findings(check(capsys, "--no-cache", "."))


def test_a_suppression_used_by_a_workspace_rule_is_not_reported_unused(work, capsys):
    edit(
        work / "2026-01-10.md",
        "### [1] ",
        "<!-- digest-ls: disable-next-entry D401 -->\n### [1] ",
    )
    for argv in (("--no-cache", "."), (".",), (".",)):  # cold, then twice from the cache
        items = check(capsys, *argv)
        mine = [item for item in items if item["filename"] == "2026-01-10.md"]
        assert "D001" not in {item["code"] for item in mine}
        assert [item["paper"] for item in mine if item["code"] == "D401"] == ["2601.00103"]


def test_a_file_that_turns_the_rules_off_still_lists_its_papers(work, capsys):
    (work / "archive" / ".digest-ls.toml").write_text('ignore = ["D401", "D402"]\n', encoding="utf-8")
    findings = workspace_findings(check(capsys, "--no-cache", "."))
    assert not {finding for finding in findings if finding[0].startswith("archive")}
    assert ("2026-01-10.md", "D401", 67, 42, "2601.00103 is already listed in 2026-01-09.md") in findings


def test_worker_processes_give_the_same_answer(work, capsys):
    one = check(capsys, "--no-cache", "--jobs", "1", ".")
    two = check(capsys, "--no-cache", "--jobs", "2", ".")
    assert workspace_findings(one) and one == two


def test_a_lost_pending_file_costs_a_read_not_an_answer(work, capsys):
    cold = check(capsys, ".")
    edit(work / "2026-01-11.md", "2601.00101", "2601.00999")  # the next run must finish the workspace again
    (pending,) = (work / ".digest-ls-cache").glob("*/pending.json")
    pending.write_text("not json", encoding="utf-8")
    assert check(capsys, ".") == check(capsys, "--no-cache", ".") != cold
