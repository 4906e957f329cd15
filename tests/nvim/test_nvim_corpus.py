"""Real digests from ../shared/corpus/dev in a real Neovim: what the editor shows equals what the engine finds."""

from __future__ import annotations

import shutil

import pytest

from digest_ls.config import Config
from digest_ls.features.symbols import document_symbols
from digest_ls.lint import lint
from digest_ls.parser.document import parse
from digest_ls.rules.registry import RULES
from nvim_harness import CORPUS, nvim  # noqa: F401 (nvim is a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.corpus]

# Chosen for variety: placeholders, a TL;DR in another script and trailing
# whitespace; C0 control characters inside lines; the abstract-only template
# with duplicate papers; and a clean current-template file.
DIGESTS = ["2025-11-06.md", "2025-07-11.md", "2025-04-14.md", "2025-11-15.md"]


def engine_view(text: str) -> tuple[set, list]:
    """(code, line, byte column) of the document-scope diagnostics, and the outline's (name, children)."""
    document = parse(text)
    found = set()
    for diagnostic in lint(document, Config()).diagnostics:
        if RULES[diagnostic.code].scope == "workspace":
            continue  # depends on the other files of the workspace, not on this one
        line = diagnostic.range.start_line
        byte_col = len(document.lines[line][: diagnostic.range.start_col].encode("utf-8"))
        found.add((diagnostic.code, line, byte_col))
    outline = [(node.name, len(node.children)) for node in document_symbols(document)]
    return found, outline


@pytest.mark.parametrize("name", DIGESTS)
def test_a_real_digest_shows_the_engines_diagnostics_and_outline(nvim, name):
    source = CORPUS / name
    if not source.is_file():
        pytest.skip(f"{source} is not present")
    shutil.copy(source, nvim.workspace / name)
    text = source.read_text(encoding="utf-8")

    result = nvim.run("corpus", path=name)

    expected_diagnostics, expected_outline = engine_view(text)
    shown = {
        (d["code"], d["lnum"], d["col"]) for d in result["diagnostics"] if RULES[d["code"]].scope != "workspace"
    }
    assert shown == expected_diagnostics
    assert [(node["name"], node["children"]) for node in result["outline"]] == expected_outline
    lines = parse(text).lines
    # The model ends with the empty line after a final newline (as LSP counts); a buffer does not.
    assert result["line_count"] == len(lines) - (lines[-1] == "")
