"""Diagnostics through the protocol: codes, ranges in the client's encoding, incremental edits."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from digest_ls.lint import lint
from digest_ls.parser.document import parse
from .lsp_harness import REFRESH_WAIT_SECONDS, Buffer, codes_until, diagnostics, expect_refresh, index_ready

pytestmark = pytest.mark.e2e


def expected(buffer: Buffer) -> set[tuple[str, tuple]]:
    """What the engine finds in the client's text, in the client's units (workspace rules aside)."""
    flavour = buffer.client.flavour
    found = set()
    for item in lint(parse(buffer.text)).diagnostics:
        rng = flavour.range(buffer.lines, item.range)
        found.add((item.code, (rng.start.line, rng.start.character, rng.end.line, rng.end.character)))
    return found


def received(items: list[types.Diagnostic]) -> set[tuple[str, tuple]]:
    return {
        (item.code, (item.range.start.line, item.range.start.character, item.range.end.line, item.range.end.character))
        for item in items
        if not str(item.code).startswith("D4")  # workspace rules depend on when the index is ready
    }


async def test_codes_and_ranges_on_lines_with_emoji_cjk_and_accents(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    items = await diagnostics(buffer)

    assert received(items) == expected(buffer)
    by_code = {item.code: item for item in items}
    assert {"D102", "D207", "D304"} <= set(by_code)
    assert all(item.source == "digest-ls" for item in items)

    # The trailing spaces follow `研究 🚀 调度问题。`: the emoji counts 2 UTF-16 units, CJK 3 UTF-8 bytes.
    tldr_line, _ = buffer.find("TL;DR: 研究")
    start = by_code["D304"].range.start
    assert start.line == tldr_line
    prefix = "TL;DR: 研究 🚀 调度问题。"
    assert start.character == (len(prefix) + 1 if client.flavour.encoding == "utf-16" else len(prefix.encode()))

    # The author line ends after an emoji, accents and CJK.
    author_line, _ = buffer.find("*Ana 🚀 Pérez")
    end = by_code["D207"].range.end
    assert end.line == author_line
    assert end.character == client.flavour.units(buffer.lines[author_line], len(buffer.lines[author_line]))

    # Fixes travel in data, in model units; severities map to LSP's.
    assert by_code["D207"].data["fix"]["edits"]
    assert by_code["D102"].severity == types.DiagnosticSeverity.Error
    assert by_code["D304"].severity == types.DiagnosticSeverity.Hint


async def test_incremental_edits_keep_the_server_in_step(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert "D207" in {code for code, _ in received(await diagnostics(buffer))}

    buffer.replace("李华,,Zoë", "李华,Zoë")  # after the emoji on the same line
    after_fix = received(await diagnostics(buffer))
    assert "D207" not in {code for code, _ in after_fix}
    assert after_fix == expected(buffer)

    buffer.replace("调度问题。   ", "调度问题。")
    buffer.replace("Main category: cs.PL", "Main category: cs.XY")
    buffer.replace("Types for Émigré", "Types 🦀 for Émigré")  # a heading line: blocks re-cut
    buffer.replace("- [cs.DC](#cs.DC) [Total: 3]\n", "")  # lines go away: blocks below shift
    now = received(await diagnostics(buffer))
    assert now == expected(buffer)
    codes = {code for code, _ in now}
    assert "D304" not in codes
    assert codes & {"D209", "D210"}  # the category no longer fits
    if not client.flavour.pull:
        # Debounced per document, version checked when the timer fires: never an older version after a newer one.
        versions = [version for uri, version in client.publish_log if uri == buffer.uri]
        assert versions == sorted(versions) and versions[-1] == buffer.version


async def test_a_markdown_file_that_is_not_a_digest_gets_nothing(client, workspace):
    notes = Buffer(client, workspace / "notes.md").open()
    digest = Buffer(client, workspace / "unicode.md").open()
    if client.flavour.pull:
        assert await diagnostics(notes) == []
    await diagnostics(digest)  # messages are handled in order: anything for notes came before
    if not client.flavour.pull:
        assert notes.uri not in client.published or not client.published[notes.uri].diagnostics

    position = notes.position_of("arxiv.org")
    assert await client.text_document_hover_async(types.HoverParams(notes.identifier(), position)) is None
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(notes.identifier()))
    assert not await client.text_document_folding_range_async(types.FoldingRangeParams(notes.identifier()))
    assert not await client.text_document_document_link_async(types.DocumentLinkParams(notes.identifier()))


async def test_closing_clears_diagnostics(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert await diagnostics(buffer)
    buffer.close()
    if client.flavour.pull:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=buffer.identifier())
        )
        assert list(report.items) == []
        return
    while client.published[buffer.uri].diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def test_workspace_rules_once_the_index_is_ready(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    # 2501.00002 is also listed in other.md.
    await codes_until(buffer, lambda found: "D401" in found)
    seen = [item for item in await diagnostics(buffer) if item.code == "D401"]
    assert seen
    line, _ = buffer.find("Gossip Protocols Revisited")
    assert seen[0].range.start.line >= line - 1
    if client.flavour.pull:
        report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
        uris = {item.uri for item in report.items}
        assert (workspace / "other.md").as_uri() in uris
        assert (workspace / "notes.md").as_uri() not in uris
        # Asked again with the result ids it got: nothing changed, nothing is resent.
        previous = [types.PreviousResultId(uri=item.uri, value=item.result_id) for item in report.items]
        again = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
        assert {item.kind for item in again.items} == {"unchanged"}
        assert {item.uri for item in again.items} == uris


@pytest.mark.parametrize("flavour", ["vscode"], indirect=True)  # the pulling client
async def test_pulling_again_without_a_change_sends_nothing_new(launch, workspace):
    client = await launch()
    buffer = Buffer(client, workspace / "unicode.md").open()
    first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=buffer.identifier()))
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=buffer.identifier(), previous_result_id=first.result_id)
    )
    assert again.kind == "unchanged" and again.result_id == first.result_id
    buffer.replace("李华,,Zoë", "李华,Zoë")
    after = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=buffer.identifier(), previous_result_id=first.result_id)
    )
    assert after.kind == "full" and after.result_id != first.result_id


async def test_a_lone_surrogate_in_the_text_comes_back_escaped(client, workspace):
    # JSON lets a client send "\ud800" on its own; the answer quoting that text must still be valid JSON.
    text = (workspace / "unicode.md").read_text(encoding="utf-8").replace(
        "Main category: cs.DC\n", "Main category: cs.DC\n\nstray \ud800 text\n", 1
    )
    buffer = Buffer(client, workspace / "surrogate.md", text=text).open()
    items = await diagnostics(buffer)
    assert any("\ud800" in item.message for item in items)



def _pushed(buffer: Buffer) -> list[types.PublishDiagnosticsParams]:
    return [params for params in buffer.client.pushes if params.uri == buffer.uri]


async def _push(buffer: Buffer, number: int) -> types.PublishDiagnosticsParams:
    """The buffer's `number`th push (1 for the first), once it has come."""
    while len(_pushed(buffer)) < number:
        await buffer.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return _pushed(buffer)[number - 1]


