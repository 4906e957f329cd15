"""The command line as users of ruff expect it, run as a real `digest-ls` process: exit codes and output."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import pytest

from cli_runner import command, run_cli
from conftest import FIXTURES
from digest_ls.config import load_config
from digest_ls.rules.registry import RULES

DIGESTS = FIXTURES / "digests"
CLEAN = DIGESTS / "2026-01-05.md"
EDITED = DIGESTS / "2026-01-06-hand-edited.md"
NOTES = DIGESTS / "NOTES.md"
FIELD_MISSING = FIXTURES / "rules" / "D214-field-missing.md"
HEADLINE = re.compile(r"^(?P<path>\S.*?):(?P<row>\d+):(?P<col>\d+): (?P<code>D\d{3}) \[(?P<severity>\w+)\] (?P<message>.*)$")


@pytest.fixture
def work(tmp_path):
    for path in (CLEAN, EDITED, NOTES):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def findings(cwd: Path, *args) -> list[dict]:
    result = run_cli("check", "--output-format", "json", "--no-cache", *args, cwd=cwd)
    return json.loads(result.stdout)


# --- --diff and format --check / --diff --------------------------------------------


def test_diff_exits_1_while_fixes_are_pending_and_writes_nothing(work):
    before = (work / EDITED.name).read_bytes()
    fixable = [item for item in findings(work, EDITED.name) if item["fix"] and item["fix"]["applicability"] == "safe"]

    result = run_cli("check", "--diff", EDITED.name, cwd=work)

    assert result.returncode == 1
    assert result.stdout.startswith(f"--- {EDITED.name}\n+++ {EDITED.name}\n")
    assert f"Would fix {len(fixable)} problems in 1 file." in result.stderr
    assert (work / EDITED.name).read_bytes() == before


def test_diff_exits_0_when_nothing_would_change(work):
    result = run_cli("check", "--diff", CLEAN.name, cwd=work)
    assert (result.returncode, result.stdout) == (0, "")
    assert "No fixes to apply." in result.stderr


@pytest.mark.parametrize("mode", ["--check", "--diff"])
def test_format_check_and_diff_exit_1_and_say_would_reformat(work, mode):
    before = (work / EDITED.name).read_bytes()
    result = run_cli("format", mode, EDITED.name, CLEAN.name, cwd=work)
    assert result.returncode == 1
    assert f"would reformat {EDITED.name}" in result.stderr
    assert f"would reformat {CLEAN.name}" not in result.stderr
    assert (work / EDITED.name).read_bytes() == before
    assert run_cli("format", mode, CLEAN.name, cwd=work).returncode == 0


# --- safe and unsafe fixes --------------------------------------------------------------


def test_an_unsafe_fix_is_applied_only_with_unsafe_fixes(tmp_path):
    target = tmp_path / FIELD_MISSING.name
    shutil.copy(FIELD_MISSING, target)
    (tmp_path / ".digest-ls.toml").write_text("", encoding="utf-8")
    unsafe = [item for item in findings(tmp_path, target.name) if item["fix"] and item["fix"]["applicability"] == "unsafe"]
    assert [item["code"] for item in unsafe] == ["D214"]

    result = run_cli("check", "--fix", "--no-cache", target.name, cwd=tmp_path)
    assert target.read_bytes() == FIELD_MISSING.read_bytes()  # the only fix is unsafe: nothing written
    assert "1 more with --fix --unsafe-fixes" in result.stdout

    diff = run_cli("check", "--diff", "--unsafe-fixes", target.name, cwd=tmp_path)
    assert diff.returncode == 1 and "+Result:" in diff.stdout

    run_cli("check", "--fix", "--unsafe-fixes", "--no-cache", target.name, cwd=tmp_path)
    after = findings(tmp_path, target.name)
    assert "D214" not in {item["code"] for item in after}
    assert "D215" in {item["code"] for item in after}  # the inserted field is empty: still work to do


def test_show_fixes_lists_the_available_fixes_then_the_applied_ones(work):
    available = [item for item in findings(work, EDITED.name) if item["fix"]]
    listed = run_cli("check", "--show-fixes", "--output-format", "concise", EDITED.name, cwd=work).stdout
    for item in available:
        where = f"{EDITED.name}:{item['location']['row']}:{item['location']['column']}: {item['code']} {item['fix']['message']}"
        assert where in listed

    fixed = run_cli("check", "--fix", "--show-fixes", "--no-cache", EDITED.name, cwd=work).stdout
    assert f"Fixed {len(available)} problems:" in fixed
    for code, count in Counter(item["code"] for item in available).items():
        assert f"    {count} × {code} ({RULES[code].name})" in fixed


# --- --statistics, rule, output formats --------------------------------------------------


def test_statistics_count_the_findings_per_rule(work):
    counts = Counter(item["code"] for item in findings(work, "."))
    rows = json.loads(run_cli("check", "--statistics", "--output-format", "json", "--no-cache", ".", cwd=work).stdout)
    assert {row["code"]: row["count"] for row in rows} == counts
    assert all(row["name"] == RULES[row["code"]].name for row in rows)

    text = run_cli("check", "--statistics", "--no-cache", ".", cwd=work)
    assert text.returncode == 1
    for code, count in counts.items():
        assert re.search(rf"^\s*{count}  {code}  (\[\*\]|\[-\]|   ) {RULES[code].name}$", text.stdout, re.M), code


@pytest.mark.parametrize("name", ["D214", "d214", "field-missing"])
def test_rule_explains_one_rule_from_the_registry(tmp_path, name):
    rule = RULES["D214"]
    result = run_cli("rule", name, cwd=tmp_path)
    assert result.returncode == 0
    for part in (rule.code, rule.name, rule.summary, rule.why, rule.bad, rule.good, rule.fix, "--unsafe-fixes"):
        assert part in result.stdout
    as_json = json.loads(run_cli("rule", name, "--output-format", "json", cwd=tmp_path).stdout)
    assert as_json["code"] == "D214" and as_json["unsafe_fix"] == rule.unsafe_fix


def test_rule_names_no_rule_and_suggests_one(tmp_path):
    result = run_cli("rule", "duplicate-papers", cwd=tmp_path)
    assert result.returncode == 2 and "duplicate-paper" in result.stderr


def test_format_is_an_alias_of_output_format(work):
    for name in ("json", "sarif", "github", "junit", "concise", "full", "text"):
        alias = run_cli("check", "--format", name, "--no-cache", EDITED.name, cwd=work)
        option = run_cli("check", "--output-format", name, "--no-cache", EDITED.name, cwd=work)
        assert (alias.returncode, alias.stdout) == (option.returncode, option.stdout), name


def test_full_prints_the_source_line_and_a_caret_under_each_finding(work):
    text = (work / EDITED.name).read_text(encoding="utf-8").split("\n")
    lines = run_cli("check", "--no-cache", EDITED.name, cwd=work).stdout.split("\n")
    headlines = [(index, HEADLINE.match(line)) for index, line in enumerate(lines) if HEADLINE.match(line)]
    assert headlines
    for index, match in headlines:
        row, col = int(match["row"]), int(match["col"])
        source = lines[index + 2]
        caret = lines[index + 3]
        gutter = source.index("| ") + 2
        assert source[gutter:] == text[row - 1]
        assert caret.index("^") - gutter == col - 1  # these lines have no tab and no wide character


def test_full_aligns_the_caret_under_wide_characters_and_cuts_long_lines(tmp_path):
    text = CLEAN.read_text(encoding="utf-8")
    text = text.replace("Main category: cs.PL", "Main category: 中文中文cs.XX", 1)
    text = text.replace("*Maren Østby,", "*" + "Long Name," * 40 + "Maren Østby,,", 1)
    (tmp_path / "d.md").write_text(text, encoding="utf-8")
    out = run_cli("check", "--no-cache", "d.md", cwd=tmp_path).stdout.split("\n")
    category = next(i for i, line in enumerate(out) if "中文中文cs.XX" in line and "|" in line)
    assert out[category + 1].index("^") == out[category].index("中")
    assert out[category + 1].count("^") == 2 * 4 + 5  # four wide characters, then `cs.XX`
    authors = next(i for i, line in enumerate(out) if "D207" in line)
    shown = out[authors + 2]
    assert shown.rstrip().endswith("…") and len(shown) < 120


def test_colour_only_on_a_terminal_unless_asked(work):
    plain = run_cli("check", "--no-cache", EDITED.name, cwd=work)
    assert "\x1b[" not in plain.stdout
    forced = run_cli("check", "--no-cache", EDITED.name, cwd=work, env={"FORCE_COLOR": "1"})
    assert "\x1b[1;31mD102\x1b[0m" in forced.stdout
    assert "\x1b[" not in run_cli("check", EDITED.name, cwd=work, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout

    def on_a_terminal(env: dict) -> str:
        primary, secondary = pty.openpty()
        environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        environment.update(TERM="xterm", **env)
        process = subprocess.Popen(
            [*command(), "check", "--no-cache", EDITED.name], cwd=work, stdout=secondary, stderr=subprocess.DEVNULL,
            env=environment,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        os.close(primary)
        return b"".join(chunks).decode("utf-8")

    assert "\x1b[1;31mD102\x1b[0m" in on_a_terminal({})
    assert "\x1b[" not in on_a_terminal({"NO_COLOR": "1"})


def test_hints_and_infos_are_summarised_unless_asked_for(work):
    hints = [item for item in findings(work, EDITED.name) if item["severity"] in ("hint", "info")]
    assert hints
    default = run_cli("check", "--no-cache", EDITED.name, cwd=work).stdout
    listed = {match["code"] for match in map(HEADLINE.match, default.splitlines()) if match}
    assert not listed & {item["code"] for item in hints}
    codes = Counter(item["code"] for item in hints)
    summary = ", ".join(f"{code} {count}" for code, count in codes.most_common())
    assert f"not listed ({summary}); --show-hints lists them." in default
    for option in (["--show-hints"], ["--fail-on", "hint"]):
        out = run_cli("check", "--no-cache", "--output-format", "concise", *option, EDITED.name, cwd=work).stdout
        assert {match["code"] for match in map(HEADLINE.match, out.splitlines()) if match} >= set(codes)
        assert "not listed" not in out


def test_junit_holds_a_failing_case_per_finding(work):
    items = findings(work, ".")
    result = run_cli("check", "--output-format", "junit", "--no-cache", ".", cwd=work)
    root = ElementTree.fromstring(result.stdout)
    failures = root.findall("./testsuite/testcase/failure")
    assert len(failures) == len(items) == int(root.get("failures"))
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {CLEAN.name, EDITED.name}
    # The clean digest's one finding: the edited one repeats its papers (D401).
    assert [case.get("name").split()[0] for case in suites[CLEAN.name].findall("testcase")] == ["D401"]


# --- standard input ------------------------------------------------------------------------


def test_check_reads_standard_input_as_the_named_file(work):
    folder = work / "sub"
    folder.mkdir()
    (folder / ".digest-ls.toml").write_text('ignore = ["D301"]\n', encoding="utf-8")
    text = EDITED.read_text(encoding="utf-8")
    result = run_cli("check", "-", "--stdin-filename", "sub/today.md", "--output-format", "json", cwd=work, stdin=text)
    items = json.loads(result.stdout)
    assert result.returncode == 1
    assert {item["filename"] for item in items} == {"sub/today.md"}
    assert "D301" not in {item["code"] for item in items}  # the configuration of sub/ applies
    assert {item["code"] for item in items} == {item["code"] for item in findings(work, EDITED.name)} - {"D301"}


def test_fix_on_standard_input_writes_the_fixed_text_to_stdout(work):
    crlf = EDITED.read_bytes().replace(b"\n", b"\r\n")
    (work / "crlf.md").write_bytes(crlf)
    result = run_cli("check", "--fix", "-", "--stdin-filename", "crlf.md", cwd=work, stdin=crlf)
    run_cli("check", "--fix", "--no-cache", "crlf.md", cwd=work)
    assert result.stdout.encode("utf-8") == (work / "crlf.md").read_bytes()  # the same fixes, CRLF kept
    assert "crlf.md:" in result.stderr and "fixed" in result.stderr  # the report goes to stderr
    assert crlf == EDITED.read_bytes().replace(b"\n", b"\r\n")


def test_format_reads_standard_input(work):
    result = run_cli("format", "-", cwd=work, stdin=EDITED.read_text(encoding="utf-8"))
    run_cli("format", EDITED.name, cwd=work)
    assert result.returncode == 0 and result.stdout == (work / EDITED.name).read_text(encoding="utf-8")
    assert run_cli("format", "--check", "-", cwd=work, stdin=CLEAN.read_text(encoding="utf-8")).returncode == 0


def test_standard_input_is_not_mixed_with_paths(work):
    result = run_cli("check", "-", CLEAN.name, cwd=work, stdin="")
    assert result.returncode == 2 and "cannot be mixed" in result.stderr


# --- --show-settings and --show-files -------------------------------------------------


def test_show_settings_prints_the_configuration_and_its_file(work):
    data = work / "data"
    data.mkdir()
    config_file = data / ".digest-ls.toml"
    config_file.write_text('ignore = ["D304"]\nexclude = ["archive/**"]\nseverity = { D205 = "error" }\n', encoding="utf-8")
    result = run_cli("check", "--show-settings", "data/today.md", cwd=work)
    assert result.returncode == 0
    assert f"# from {config_file}" in result.stdout
    assert f"project root {data}" in result.stdout
    shown = tomllib.loads(result.stdout)
    expected = load_config(config_file)
    assert shown["ignore"] == list(expected.ignore) and shown["exclude"] == list(expected.exclude)
    assert shown["severity"] == dict(expected.severity) and shown["required-fields"] == list(expected.required_fields)

    defaults = run_cli("check", "--show-settings", "--select", "D2", CLEAN.name, cwd=work)
    assert "# from the defaults" in defaults.stdout and "--select from the command line" in defaults.stdout
    assert tomllib.loads(defaults.stdout)["select"] == ["D2"]


def test_show_files_lists_what_would_be_checked_and_what_is_skipped(work):
    (work / "archive").mkdir()
    shutil.copy(EDITED, work / "archive" / "old.md")
    (work / ".hidden").mkdir()
    shutil.copy(EDITED, work / ".hidden" / "x.md")
    (work / ".digest-ls.toml").write_text('exclude = ["archive"]\n', encoding="utf-8")
    result = run_cli("check", "--show-files", ".", cwd=work)
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert [line for line in lines if not line.startswith("skipped ")] == [CLEAN.name, EDITED.name]
    assert f"skipped {NOTES.name}: not a digest" in lines
    assert f"skipped archive/old.md: excluded by `archive` in {work / '.digest-ls.toml'}" in lines
    assert "skipped .hidden/: a hidden folder" in lines


def test_the_registry_documents_exactly_the_rules_with_unsafe_fixes():
    from digest_ls.config import config_for
    from digest_ls.lint import lint
    from digest_ls.parser.document import parse

    unsafe = set()
    for path in sorted((FIXTURES / "rules").rglob("*.md")):
        if path.name.endswith(".fixed.md") or path.name == "README.md":
            continue
        for diagnostic in lint(parse(path.read_bytes().decode("utf-8")), config_for(path)).diagnostics:
            if diagnostic.fix is not None and not diagnostic.fix.safe:
                unsafe.add(diagnostic.code)
    # `digest-ls rule` tells why a rule's fixes (or some of them) are unsafe; no rule claims it wrongly.
    assert unsafe == {code for code, rule in RULES.items() if rule.unsafe_fix}
    assert "D214" in unsafe


def test_the_entry_point_starts_serve_without_the_command_line_and_hands_the_rest_to_it():
    script = (
        "import sys\n"
        "from digest_ls.entry import main\n"
        "status = main(['serve', '--tcp', 'localhost:port'])\n"  # a bad port, said before the server starts
        "print(status, 'digest_ls.cli' in sys.modules, 'digest_ls.report' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["2", "False", "False"]
    assert "expects HOST:PORT" in result.stderr
    rules = subprocess.run([sys.executable, "-m", "digest_ls", "rules", "--format", "json"], capture_output=True, text=True, timeout=60)
    assert rules.returncode == 0 and "D401" in rules.stdout
