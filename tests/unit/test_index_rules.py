"""Workspace rules D401 (seen-before) and D402 (author-variant) over the fixture workspace, through `lint`.

They run in the one rule engine with every other scope, so configuration, per-paper ignores and
suppression comments (and D001's view of which comments were used) apply to them exactly as to the rest.
"""

from __future__ import annotations

from pathlib import Path

from digest_ls.config import Config
from digest_ls.diagnostics import Severity
from digest_ls.index import WorkspaceIndex
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.rules.registry import RULES
from digest_ls.rules.workspace_rules import WorkspaceView
from test_features_support import WORKSPACE, fixture_document, fixture_path, span_text, workspace_index


def workspace_diagnostics(index, path: str, document, config: Config = Config()):
    found = lint(document, config, workspace=WorkspaceView(index, path, 0)).diagnostics
    return [d for d in found if RULES[d.code].scope == "workspace"]


def diagnostics(name: str, index=None, document=None, config: Config = Config()):
    index = index or workspace_index()
    return workspace_diagnostics(index, fixture_path(name), document or fixture_document(name), config)


def test_seen_before_points_at_the_other_digests():
    found = [d for d in diagnostics("2026-01-10.md") if d.code == "D401"]
    assert [d.paper for d in found] == ["2601.00101", "2601.00103"]
    first = found[0]
    assert first.severity == RULES["D401"].severity
    assert "2026-01-11.md" in first.message
    assert span_text(fixture_document("2026-01-10.md"), first.range) == "https://arxiv.org/abs/2601.00101"
    (related,) = first.related
    assert related.path == fixture_path("2026-01-11.md") and related.range.start_line == 12
    assert "[1]" in related.message
    typed_holes = found[1]
    assert [Path(r.path).name for r in typed_holes.related] == ["2026-01-09.md"]


def test_seen_before_ignores_the_file_itself():
    found = [d for d in diagnostics("2026-01-11.md") if d.code == "D401"]
    assert [d.paper for d in found] == ["2601.00101"]  # 2601.00204/205 are only in the JSONL besides


def test_author_variant_hints_at_the_more_frequent_spelling():
    found = [d for d in diagnostics("2026-01-11.md") if d.code == "D402"]
    assert len(found) == 1
    (variant,) = found
    assert variant.severity == Severity.HINT
    assert span_text(fixture_document("2026-01-11.md"), variant.range) == "Jose Garcia"
    assert "José García" in variant.message
    assert not [d for d in diagnostics("2026-01-10.md") if d.code == "D402"]


def test_configuration_and_suppression_apply():
    assert {d.code for d in diagnostics("2026-01-11.md", config=Config(ignore=("D401",)))} == {"D402"}
    config = Config(severity=(("D402", "warning"),), per_paper_ignores=(("2601.00101", ("D401",)),))
    found = diagnostics("2026-01-11.md", config=config)
    assert [(d.code, d.severity) for d in found] == [("D402", Severity.WARNING)]
    text = (WORKSPACE / "2026-01-10.md").read_text(encoding="utf-8")
    suppressed = parse("<!-- digest-ls: disable-file D401 -->\n" + text)
    assert not [d for d in workspace_diagnostics(workspace_index(), fixture_path("2026-01-10.md"), suppressed) if d.code == "D401"]


def test_a_suppression_of_a_workspace_rule_is_not_reported_as_unused():
    # Regression: D401 was suppressed by the index's own pass, and `lint` reported the comment as D001.
    text = (WORKSPACE / "2026-01-10.md").read_text(encoding="utf-8")
    suppressed = parse(text.replace("### [1]", "<!-- digest-ls: disable-next-entry D401 -->\n### [1]", 1))
    found = lint(suppressed, Config(), workspace=WorkspaceView(workspace_index(), fixture_path("2026-01-10.md"), 0)).diagnostics
    assert "D001" not in {d.code for d in found}
    assert [d.paper for d in found if d.code == "D401"] == ["2601.00103"]


def test_a_versioned_per_paper_ignore_silences_the_workspace_rules_too():
    # Regression: the index's pass compared `2601.00101v2` with the unversioned id and kept D401.
    config = Config(per_paper_ignores=(("2601.00101v2", ("D401",)),))
    assert [d.paper for d in diagnostics("2026-01-10.md", config=config) if d.code == "D401"] == ["2601.00103"]


def test_the_workspace_rules_read_the_configuration_of_the_document_not_of_the_index():
    # Regression: D401/D402 read the configuration the index was built with.
    index = WorkspaceIndex([WORKSPACE], Config(ignore=("D401", "D402")), None)
    index.scan()
    assert {d.code for d in diagnostics("2026-01-11.md", index)} == {"D401", "D402"}
    assert diagnostics("2026-01-11.md", index, config=Config(ignore=("D4",))) == []


def test_an_edit_recomputes_only_the_touched_entry_until_the_workspace_changes():
    index = workspace_index()
    document = fixture_document("2026-01-10.md")
    view = WorkspaceView(index, fixture_path("2026-01-10.md"), 0)
    first = lint(document, Config(), workspace=view)
    again = lint(document, Config(), previous=first, workspace=view)
    assert all(again.workspace_cache[key] is first.workspace_cache[key] for key in first.workspace_cache)
    moved = lint(document, Config(), previous=first, workspace=WorkspaceView(index, view.path, 1))
    assert all(moved.workspace_cache[key] is not first.workspace_cache[key] for key in first.workspace_cache)
    assert moved.diagnostics == first.diagnostics


def test_not_a_digest_gets_nothing():
    assert workspace_diagnostics(workspace_index(), fixture_path("README.md"), parse("# Notes\n\nhello\n")) == []


def test_an_open_buffer_is_what_the_rules_see(tmp_path):
    from test_features_support import copy_workspace

    root = copy_workspace(tmp_path)
    index = WorkspaceIndex([root], Config(), None)
    index.scan()
    path = root / "2026-01-11.md"
    edited = parse(path.read_text(encoding="utf-8").replace("Jose Garcia", "José García"))
    index.set_open_document(path, edited)
    assert not [d for d in workspace_diagnostics(index, str(path), edited) if d.code == "D402"]


def test_a_digest_repeating_a_previous_day_gets_one_diagnostic_for_that_day(tmp_path):
    from conftest import FIXTURES

    day = (FIXTURES / "digests" / "2026-01-05.md").read_text(encoding="utf-8")
    (tmp_path / "2026-01-05.md").write_text(day, encoding="utf-8")
    (tmp_path / "2026-01-06.md").write_text(day, encoding="utf-8")
    odd = day.replace("2601.00011", "2601.00911")
    (tmp_path / "2026-01-04.md").write_text(odd.replace("2601.00012", "2601.00011"), encoding="utf-8")
    index = WorkspaceIndex([tmp_path], Config(), None)
    index.scan()
    document = parse(day)
    repeats = [d for d in workspace_diagnostics(index, str(tmp_path / "2026-01-06.md"), document) if d.code == "D401"]
    [summary] = [d for d in repeats if d.paper is None]
    assert summary.message == "6 papers of this digest were already listed in 2026-01-05.md"
    assert len(summary.related) == 6
    assert summary.range.start_line == document.starts[document.entries[0]]
    assert [d for d in repeats if d is not summary] == []
