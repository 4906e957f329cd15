"""The adapter's pure parts without a server: conversion, content changes, settings, capabilities."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities

from digest_ls.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from digest_ls.features import symbols
from digest_ls.lsp.capabilities import resolve_flags
from digest_ls.lsp.convert import (
    TextView,
    diagnostics_json,
    document_symbols_json,
    from_diagnostic,
    minimal_text_edits,
    plain_snippet,
    to_diagnostic,
    to_document_symbols,
)
from digest_ls.lsp.documents import to_code_point_changes
from digest_ls.lsp.positions import UTF8, UTF16, PositionCodec
from digest_ls.lsp.settings import Settings
from digest_ls.lsp.wire import FragmentCache
from digest_ls.model import Span
from digest_ls.parser.document import parse
from .lsp_harness import FIXTURES

LINES = ["*Ana 🚀 Pérez,李华,,Zoë*", "TL;DR: ok   "]


def test_a_diagnostic_survives_the_round_trip_through_the_client():
    fix = Fix("Repair", (Edit(Span(0, 0, 0, 22), "*Ana 🚀 Pérez,李华,Zoë*"),))
    model = Diagnostic("D207", "doubled comma", Span(0, 16, 0, 18), Severity.WARNING, "2501.00001", fix,
                       (Related(Span(1, 0, 1, 5), "here"),))
    view = TextView(LINES, PositionCodec(UTF16))
    proto = to_diagnostic(model, view, "file:///a.md")
    assert proto.code == "D207" and proto.source == "digest-ls"
    assert proto.range.start.character == 17  # the rocket counts two UTF-16 units
    assert proto.related_information[0].location.uri == "file:///a.md"
    back = from_diagnostic(proto, view)
    assert back.range == model.range and back.fix == fix and back.paper == "2501.00001"
    assert back.severity == Severity.WARNING


def test_unused_suppressions_are_tagged_unnecessary():
    view = TextView(LINES, PositionCodec(UTF8))
    proto = to_diagnostic(Diagnostic("D001", "unused", Span(1, 0, 1, 3), Severity.HINT), view, "file:///a.md")
    assert proto.tags == [types.DiagnosticTag.Unnecessary]


def test_diagnostics_of_other_servers_are_not_ours():
    view = TextView(LINES, PositionCodec(UTF16))
    other = types.Diagnostic(range=types.Range(start=types.Position(0, 0), end=types.Position(0, 1)), message="x",
                             source="markdownlint", code="MD001")
    assert from_diagnostic(other, view) is None


def test_snippets_degrade_to_their_defaults():
    assert plain_snippet("### [${1:N}] [${2:Title}](https://arxiv.org/abs/$3)$0") == "### [N] [Title](https://arxiv.org/abs/)"


texts = st.lists(st.sampled_from(["a", "🚀 b", "李华", "", "   ", "Zoë"]), max_size=6).map("\n".join)


@settings(max_examples=200)
@given(texts, texts)
def test_minimal_edits_turn_the_old_text_into_the_new(old, new):
    document = parse(old)
    view = TextView(document.lines, PositionCodec(UTF16))
    edits = minimal_text_edits(document.lines, document.eols, new, view)
    if old == new:
        assert edits == []
        return
    (edit,) = edits
    changed = to_code_point_changes(
        document, [types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)], PositionCodec(UTF16)
    )
    assert changed.text == new


def test_several_changes_in_one_notification_apply_in_order():
    codec = PositionCodec(UTF8)
    document = parse("ab🚀cd\nxyz\n")
    rocket_end = len("ab🚀".encode())
    changes = [
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(0, rocket_end), end=types.Position(0, rocket_end + 1)), text="C"
        ),
        # Against the text after the first change.
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(1, 0), end=types.Position(1, 0)), text="é"
        ),
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(1, 2), end=types.Position(1, 3)), text="Y"
        ),
    ]
    assert to_code_point_changes(document, changes, codec).text == "ab🚀Cd\néYyz\n"
    whole = to_code_point_changes(document, [types.TextDocumentContentChangeWholeDocument(text="new")], codec)
    assert whole.text == "new"


def test_settings_layers_and_one_message_per_problem(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.digest-ls]\nignore = ["D304"]\ndebounce-ms = 50\n')
    shown: list[str] = []
    settings = Settings(shown.append)
    assert settings.config_for(str(tmp_path / "a.md")).ignore == ("D304",)
    settings.set_initialization_options({"ignore": ["D207"]})
    config = settings.config_for(str(tmp_path / "a.md"))
    assert config.ignore == ("D207",) and config.debounce_ms == 50
    settings.set_client_settings({"debounceMs": 10})
    assert settings.config_for(str(tmp_path / "a.md")).debounce_ms == 10
    settings.set_client_settings({"debounceMs": "fast"})
    settings.set_client_settings({"debounceMs": "fast"})
    assert len(shown) == 1 and "debounce" in shown[0]
    assert settings.config_for(str(tmp_path / "a.md")).debounce_ms == 50  # the bad layer is dropped whole


def test_capabilities_resolve_into_flags():
    vscode = resolve_flags(client_capabilities("visual-studio-code"))
    assert vscode.position_encoding == UTF16
    assert not vscode.pull_diagnostics  # 1.65 predates pull diagnostics
    assert vscode.markdown_hover and vscode.snippets and vscode.hierarchical_symbols
    assert vscode.watch_files_dynamic and vscode.work_done_progress and vscode.completion_resolve
    neovim = resolve_flags(client_capabilities("neovim@v0.11"))
    assert neovim.position_encoding == "utf-32"  # it offers utf-8, utf-16 and utf-32
    assert neovim.pull_diagnostics and not neovim.watch_files_dynamic
    assert resolve_flags(None).position_encoding == UTF16


# --- answers as pre-encoded JSON ---------------------------------------------------------------


def _plain(value):
    """What pygls would have written for an lsprotocol value."""
    return json.loads(json.dumps(default_converter().unstructure(value)))


def test_diagnostics_as_json_are_what_pygls_would_send():
    fix = Fix("Repair", (Edit(Span(0, 0, 0, 22), "*Ana 🚀 Pérez,李华,Zoë*"),))
    found = (
        Diagnostic("D207", "doubled comma", Span(0, 16, 0, 18), Severity.WARNING, "2501.00001", fix,
                   (Related(Span(1, 0, 1, 5), "here"),)),
        Diagnostic("D001", "unused", Span(1, 0, 1, 3), Severity.HINT),
    )
    for encoding in (UTF8, UTF16):
        view = TextView(LINES, PositionCodec(encoding))
        cache = FragmentCache()
        expected = [_plain(to_diagnostic(item, view, "file:///a.md")) for item in found]
        assert json.loads(diagnostics_json(found, view, "file:///a.md", cache)) == expected
        assert json.loads(diagnostics_json(found, view, "file:///a.md", cache)) == expected  # from the cache


def test_a_kept_diagnostic_is_converted_again_when_its_line_changes_width():
    item = Diagnostic("D304", "trailing spaces", Span(0, 4, 0, 7), Severity.HINT)
    cache = FragmentCache()
    before = json.loads(diagnostics_json([item], TextView(["研究a   "], PositionCodec(UTF8)), "file:///a.md", cache))
    after = json.loads(diagnostics_json([item], TextView(["🚀究a   "], PositionCodec(UTF8)), "file:///a.md", cache))
    assert before[0]["range"]["start"]["character"] == 3 * 2 + 1 + 1
    assert after[0]["range"]["start"]["character"] == 4 + 3 + 1 + 1


def test_the_outline_as_json_is_what_pygls_would_send():
    document = parse(FIXTURES.joinpath("workspace", "unicode.md").read_text(encoding="utf-8"))
    nodes = symbols.document_symbols(document)
    for encoding in (UTF8, UTF16):
        view = TextView(document.lines, PositionCodec(encoding))
        expected = [_plain(symbol) for symbol in to_document_symbols(nodes, view)]
        cache = FragmentCache()
        assert json.loads(document_symbols_json(nodes, view, cache)) == expected
        assert json.loads(document_symbols_json(symbols.document_symbols(document), view, cache)) == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.sampled_from(["x", "\n", "é", "#", "", "🚀"])), min_size=1, max_size=8))
def test_the_outline_after_edits_is_the_outline_converted_afresh(edits):
    # Sections an edit left alone are reused whole, with their entries' fragments kept for later rounds.
    from digest_ls.parser.incremental import Change, apply_changes

    document = parse(FIXTURES.parent.joinpath("digests", "2026-01-05.md").read_text(encoding="utf-8"))
    cache = FragmentCache()
    view = TextView(document.lines, PositionCodec(UTF16))
    document_symbols_json(symbols.document_symbols(document), view, cache)
    for row, col, text in edits:
        row %= len(document.lines)
        col = min(col, len(document.lines[row]))
        document = apply_changes(document, [Change(text, (row, col, row, col))])
        view = TextView(document.lines, PositionCodec(UTF16))
        cached = document_symbols_json(symbols.document_symbols(document), view, cache)
        assert cached == document_symbols_json(symbols.document_symbols(document), view, FragmentCache())


def test_an_edit_in_one_section_converts_only_that_section_again():
    document = parse(FIXTURES.parent.joinpath("digests", "2026-01-05.md").read_text(encoding="utf-8"))
    from digest_ls.parser.incremental import Change, apply_changes

    cache = FragmentCache()
    document_symbols_json(symbols.document_symbols(document), TextView(document.lines, PositionCodec(UTF16)), cache)
    row = next(i for i, line in enumerate(document.lines) if line.startswith("TL;DR"))
    for _ in range(2):  # the second edit finds the first one's entry fragments kept
        document = apply_changes(document, [Change("x", (row, 7, row, 7))])
        fragments = cache.round()
        view = TextView(document.lines, PositionCodec(UTF16))
        from digest_ls.lsp.convert import _symbol_json

        for node in symbols.document_symbols(document):
            _symbol_json(node, view, fragments)
        fragments.done()
        assert fragments.misses == 2  # the edited entry and its section; the TOC and other sections are found


def test_the_fragment_cache_keeps_only_what_the_last_round_used():
    cache = FragmentCache()
    made = []

    def use(*values):
        fragments = cache.round()
        texts = [fragments.get(value, (), lambda value=value: made.append(value) or f'"{value}"') for value in values]
        fragments.done()
        return texts

    assert use("a", "b") == ['"a"', '"b"']
    assert use("b", "c") == ['"b"', '"c"']
    assert use("a") == ['"a"']
    assert made == ["a", "b", "c", "a"]  # "b" was kept once, "a" forgotten when a round did not use it
