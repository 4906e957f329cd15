"""Language features through the protocol, in both clients' position encodings."""

from __future__ import annotations

import pytest
from lsprotocol import types

from digest_ls.formatting import format_text
from .lsp_harness import Buffer, apply_edits, diagnostics, index_ready

pytestmark = pytest.mark.e2e


def text_of(buffer: Buffer, rng: types.Range) -> str:
    """The text a range covers, read with the client's own units."""
    flavour = buffer.client.flavour
    lines = buffer.lines
    start = (rng.start.line, flavour.col(lines[rng.start.line], rng.start.character))
    end = (rng.end.line, flavour.col(lines[rng.end.line], rng.end.character))
    if start[0] == end[0]:
        return lines[start[0]][start[1] : end[1]]
    middle = lines[start[0] + 1 : end[0]]
    return "\n".join([lines[start[0]][start[1] :], *middle, lines[end[0]][: end[1]]])


async def test_document_symbols_outline_the_digest(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(buffer.identifier()))
    sections = {symbol.name: symbol for symbol in result}
    assert {"cs.DC", "cs.PL"} <= set(sections)
    entries = sections["cs.DC"].children
    assert [entry.name for entry in entries][:2] == ["[1] Rocket 🚀 Scheduling for Café Clusters", "[2] Gossip Protocols Revisited"]
    # The range of the first entry starts at its heading, whose title holds an emoji.
    heading_line, _ = buffer.find("### [1]")
    assert entries[0].range.start.line == heading_line
    assert "Rocket 🚀" in text_of(buffer, entries[0].selection_range) or entries[0].selection_range.start.line == heading_line


async def test_outline_can_be_switched_off(launch, workspace):
    client = await launch(initialization_options={"outline": False})
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(buffer.identifier()))


async def test_hover_shows_the_paper_and_metadata_from_the_jsonl(client, workspace):
    buffer = Buffer(client, workspace / "other.md").open()
    await index_ready(client)
    hover = await client.text_document_hover_async(
        types.HoverParams(buffer.identifier(), buffer.position_of("Consensus for Penguins", offset=3))
    )
    assert hover is not None
    assert "Consensus for Penguins 🐧" in hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.range.start.line == buffer.find("### [2]")[0]

    # A heading typed for a paper the digest does not describe yet: the JSONL fills the card.
    end = len(buffer.lines) - 1
    buffer.edit([
        types.TextEdit(
            range=types.Range(start=buffer.position(end, 0), end=buffer.position(end, 0)),
            new_text="\n\n### [3] [Sorting Socks in Linear Time](https://arxiv.org/abs/2501.00005)\n",
        )
    ])
    hover = await client.text_document_hover_async(
        types.HoverParams(buffer.identifier(), buffer.position_of("Sorting Socks", offset=2))
    )
    assert hover is not None and "socks can be paired in linear time" in hover.contents.value


async def test_completion_offers_authors_of_other_digests(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    buffer.replace("Zoë Çelik*", "Zoë Çelik,Lesl*")  # on the author line with the emoji and CJK
    position = buffer.position_of(",Lesl*", offset=len(",Lesl"))
    result = await client.text_document_completion_async(types.CompletionParams(buffer.identifier(), position))
    labels = [item.label for item in result.items]
    assert "Leslie Lamport" in labels  # only other.md and papers.jsonl name her
    item = result.items[labels.index("Leslie Lamport")]
    new_text = apply_edits(buffer.text, [item.text_edit], client.flavour)
    assert "*Ana 🚀 Pérez,李华,,Zoë Çelik,Leslie Lamport*" in new_text


async def test_completion_item_resolve_adds_the_paper_card(client, workspace):
    buffer = Buffer(client, workspace / "other.md").open()
    await index_ready(client)
    end = len(buffer.lines) - 1
    buffer.edit([
        types.TextEdit(
            range=types.Range(start=buffer.position(end, 0), end=buffer.position(end, 0)),
            new_text="\n\n### [3] [](https://arxiv.org/abs/2501.0000",
        )
    ])
    line = len(buffer.lines) - 1
    position = buffer.position(line, len(buffer.lines[line]))
    result = await client.text_document_completion_async(types.CompletionParams(buffer.identifier(), position))
    papers = [item for item in result.items if item.kind == types.CompletionItemKind.Reference]
    assert any("2501.00005" in (item.label + (item.detail or "")) for item in papers)
    socks = next(item for item in papers if "2501.00005" in (item.label + (item.detail or "")))
    resolved = await client.completion_item_resolve_async(socks)
    assert resolved.documentation is not None
    assert "Sorting Socks" in resolved.documentation.value


async def test_definition_and_references(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(buffer.identifier(), buffer.position_of("[cs.PL](#cs.PL)", offset=2))
    )
    assert definition
    target_line = definition[0].range.start.line
    assert "cs.PL" in buffer.lines[target_line]
    assert target_line > buffer.find("[cs.PL](#cs.PL)")[0]

    references = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=buffer.identifier(),
            position=buffer.position_of("2501.00002", offset=2),
        )
    )
    uris = {location.uri for location in references}
    assert {buffer.uri, (workspace / "other.md").as_uri()} <= uris


