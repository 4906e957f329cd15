"""The D208 quick fix (insert `Main category:`) leaves one blank line on each side, whatever was there."""

from __future__ import annotations

import pytest

from digest_ls.config import Config
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from test_features_support import SMALL

ENTRY = "### [2] [A *Starred* Title with [Brackets]](https://arxiv.org/abs/2601.00102)\n*Mei Tanaka*\n"
EXPECTED = ENTRY + "\nMain category: cs.DC\n\nTL;DR: Short.\n"


@pytest.mark.parametrize("blank_lines", [0, 1, 2], ids=["none", "one", "two (a deleted line)"])
def test_the_inserted_field_has_one_blank_line_each_side(blank_lines):
    old = ENTRY + "\nMain category: cs.DC\n\nTL;DR: Short.\n"
    text = SMALL.replace(old, ENTRY + "\n" * blank_lines + "TL;DR: Short.\n")
    assert text != SMALL
    (fix,) = [d.fix for d in lint(parse(text), Config()).diagnostics if d.code == "D208"]
    (edit,) = fix.edits
    lines = text.split("\n")
    line = edit.range.start_line
    fixed = "\n".join(lines[:line]) + "\n" + edit.new_text + "\n".join(lines[line:])
    assert EXPECTED in fixed
    assert "D208" not in {d.code for d in lint(parse(fixed), Config()).diagnostics}
