"""The command line, run in-process through `main(argv)` and once as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, ROOT, needs_corpus
from digest_ls import files
from digest_ls.cli import main
from digest_ls.rules.registry import RULES

CLEAN = FIXTURES / "digests" / "2026-01-05.md"
EDITED = FIXTURES / "digests" / "2026-01-06-hand-edited.md"
NOTES = FIXTURES / "digests" / "NOTES.md"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path in (CLEAN, EDITED, NOTES):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_text_output_lines_and_summary(workdir, capsys):
    # `--format text` is what scripts parse: one line per finding of every severity, then the summary.
    status, out, _ = run(capsys, "check", "--format", "text", ".")
    lines = out.strip().splitlines()
    assert status == 1
    pattern = re.compile(r"^\S+:\d+:\d+: D\d{3} \[(error|warning|info|hint)\] .+$")
    assert all(pattern.match(line) for line in lines[:-1])
    assert "2026-01-06-hand-edited.md:6:27: D102 [error]" in out
    # 2 info: each digest repeats five papers of the other (D401, summarised per file).
    assert lines[-1].startswith("Found 10 problems (3 errors, 4 warnings, 2 info, 1 hint) in 2 digests")
    assert "1 non-digest file skipped" in lines[-1]


def test_clean_file_exits_zero(workdir, capsys):
    status, out, _ = run(capsys, "check", CLEAN.name)
    assert status == 0
    assert out.startswith("Found 0 problems")


def test_json_output_schema(workdir, capsys):
    status, out, _ = run(capsys, "check", "--format", "json", EDITED.name)
    items = json.loads(out)
    assert status == 1
    assert {item["code"] for item in items} >= {"D102", "D202", "D204", "D207", "D209", "D210", "D213", "D301"}
    for item in items:
        assert set(item) == {"code", "name", "severity", "message", "filename", "location", "end_location", "paper", "fix"}
        assert item["name"] == RULES[item["code"]].name
        assert item["severity"] in ("error", "warning", "info", "hint")
        assert set(item["location"]) == {"row", "column"}
        assert item["location"]["row"] >= 1 and item["location"]["column"] >= 1
    link = next(item for item in items if item["code"] == "D204")
    assert link["paper"] == "2601.00012"
    edit = link["fix"]["edits"][0]
    assert edit["content"] == "https://arxiv.org/abs/2601.00012"
    line = EDITED.read_text(encoding="utf-8").split("\n")[edit["location"]["row"] - 1]
    start, end = edit["location"]["column"] - 1, edit["end_location"]["column"] - 1
    assert line[start:end] == "http://arxiv.org/pdf/2601.00012v2"


def test_columns_count_code_points(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = CLEAN.read_text(encoding="utf-8").replace("*Maren Østby,", "*Maren Østby,,")
    (tmp_path / "d.md").write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", "--no-cache", "d.md")
    item = next(i for i in json.loads(out) if i["code"] == "D207")
    line = text.split("\n")[item["location"]["row"] - 1]
    assert line[item["location"]["column"] - 1 :].startswith("*Maren Østby")


def test_sarif_output(workdir, capsys):
    _, out, _ = run(capsys, "check", "--format", "sarif", EDITED.name)
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    assert run_["tool"]["driver"]["name"] == "digest-ls"
    assert len(run_["tool"]["driver"]["rules"]) == len(RULES)
    result = run_["results"][0]
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert result["level"] in ("error", "warning", "note")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_github_annotations(workdir, capsys):
    _, out, _ = run(capsys, "check", "--format", "github", EDITED.name)
    first = out.splitlines()[0]
    assert re.match(r"^::(error|warning|notice) file=2026-01-06-hand-edited\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=D\d{3} [a-z-]+::", first)


def test_select_ignore_and_fail_on(workdir, capsys):
    status, out, _ = run(capsys, "check", "--select", "D2", "--ignore", "D204,D209", "--format", "json", EDITED.name)
    codes = {item["code"] for item in json.loads(out)}
    assert codes == {"D202", "D207", "D210", "D213"}
    assert status == 1
    status, _, _ = run(capsys, "check", "--select", "D204", EDITED.name)
    assert status == 0  # a hint is below the default threshold
    status, _, _ = run(capsys, "check", "--select", "D204", "--fail-on", "info", EDITED.name)
    assert status == 0
    status, _, _ = run(capsys, "check", "--exit-zero", EDITED.name)
    assert status == 0


def test_fix_applies_mechanical_fixes_and_keeps_crlf(workdir, capsys):
    crlf = workdir / "crlf.md"
    crlf.write_bytes(EDITED.read_bytes().replace(b"\n", b"\r\n"))
    status, out, _ = run(capsys, "check", "--fix", "--format", "json", crlf.name)
    data = crlf.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    remaining = {item["code"] for item in json.loads(out)}
    assert not remaining & {"D102", "D202", "D204", "D207", "D213"}
    assert {"D209", "D210", "D301"} <= remaining  # no mechanical fix for these
    text = data.decode("utf-8")
    assert "[Total: 3]" in text and "https://arxiv.org/abs/2601.00012)" in text
    assert "*Olu Adeyemi,Zoë Müller*" in text
    before = text
    run(capsys, "check", "--fix", crlf.name)
    assert crlf.read_bytes().decode("utf-8") == before  # a second run changes nothing


def test_diff_writes_nothing(workdir, capsys):
    before = (workdir / EDITED.name).read_bytes()
    _, out, _ = run(capsys, "check", "--diff", EDITED.name)
    assert out.startswith("--- ")
    assert "+- [cs.DC](#cs.DC) [Total: 3]" in out
    assert (workdir / EDITED.name).read_bytes() == before


def test_invalid_configuration_exits_2_naming_file_and_key(workdir, capsys):
    (workdir / "pyproject.toml").write_text('[tool.digest-ls]\nselect = "D9x"\n', encoding="utf-8")
    status, _, err = run(capsys, "check", CLEAN.name)
    assert status == 2
    assert "pyproject.toml" in err and "`select`" in err and "D9x" in err


def test_configuration_is_applied(workdir, capsys):
    (workdir / ".digest-ls.toml").write_text(
        'ignore = ["D301"]\nseverity = { D102 = "hint", D204 = "off" }\n', encoding="utf-8"
    )
    _, out, _ = run(capsys, "check", "--format", "json", "--no-cache", EDITED.name)
    items = json.loads(out)
    assert "D301" not in {i["code"] for i in items} and "D204" not in {i["code"] for i in items}
    assert next(i for i in items if i["code"] == "D102")["severity"] == "hint"


def test_unreadable_and_non_utf8_files_are_reported_and_the_run_goes_on(workdir, capsys):
    (workdir / "latin1.md").write_bytes("### [1] [Caf\xe9](https://arxiv.org/abs/2601.00011)\n".encode("latin-1"))
    status, out, err = run(capsys, "check", ".", "missing.md")
    assert status == 2
    assert "latin1.md: not UTF-8" in err
    assert "missing.md: no such file" in err
    assert "D102" in out  # the other files were still checked


def test_cache_returns_the_same_results(workdir, capsys):
    _, first, _ = run(capsys, "check", "--format", "json", ".")
    assert (workdir / ".digest-ls-cache").is_dir()
    _, second, _ = run(capsys, "check", "--format", "json", ".")
    assert first == second
    (workdir / EDITED.name).write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(workdir / EDITED.name, ns=(1, 1))
    _, third, _ = run(capsys, "check", "--format", "json", ".")
    # The edited file is now the clean one's copy: what is left is each one listing the other's papers,
    # which the cache must not hide (the clean file did not change, its workspace did).
    findings = json.loads(third)
    assert {item["code"] for item in findings} == {"D401"}
    assert {item["filename"] for item in findings} == {CLEAN.name, EDITED.name}


def test_format_is_idempotent_and_keeps_clean_files(workdir, capsys):
    status, _, _ = run(capsys, "format", "--check", CLEAN.name)
    assert status == 0
    status, _, err = run(capsys, "format", "--check", EDITED.name)
    assert status == 1 and "would reformat" in err
    run(capsys, "format", EDITED.name)
    once = (workdir / EDITED.name).read_text(encoding="utf-8")
    assert "[Total: 3]" in once and "### [4] [Elastic" in once
    run(capsys, "format", EDITED.name)
    assert (workdir / EDITED.name).read_text(encoding="utf-8") == once
    original_words = EDITED.read_text(encoding="utf-8").split()
    for word in ("cs.DCC", "Method extraction failed".split()[0]):
        assert word in once
    assert len(once.split()) >= len(original_words) - 2


def test_failed_write_leaves_the_file_intact(workdir, capsys, monkeypatch):
    target = workdir / EDITED.name
    before = target.read_bytes()

    def fail_midway(fd, *args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", fail_midway)
    status, _, err = run(capsys, "format", EDITED.name)
    assert status == 2 and "cannot write" in err
    assert target.read_bytes() == before
    assert [p.name for p in workdir.iterdir() if p.name.endswith(".tmp")] == []


def test_outline_json(capsys):
    status, out, _ = run(capsys, "outline", str(CLEAN))
    data = json.loads(out)
    assert status == 0
    assert data["is_digest"] is True and data["template"] == "current"
    assert [item["category"] for item in data["toc"]] == ["cs.PL", "cs.DC", "cs.AR"]
    assert [item["total"] for item in data["toc"]] == [2, 3, 1]
    entry = data["sections"][1]["entries"][0]
    assert entry["number"] == 3 and entry["arxiv_id"] == "2601.00021" and entry["version"] is None
    assert entry["authors"] == ["Adaeze Okafor", "Li Wei", "Sébastien Marchand"]
    assert entry["category"] == "cs.DC"
    assert list(entry["fields"]) == ["Motivation", "Method", "Result", "Conclusion", "Abstract"]
    assert entry["row"] < entry["end_row"]
    status, out, _ = run(capsys, "outline", str(NOTES))
    assert json.loads(out)["is_digest"] is False


def test_rules_catalogue_formats(capsys):
    _, out, _ = run(capsys, "rules", "--format", "json")
    rules = json.loads(out)
    assert [r["code"] for r in rules] == list(RULES)
    _, out, _ = run(capsys, "rules")
    assert "D205  duplicate-paper" in out


def test_readme_rules_section_matches_the_registry(capsys):
    _, markdown, _ = run(capsys, "rules", "--format", "markdown")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert section == markdown


def test_console_script_runs_as_a_real_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "digest_ls", "check", "--no-cache", str(CLEAN), str(NOTES)],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT / "server")},
    )
    assert result.returncode == 0, result.stderr
    assert "in 1 digest; 1 non-digest file skipped" in result.stdout


@needs_corpus
def test_corpus_check_json_is_complete_and_parallel_equals_serial(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, serial, _ = run(capsys, "check", "--format", "json", "--no-cache", "--jobs", "1", str(CORPUS))
    _, parallel, _ = run(capsys, "check", "--format", "json", "--no-cache", "--jobs", "2", str(CORPUS))
    assert json.loads(serial) == json.loads(parallel)
    assert len({item["filename"] for item in json.loads(serial)}) >= 10


def test_exclude_globs_match_however_the_path_is_written(workdir, capsys):
    archive = workdir / "archive"
    archive.mkdir()
    shutil.copy(EDITED, archive / "old.md")
    (workdir / ".digest-ls.toml").write_text('exclude = ["archive/**"]\n', encoding="utf-8")
    for argument in ("archive", "./archive", str(archive)):
        status, out, _ = run(capsys, "check", "--no-cache", argument)
        assert status == 0 and "old.md" not in out, argument
