"""Answers before the workspace index is built, and the workspace diagnostics once it is.

The client here holds its answer to `window/workDoneProgress/create`, and the
server starts indexing only when it has that answer: until the test lets it
go, the index does not exist, however fast the machine.
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from .lsp_harness import Buffer, codes_until, diagnostics, expect_refresh, index_ready, make_client_holding_the_index

pytestmark = pytest.mark.e2e

# Far above what a fixture workspace needs; only a server that never asks again reaches it.
REFRESH_GUARD_SECONDS = 30


async def completion_labels(buffer: Buffer, after: str) -> list[str]:
    position = buffer.position_of(after, offset=len(after))
    result = await buffer.client.text_document_completion_async(types.CompletionParams(buffer.identifier(), position))
    return [item.label for item in result.items]


def codes(items: list[types.Diagnostic]) -> set[str]:
    return {str(item.code) for item in items}


async def test_completion_hover_and_symbols_answer_from_the_open_buffer_before_the_index(launch, workspace):
    client = await launch(client_factory=make_client_holding_the_index)
    buffer = Buffer(client, workspace / "unicode.md").open()
    buffer.replace("*Jürgen Müller,佐藤 花子*", "*Jürgen Müller,Grace Ho*")

    # Grace Hopper is written in this buffer (entry 2); Leslie Lamport only in other.md.
    labels = await completion_labels(buffer, "Müller,Grace Ho")
    assert "Grace Hopper" in labels
    hover = await client.text_document_hover_async(
        types.HoverParams(buffer.identifier(), buffer.position_of("Zoë Çelik,Grace Hopper", offset=1))
    )
    assert "Rocket 🚀 Scheduling" in hover.contents.value and "Gossip Protocols Revisited" in hover.contents.value
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="gossip"))
    assert [symbol.location.uri for symbol in symbols] == [buffer.uri]
    assert not client.progress_reports  # all of it answered before indexing began
    buffer.replace("Müller,Grace Ho*", "Müller,Lesl*")
    assert "Leslie Lamport" not in await completion_labels(buffer, "Müller,Lesl")

    client.index_released.set()
    await index_ready(client)
    assert "Leslie Lamport" in await completion_labels(buffer, "Müller,Lesl")  # now from the workspace index


@pytest.mark.parametrize("flavour", ["neovim"], indirect=True)  # the pushing client
async def test_workspace_diagnostics_are_pushed_once_the_index_is_built_without_an_edit(launch, workspace):
    client = await launch(client_factory=make_client_holding_the_index)
    buffer = Buffer(client, workspace / "unicode.md").open()
    first = await diagnostics(buffer)
    assert first and "D401" not in codes(first)  # the document's own diagnostics, at once

    client.index_released.set()
    # 2501.00002 is also listed in other.md. The buffer is never edited: version 1 throughout.
    assert "D401" in await codes_until(buffer, lambda found: "D401" in found)
    assert buffer.version == 1


@pytest.mark.parametrize("flavour", ["vscode"], indirect=True)  # the pulling client, with refresh support
async def test_a_pulling_client_is_asked_to_pull_again_once_the_index_is_built(launch, workspace):
    client = await launch(client_factory=make_client_holding_the_index)
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert "D401" not in codes(await diagnostics(buffer))

    refreshed = expect_refresh(client)
    client.index_released.set()
    await asyncio.wait_for(refreshed, REFRESH_GUARD_SECONDS)
    assert "D401" in codes(await diagnostics(buffer))


@pytest.mark.parametrize("flavour", ["neovim"], indirect=True)
async def test_a_client_that_pulls_but_cannot_be_asked_again_gets_pushes(launch, workspace):
    # Neovim 0.11 as it is: it can pull, but has no `workspace.diagnostics.refreshSupport`.
    client = await launch(capabilities=client_capabilities("neovim@v0.11"), position_encodings=["utf-8"])
    assert client.initialize_result.capabilities.diagnostic_provider is None
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert "D401" in await codes_until(buffer, lambda found: "D401" in found)