async def test_document_highlight_marks_the_same_author(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(buffer.identifier(), buffer.position_of("Zoë Çelik", offset=1))
    )
    covered = {text_of(buffer, item.range) for item in highlights}
    assert covered == {"Zoë Çelik"}
    assert len(highlights) == 2  # entries 1 and 2; the first stands after an emoji


async def test_code_action_applies_a_quick_fix(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    items = await diagnostics(buffer)
    authors = next(item for item in items if item.code == "D207")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=buffer.identifier(),
            range=authors.range,
            context=types.CodeActionContext(diagnostics=[authors]),
        )
    )
    titles = [action.title for action in actions]
    assert "Regenerate table of contents" in titles  # the cs.DC total is wrong
    fix = next(action for action in actions if action.kind == types.CodeActionKind.QuickFix)
    assert fix.diagnostics and fix.diagnostics[0].code == "D207"
    only_fixes = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=buffer.identifier(),
            range=authors.range,
            context=types.CodeActionContext(diagnostics=[authors], only=[types.CodeActionKind.QuickFix]),
        )
    )
    assert [action.title for action in only_fixes] == [fix.title]
    buffer.edit(list(fix.edit.changes[buffer.uri]))
    assert "*Ana 🚀 Pérez,李华,Zoë Çelik*" in buffer.text
    assert "D207" not in {item.code for item in await diagnostics(buffer)}


async def test_fix_all_source_action(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert {"D102", "D207", "D304"} <= {item.code for item in await diagnostics(buffer)}
    end = len(buffer.lines) - 1
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=buffer.identifier(),
            range=types.Range(start=buffer.position(0, 0), end=buffer.position(end, 0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [action.kind for action in actions] == ["source.fixAll.digest-ls"]
    buffer.edit(list(actions[0].edit.changes[buffer.uri]))
    assert not {"D102", "D207", "D304"} & {item.code for item in await diagnostics(buffer)}


async def test_formatting_gives_what_the_cli_writes(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(buffer.identifier(), types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert edits
    assert apply_edits(buffer.text, edits, client.flavour) == format_text(buffer.text)
    buffer.edit(list(edits))
    again = await client.text_document_formatting_async(
        types.DocumentFormattingParams(buffer.identifier(), types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert not again


async def test_rename_an_author_across_the_workspace(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    position = buffer.position_of("Zoë Çelik", offset=2)
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(buffer.identifier(), position))
    assert prepared.placeholder == "Zoë Çelik"
    assert text_of(buffer, prepared.range) == "Zoë Çelik"

    edit = await client.text_document_rename_async(types.RenameParams(buffer.identifier(), position, new_name="Zoe Celik"))
    other = (workspace / "other.md").as_uri()
    assert set(edit.changes) == {buffer.uri, other}
    renamed = apply_edits(buffer.text, edit.changes[buffer.uri], client.flavour)
    assert "Zoë" not in renamed and renamed.count("Zoe Celik") == 2
    other_text = (workspace / "other.md").read_text(encoding="utf-8")
    assert "Zoe Celik,Grace Hopper" in apply_edits(other_text, edit.changes[other], client.flavour)


async def test_nothing_to_rename_on_a_title(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    position = buffer.position_of("Gossip Protocols", offset=2)
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(buffer.identifier(), position)) is None


async def test_folding_ranges(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    ranges = await client.text_document_folding_range_async(types.FoldingRangeParams(buffer.identifier()))
    starts = {item.start_line for item in ranges}
    assert buffer.find("### [1]")[0] in starts
    assert all(item.end_line > item.start_line for item in ranges)


async def test_document_links(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    links = await client.text_document_document_link_async(types.DocumentLinkParams(buffer.identifier()))
    by_target = {link.target: link for link in links}
    paper = by_target["https://arxiv.org/abs/2501.00001"]
    # The URL follows a title with an emoji: its range is in the client's units.
    assert "2501.00001" in text_of(buffer, paper.range)
    anchors = [link for link in links if link.target.startswith(buffer.uri + "#L")]
    assert anchors


async def test_selection_ranges_grow_outwards(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    position = buffer.position_of("Pérez", offset=1)
    result = await client.text_document_selection_range_async(
        types.SelectionRangeParams(buffer.identifier(), positions=[position])
    )
    assert len(result) == 1
    chain = []
    node = result[0]
    while node is not None:
        chain.append(node.range)
        node = node.parent
    assert len(chain) >= 2
    for inner, outer in zip(chain, chain[1:]):
        assert (outer.start.line, outer.start.character) <= (inner.start.line, inner.start.character)
        assert (inner.end.line, inner.end.character) <= (outer.end.line, outer.end.character)


async def test_workspace_symbols_find_papers_in_other_files(client, workspace):
    Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Penguins"))
    assert any(symbol.location.uri == (workspace / "other.md").as_uri() for symbol in symbols)