async def _pull(buffer: Buffer, previous_result_id: str | None = None):
    return await buffer.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=buffer.identifier(), previous_result_id=previous_result_id)
    )


async def _answered_after_all_before(buffer: Buffer) -> None:
    """A request sent once the client has the answer to the last: the server has done all that answer
    scheduled by the time it reads this one."""
    await buffer.client.text_document_hover_async(types.HoverParams(buffer.identifier(), types.Position(0, 0)))


async def test_a_document_opened_after_the_index_gets_its_own_diagnostics_first_then_the_whole_set(client, workspace):
    await index_ready(client)
    pull = client.flavour.pull
    refreshed = expect_refresh(client) if pull else None
    buffer = Buffer(client, workspace / "unicode.md").open()
    first = (await _pull(buffer)).items if pull else (await _push(buffer, 1)).diagnostics
    assert "D401" not in {item.code for item in first} and received(first) == expected(buffer)
    # 2501.00002 is also listed in other.md: the workspace rules add D401 to the same version.
    if pull:
        await asyncio.wait_for(refreshed, REFRESH_WAIT_SECONDS)  # a pulling client is asked to pull again
        whole = (await _pull(buffer)).items
    else:
        second = await _push(buffer, 2)
        assert second.version == 1
        whole = second.diagnostics
    assert "D401" in {item.code for item in whole} and received(whole) == expected(buffer)


async def test_a_first_answer_the_workspace_rules_add_nothing_to_is_not_sent_again(client, workspace):
    await index_ready(client)
    pull = client.flavour.pull
    # A digest of papers no other file lists, open before it is ever saved.
    text = (workspace / "other.md").read_text(encoding="utf-8").replace("2501.0000", "2501.9999")
    buffer = Buffer(client, workspace / "unsaved.md", text)
    await _answered_after_all_before(buffer)  # the refresh the index itself causes
    refreshes = client.diagnostic_refresh_count
    buffer.open()
    report = await _pull(buffer) if pull else await _push(buffer, 1)
    await _answered_after_all_before(buffer)  # a second push or a refresh would have come by now
    if pull:
        assert client.diagnostic_refresh_count == refreshes
        assert (await _pull(buffer, report.result_id)).kind == "unchanged"
    else:
        assert [params.version for params in _pushed(buffer)] == [1]
