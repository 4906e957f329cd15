"""Hover, completion, workspace symbols and citations a digest author can trust, through the protocol."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass

import attrs
import bibtexparser
import pytest
from lsprotocol import types

from . import lsp_harness
from .lsp_harness import NEOVIM, ROOT, Buffer, Flavour, index_ready, make_client

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class PlainTextHover(Flavour):
    """A client that shows hover text as it is (no Markdown)."""

    def capabilities(self) -> types.ClientCapabilities:
        caps = super().capabilities()
        hover = types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText])
        return attrs.evolve(caps, text_document=attrs.evolve(caps.text_document, hover=hover))


async def test_hover_shows_the_buffer_as_edited_and_the_other_days(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    buffer.replace("Grace Hopper*", "Grace Hopper,Edited Author*")  # the entry of 2501.00002 in this buffer
    hover = await client.text_document_hover_async(
        types.HoverParams(buffer.identifier(), buffer.position_of("Gossip Protocols Revisited", offset=2))
    )
    assert "Zoë Çelik, Grace Hopper, Edited Author" in hover.contents.value
    other_days = hover.contents.value.split("**Also listed on**\n")[1]
    assert other_days.startswith("- [other.md \\[1\\]](" + (workspace / "other.md").as_uri())


async def test_a_client_without_markdown_gets_the_rendered_text(launch, workspace, tmp_path):
    client = await lsp_harness.start_client(
        PlainTextHover("neovim", "utf-8", pull=False), workspace, tmp_path / "plain-cache", client_factory=make_client
    )
    try:
        buffer = Buffer(client, workspace / "other.md").open()
        await index_ready(client)
        hover = await client.text_document_hover_async(
            types.HoverParams(buffer.identifier(), buffer.position_of("Consensus for Penguins", offset=3))
        )
        assert hover.contents.kind == types.MarkupKind.PlainText
        text = hover.contents.value
        assert text.startswith("Consensus for Penguins 🐧\n\n2501.00004 · cs.DC")
        assert "abs <https://arxiv.org/abs/2501.00004>" in text
        assert "\\" not in text and "**" not in text and "](" not in text
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.parametrize("flavour", [NEOVIM], ids=["neovim"])
async def test_completion_never_offers_the_half_typed_name(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    buffer.replace("Zoë Çelik*", "Zoë Çelik,Lesli Lamprot*")  # a typo the buffer now holds as a name
    position = buffer.position_of(",Lesli Lamprot*", offset=len(",Lesli Lamprot"))
    result = await client.text_document_completion_async(types.CompletionParams(buffer.identifier(), position))
    labels = [item.label for item in result.items]
    assert labels[0] == "Leslie Lamport" and "Lesli Lamprot" not in labels


async def test_workspace_symbols_take_names_with_spaces_and_say_when_cut(client, workspace):
    Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="au:Leslie Lamport"))
    assert {symbol.name for symbol in symbols} >= {"Consensus for Penguins 🐧"}
    by_id = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="2501.00004"))
    assert {symbol.name for symbol in by_id} == {"Consensus for Penguins 🐧"}
    everything = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
    assert all(symbol.kind != types.SymbolKind.Null for symbol in everything)  # 200 is enough here


async def test_citation_code_action_runs_the_command_that_answers_bibtex(client, workspace):
    buffer = Buffer(client, workspace / "other.md").open()
    line, _ = buffer.find("### [2]")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=buffer.identifier(),
            range=types.Range(start=buffer.position(line + 1, 0), end=buffer.position(line + 1, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    # A code action with a command and no edit: lsprotocol's client-side hook reads any object with
    # a `command` key as a Command, whose `command` is then the action's command as Python text
    # (editors tell the two apart by `command` being a string; Neovim's test below runs it for real).
    commands = {}
    for action in actions:
        command = action.command
        if isinstance(command, str) and command.startswith("{"):
            command = ast.literal_eval(command)
            commands[action.title] = (command["command"], command["arguments"])
        elif isinstance(command, types.Command):
            commands[action.title] = (command.command, command.arguments)
    name, arguments = commands["Copy BibTeX citation of 2501.00004"]
    assert "Copy CSL-JSON citation of 2501.00004" in commands
    answer = await client.workspace_execute_command_async(types.ExecuteCommandParams(command=name, arguments=arguments))
    (entry,) = bibtexparser.loads(answer["text"]).entries
    assert entry["ID"] == "2501.00004" and entry["author"] == "Barbara Liskov and Leslie Lamport"
    # A selection of entries, as a client command sends it (the range in the client's units).
    whole = types.Range(start=buffer.position(0, 0), end=buffer.position(len(buffer.lines) - 1, 0))
    answer = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="digest-ls.citation",
            arguments=[{"uri": buffer.uri, "format": "csl-json", "range": json.loads(json.dumps(attrs.asdict(whole)))}],
        )
    )
    assert answer["papers"] == ["2501.00002", "2501.00004"]
    assert [item["id"] for item in json.loads(answer["text"])] == ["2501.00002", "2501.00004"]


def test_a_cancel_for_an_answered_request_is_not_a_warning(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "server"), DIGEST_LS_CACHE_DIR=str(tmp_path / "cache"))
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "x"}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    data = b"".join(
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in (json.dumps(m).encode() for m in messages)
    )
    done = subprocess.run(
        [sys.executable, "-m", "digest_ls", "serve"], input=data, capture_output=True, env=env, cwd=tmp_path, timeout=60
    )
    assert b'"id":3' in done.stdout.replace(b" ", b"")  # the session ran to its end
    assert b"Cancel" not in done.stderr and b"cancel" not in done.stderr, done.stderr.decode(errors="replace")
