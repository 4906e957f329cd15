"""Workspace rules D401 (seen-before) and D402 (author-variant) over the fixture workspace."""

from __future__ import annotations

from pathlib import Path

from digest_ls.config import Config
from digest_ls.diagnostics import Severity
from digest_ls.index import WorkspaceIndex, workspace_diagnostics
from digest_ls.rules.registry import RULES
from test_features_support import WORKSPACE, fixture_document, fixture_path, span_text, workspace_index


def diagnostics(name: str, index=None, document=None):
    index = index or workspace_index()
    return workspace_diagnostics(index, fixture_path(name), document or fixture_document(name))


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
    index = WorkspaceIndex([WORKSPACE], Config(ignore=("D401",)), None)
    index.scan()
    assert {d.code for d in diagnostics("2026-01-11.md", index)} == {"D402"}
    index.config = Config(severity=(("D402", "warning"),), per_paper_ignores=(("2601.00101", ("D401",)),))
    found = diagnostics("2026-01-11.md", index)
    assert [(d.code, d.severity) for d in found] == [("D402", Severity.WARNING)]
    text = (WORKSPACE / "2026-01-10.md").read_text(encoding="utf-8")
    from digest_ls.parser.document import parse

    suppressed = parse("<!-- digest-ls: disable-file D401 -->\n" + text)
    assert not [d for d in workspace_diagnostics(workspace_index(), fixture_path("2026-01-10.md"), suppressed) if d.code == "D401"]


def test_not_a_digest_gets_nothing():
    from digest_ls.parser.document import parse

    assert workspace_diagnostics(workspace_index(), fixture_path("README.md"), parse("# Notes\n\nhello\n")) == []


def test_an_open_buffer_is_what_the_rules_see(tmp_path):
    from test_features_support import copy_workspace
    from digest_ls.parser.document import parse

    root = copy_workspace(tmp_path)
    index = WorkspaceIndex([root], Config(), None)
    index.scan()
    path = root / "2026-01-11.md"
    edited = parse(path.read_text(encoding="utf-8").replace("Jose Garcia", "José García"))
    index.set_open_document(path, edited)
    assert not [d for d in workspace_diagnostics(index, str(path), edited) if d.code == "D402"]
