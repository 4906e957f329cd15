"""Code actions (quick fixes, TOC, renumbering, fill from metadata) and rename."""

from pathlib import Path

from digest_ls.config import Config
from digest_ls.diagnostics import Diagnostic, Edit, Fix, Severity
from digest_ls.features.editing import (
    code_actions,
    fill_entry_edits,
    prepare_rename,
    rename_author,
    rename_category,
    renumber_edits,
    toc_edits,
)
from digest_ls.fixes import apply_edits
from digest_ls.index import WorkspaceIndex
from digest_ls.model import Span
from digest_ls.parser.document import parse
from test_features_support import SMALL, copy_workspace, fixture_document, small, span_text, workspace_index

CONFIG = Config()


def edited(document, edits) -> str:
    return apply_edits(document, edits)


def test_quick_fixes_come_from_the_diagnostics_under_the_range():
    document = parse(SMALL)
    fix = Fix("Set the total to 2", (Edit(Span(4, 25, 4, 26), "2"),))
    near = Diagnostic("D102", "total", Span(4, 25, 4, 26), Severity.ERROR, None, fix)
    far = Diagnostic("D102", "total", Span(5, 25, 5, 26), Severity.ERROR, None, fix)
    actions = code_actions(document, Span(4, 0, 4, 30), [near, far], None, CONFIG)
    (quick,) = [a for a in actions if a.kind == "quickfix"]
    assert quick.title == "Set the total to 2" and quick.diagnostics == (near,) and quick.is_preferred


def test_regenerate_the_toc():
    text = SMALL.replace("- [cs.DC](#cs.DC) [Total: 2]\n", "- [cs.DC](#cs.DC) [Total: 7]\n- [cs.XX](#cs.XX) [Total: 1]\n")
    document = parse(text)
    assert edited(document, toc_edits(document)) == SMALL
    assert toc_edits(parse(SMALL)) == []
    titles = [a.title for a in code_actions(document, Span(0, 0, 0, 0), [], None, CONFIG)]
    assert "Regenerate table of contents" in titles


def test_insert_a_missing_toc_and_keep_crlf():
    body = SMALL[SMALL.index("<div id='cs.DC'>") :]
    document = parse(body)
    result = edited(document, toc_edits(document))
    assert result.startswith("<div id=toc></div>\n\n# Table of Contents\n\n- [cs.DC](#cs.DC) [Total: 2]\n- [cs.PL](#cs.PL) [Total: 1]\n\n\n<div id='cs.DC'>")
    crlf = parse(SMALL.replace("- [cs.PL](#cs.PL) [Total: 1]\n", "").replace("\n", "\r\n"))
    (edit,) = toc_edits(crlf)
    assert edit.new_text == "- [cs.DC](#cs.DC) [Total: 2]\r\n- [cs.PL](#cs.PL) [Total: 1]"


def test_renumber_entries():
    text = SMALL.replace("### [2]", "### [5]").replace("### [3] [Typed", "### [Typed")
    document = parse(text)
    result = edited(document, renumber_edits(document))
    assert result == SMALL
    assert renumber_edits(parse(SMALL)) == []
    legacy = parse("### [A](https://arxiv.org/abs/2601.00101)\n*X*\n\n<details>\n<summary>Abstract</summary>\nx\n</details>\n")
    assert renumber_edits(legacy) == []


def test_fill_entry_from_metadata():
    index = workspace_index()
    document = fixture_document("2026-01-11.md")
    actions = code_actions(document, Span(36, 0, 36, 0), [], index, CONFIG)
    (fill,) = [a for a in actions if a.title == "Fill entry from metadata"]
    result = parse(edited(document, fill.edits))
    entry = result.blocks[result.block_at_line(35)]
    assert entry.tldr.value.startswith("Moves work away from slow GPU workers")
    assert [f.label for f in entry.fields if f.in_details] == ["Motivation", "Method", "Result", "Conclusion", "Abstract"]
    assert entry.field("Abstract").value.startswith("Shared GPU clusters run many jobs whose workers slow down\nunpredictably.")
    assert entry.details.close is not None
    # Nothing left to fill, and entries whose paper the index lacks get no action.
    block = result.block_at_line(35)
    assert fill_entry_edits(result, block, index.paper("2601.00204")) == []
    unknown = parse("### [1] [T](https://arxiv.org/abs/2609.00001)\n*A*\n")
    assert not [a for a in code_actions(unknown, Span(0, 0, 0, 0), [], index, CONFIG) if a.title.startswith("Fill")]


def test_fill_missing_authors_and_single_fields():
    index = workspace_index()
    text = "### [1] [Straggler](https://arxiv.org/abs/2601.00204)\n\nMain category:\n\nTL;DR: kept\n\n<details>\n  <summary>Details</summary>\nMotivation: mine\n\nAbstract:\n\n</details>\n"
    document = parse(text)
    result = edited(document, fill_entry_edits(document, 0, index.paper("2601.00204")))
    assert result.startswith("### [1] [Straggler](https://arxiv.org/abs/2601.00204)\n*Lin Zhou*\n\nMain category: cs.DC\n\nTL;DR: kept\n")
    assert "Motivation: mine\n\nMethod: A scheduler that migrates micro-batches between jobs.\n\nResult: " in result
    assert "Conclusion: Cooperative scheduling tames stragglers.\n\nAbstract: Shared GPU clusters" in result


def test_prepare_rename_on_authors_and_categories_only():
    document, line, col = small("Mei Tanaka")
    target = prepare_rename(document, line, col + 2)
    assert (target.kind, target.text, span_text(document, target.range)) == ("author", "Mei Tanaka", "Mei Tanaka")
    document, line, col = small("(#cs.PL)")
    target = prepare_rename(document, line, col + 3)
    assert (target.kind, target.text) == ("category", "cs.PL")
    document, line, col = small("Barriers stall")
    assert prepare_rename(document, line, col) is None
    document, line, col = small("2601.00101)")
    assert prepare_rename(document, line, col) is None


def test_rename_category_within_the_file():
    document = parse(SMALL)
    result = edited(document, rename_category(document, "cs.PL", "cs.LO"))
    assert "cs.PL" not in result
    assert "- [cs.LO](#cs.LO) [Total: 1]" in result and "<div id='cs.LO'></div>" in result
    assert "# cs.LO [[Back]](#toc)" in result and "Main category: cs.LO" in result
    assert rename_category(document, "cs.PL", "not valid") == []


def test_rename_author_across_open_buffers_and_disk(tmp_path):
    root = copy_workspace(tmp_path)
    index = WorkspaceIndex([root], Config(), None)
    index.scan()
    open_path = root / "2026-01-11.md"
    buffer = parse(open_path.read_text(encoding="utf-8").replace("*Lin Zhou*", "*Lin Zhou,Jose  Garcia*"))
    index.set_open_document(open_path, buffer)
    changes = rename_author(index, "José García", "José M. García")
    assert {Path(p).name for p in changes} == {"2026-01-10.md", "2026-01-11.md", "2026-01-09.md"}
    assert len(changes[str(open_path)]) == 2  # the buffer's unsaved mention too
    new_buffer = edited(buffer, changes[str(open_path)])
    assert "*José M. García,Mei Tanaka,Olu Adeyemi*" in new_buffer and "*Lin Zhou,José M. García*" in new_buffer
    disk = root / "2026-01-10.md"
    new_disk = edited(parse(disk.read_text(encoding="utf-8")), changes[str(disk)])
    assert new_disk.count("José M. García") == 2 and "José García" not in new_disk
    assert rename_author(index, "José García", "A, B") == {}
