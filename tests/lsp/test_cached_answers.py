"""Answers the server keeps between requests (the outline, the converted diagnostics) stay true after edits.

After each edit only what changed is converted again; an edit that keeps
every code-point column but changes the width of a character in the
client's encoding must still move the client's columns. Each answer after
a series of edits is compared with the answer for the same text opened
fresh under another name.
"""

from __future__ import annotations

import pytest
from lsprotocol import types

from .lsp_harness import Buffer, diagnostics

pytestmark = pytest.mark.e2e


def outline(symbols) -> list[tuple]:
    def node(symbol: types.DocumentSymbol) -> tuple:
        return (
            symbol.name, symbol.detail, symbol.kind, _range(symbol.range), _range(symbol.selection_range),
            tuple(node(child) for child in symbol.children or ()),
        )

    return [node(symbol) for symbol in symbols]


def _range(rng: types.Range) -> tuple[int, int, int, int]:
    return rng.start.line, rng.start.character, rng.end.line, rng.end.character


def findings(items: list[types.Diagnostic]) -> set[tuple]:
    # The workspace rules (D4xx) differ between the two names: the copy repeats every paper.
    return {
        (item.code, item.message, _range(item.range), item.severity, str(item.data))
        for item in items
        if not str(item.code).startswith("D4")
    }


async def symbols(buffer: Buffer):
    return await buffer.client.text_document_document_symbol_async(types.DocumentSymbolParams(buffer.identifier()))


async def test_outline_and_diagnostics_after_edits_equal_a_fresh_open(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    before = outline(await symbols(buffer))
    assert before == outline(await symbols(buffer))  # asked again, unchanged: the kept answer
    await diagnostics(buffer)

    buffer.replace("- [cs.DC](#cs.DC) [Total: 3]\n", "")  # lines go away: every block below moves up
    await diagnostics(buffer)
    assert outline(await symbols(buffer)) != before
    # Same code points, other widths: "研" is 1 UTF-16 unit and 3 UTF-8 bytes, "🚀" 2 units and 4 bytes.
    # The trailing spaces after it (D304) keep their code-point columns and move in the client's units.
    buffer.replace("TL;DR: 研究", "TL;DR: 🚀究")
    await diagnostics(buffer)
    await symbols(buffer)
    # The last line of an abstract (its field's range ends there), past the 60 characters its preview shows.
    buffer.replace("is tractable.", "is tr🚀ctable.")
    edited_findings = findings(await diagnostics(buffer))
    edited_outline = outline(await symbols(buffer))

    fresh = Buffer(client, workspace / "fresh-copy.md", text=buffer.text).open()
    assert edited_findings == findings(await diagnostics(fresh))
    assert edited_outline == outline(await symbols(fresh))
    assert any(code == "D304" for code, *_ in edited_findings)
