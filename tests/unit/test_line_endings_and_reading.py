"""The one line-ending policy (`source`) and the one file reader (`files.read_text`) with its BOM policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from digest_ls.cli import main
from digest_ls.config import Config, load_config
from digest_ls.diagnostics import Edit
from digest_ls.files import FileError, read_text
from digest_ls.fixes import apply_edits
from digest_ls.formatting import format_text
from digest_ls.index import scanning
from digest_ls.index.workspace import WorkspaceIndex
from digest_ls.lsp.convert import TextView, to_text_edits
from digest_ls.lsp.positions import PositionCodec
from digest_ls.parser.document import parse
from digest_ls.source import dominant_eol, with_line_endings
from digest_ls.span import Span

CLEAN = FIXTURES / "rules" / "clean.md"
BOM = b"\xef\xbb\xbf"


# --- line endings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, eol, expected",
    [
        ("a\nb\n", "\r\n", "a\r\nb\r\n"),
        ("a\r\nb\rc\n", "\n", "a\nb\nc\n"),
        ("a\r\nb", "\r\n", "a\r\nb"),  # already in the document's ending: unchanged, not doubled
        ("a\nb", "\r", "a\rb"),
        ("no break", "\r\n", "no break"),
    ],
)
def test_with_line_endings_writes_every_break_in_the_given_ending(text, eol, expected):
    assert with_line_endings(text, eol) == expected


@pytest.mark.parametrize(
    "eols, expected",
    [(("\r\n", "\r\n", "\n", ""), "\r\n"), (("\n", "\r\n", ""), "\n"), (("",), "\n"), (("\r", ""), "\r")],
)
def test_the_dominant_ending_is_the_most_frequent_and_lf_on_a_tie(eols, expected):
    assert dominant_eol(eols) == expected


def test_cli_fixes_and_server_edits_break_lines_the_same_way():
    # Mixed endings, mostly CRLF, the first one LF: the dominant ending decides, not the first.
    text = "a\n" + "b\r\n" * 3 + "c"
    document = parse(text)
    edit = Edit(Span(1, 0, 1, 0), "x\ny\n")
    assert apply_edits(document, [edit]) == "a\nx\r\ny\r\n" + "b\r\n" * 3 + "c"
    view = TextView(document.lines, PositionCodec("utf-16"), document.eols)
    (sent,) = to_text_edits([edit], view)
    assert sent.new_text == "x\r\ny\r\n"


def test_format_writes_the_blank_lines_it_adds_in_the_dominant_ending():
    text = CLEAN.read_text(encoding="utf-8").replace("\n", "\r\n").replace("\r\n", "\n", 1)
    text = text.replace("</details>\r\n\r\n\r\n### [2]", "</details>\r\n### [2]", 1)
    formatted = format_text(text)
    assert "</details>\r\n\r\n\r\n### [2]" in formatted
    assert formatted.count("\n") - formatted.count("\r\n") == 1  # only the first line's own LF


# --- one reader, one byte order mark policy ----------------------------------------------------


@pytest.fixture
def bom_digest(tmp_path) -> tuple[Path, str]:
    """A digest saved with a BOM (as Windows editors write it) and its text without one."""
    text = CLEAN.read_text(encoding="utf-8")
    path = tmp_path / "2026-01-05.md"
    path.write_bytes(BOM + text.encode("utf-8"))
    return path, text


def test_the_reader_drops_a_byte_order_mark(bom_digest):
    path, text = bom_digest
    assert read_text(path) == text


def test_the_command_line_and_the_index_read_a_bom_file_alike(bom_digest, tmp_path, capsys, monkeypatch):
    path, text = bom_digest
    assert scanning.read_text(path) == read_text(path) == text
    index = WorkspaceIndex([tmp_path], Config(), None)
    index.scan()
    assert index.document(path) == parse(text)
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--format", "text", str(path)])
    assert capsys.readouterr().out.startswith("Found 0 problems")  # no D304 for the mark at 1:1


def test_a_fix_keeps_the_byte_order_mark(bom_digest, tmp_path, monkeypatch, capsys):
    path, text = bom_digest
    path.write_bytes(BOM + text.replace("[Total: 2]", "[Total: 5]").encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    main(["check", "--fix", "--exit-zero", "--no-cache", str(path)])
    capsys.readouterr()
    assert path.read_bytes() == BOM + text.encode("utf-8")


def test_a_bom_is_no_toml_error(tmp_path):
    config = tmp_path / ".digest-ls.toml"
    config.write_bytes(BOM + b'ignore = ["D304"]\n')
    assert load_config(config).ignore == ("D304",)


def test_an_invalid_byte_is_reported_at_its_offset_in_the_file(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(BOM + "# Caf\xe9\n".encode("latin-1"))
    with pytest.raises(FileError, match=r"latin1\.md: not UTF-8 \(invalid byte at offset 8\)"):
        read_text(path)
    with pytest.raises(scanning.Unusable, match="not UTF-8"):
        scanning.read_text(path)


def test_the_index_keeps_its_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.md"
    path.write_text("# big\n" * 10, encoding="utf-8")
    monkeypatch.setattr(scanning, "MAX_FILE_BYTES", 20)
    with pytest.raises(scanning.Unusable, match="over the"):
        scanning.read_text(path)
