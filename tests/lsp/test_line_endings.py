"""Line endings through the protocol: a quick fix in a CRLF document breaks lines with CRLF."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .lsp_harness import FIXTURES, Buffer, diagnostics

pytestmark = pytest.mark.e2e

CLEAN = FIXTURES.parent / "rules" / "clean.md"


async def test_a_quick_fix_in_a_crlf_document_inserts_crlf(client, workspace):
    # No blank line between `</details>` and the next entry: D305's fix inserts one.
    text = CLEAN.read_text(encoding="utf-8").replace("</details>\n\n\n### [2]", "</details>\n### [2]", 1)
    assert "</details>\n### [2]" in text
    path = workspace / "crlf.md"
    buffer = Buffer(client, path, text.replace("\n", "\r\n")).open()
    swallowed = next(item for item in await diagnostics(buffer) if item.code == "D305")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=buffer.identifier(),
            range=swallowed.range,
            context=types.CodeActionContext(diagnostics=[swallowed], only=[types.CodeActionKind.QuickFix]),
        )
    )
    (fix,) = [action for action in actions if action.diagnostics and action.diagnostics[0].code == "D305"]
    edits = list(fix.edit.changes[buffer.uri])
    assert [edit.new_text for edit in edits] == ["\r\n"]
    buffer.edit(edits)
    assert "</details>\r\n\r\n### [2]" in buffer.text
    assert "\n" not in buffer.text.replace("\r\n", "")
    assert "D305" not in {item.code for item in await diagnostics(buffer)}
