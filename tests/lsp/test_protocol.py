"""The protocol around the features: negotiation, robustness, lifecycle, index and watchers."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
import uuid
from concurrent.futures import Future

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcMethodNotFound
from pygls.protocol.json_rpc import JsonRPCRequestMessage

from .lsp_harness import Buffer, diagnostics, index_ready

pytestmark = pytest.mark.e2e

# Generous bound for the process to notice its parent died (it polls every second);
# a guard against hanging, not a speed assertion.
EXIT_GUARD_SECONDS = 60


async def test_negotiated_position_encoding_and_capabilities(client, flavour):
    capabilities = client.initialize_result.capabilities
    assert capabilities.position_encoding == flavour.encoding  # UTF-8 when Neovim offers it
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    if flavour.pull:
        assert capabilities.diagnostic_provider.workspace_diagnostics is True
    else:  # pulling is offered only to a client that pulls: the other gets pushes, never both
        assert capabilities.diagnostic_provider is None
    assert capabilities.completion_provider.resolve_provider is True
    assert "source.fixAll.digest-ls" in capabilities.code_action_provider.code_action_kinds
    assert client.initialize_result.server_info.name == "digest-ls"


async def test_utf32_is_preferred_when_offered(launch, workspace):
    client = await launch(position_encodings=["utf-16", "utf-8", "utf-32"])
    assert client.initialize_result.capabilities.position_encoding == "utf-32"
    client.flavour = dataclasses.replace(client.flavour, encoding="utf-32")
    buffer = Buffer(client, workspace / "unicode.md").open()
    items = await diagnostics(buffer)
    d304 = next(item for item in items if item.code == "D304")
    assert d304.range.start.character == len("TL;DR: 研究 🚀 调度问题。")  # code points


async def test_requests_for_a_document_never_opened(client, flavour, workspace):
    missing = types.TextDocumentIdentifier(uri=(workspace / "never-opened.md").as_uri())
    position = types.Position(line=0, character=0)
    assert await client.text_document_hover_async(types.HoverParams(missing, position)) is None
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(missing))
    completion = await client.text_document_completion_async(types.CompletionParams(missing, position))
    assert not completion.items
    assert not await client.text_document_definition_async(types.DefinitionParams(missing, position))
    assert not await client.text_document_folding_range_async(types.FoldingRangeParams(missing))
    assert not await client.text_document_document_link_async(types.DocumentLinkParams(missing))
    assert not await client.text_document_formatting_async(
        types.DocumentFormattingParams(missing, types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert not await client.text_document_code_action_async(
        types.CodeActionParams(missing, types.Range(start=position, end=position), types.CodeActionContext(diagnostics=[]))
    )
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(missing, position)) is None
    if flavour.pull:  # (a pushing client is not offered the method)
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=missing))
        assert report.kind == "full" and not report.items
    # A change for it is ignored, and the server goes on answering.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=missing.uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="# x\n")],
        )
    )
    assert await client.text_document_hover_async(types.HoverParams(missing, position)) is None


async def test_unknown_method_and_invalid_params(client):
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("digest-ls/noSuchMethod", {})
    with pytest.raises(JsonRpcInvalidParams):
        await raw_request(client, types.TEXT_DOCUMENT_HOVER, {"textDocument": 42})
    # The session survives both.
    result = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="x"))
    assert isinstance(result, list)


async def raw_request(client, method: str, params):
    """Send a request as raw JSON (the client would refuse to build invalid params itself)."""
    message_id = str(uuid.uuid4())
    future: Future = Future()
    client.protocol._request_futures[message_id] = future
    client.protocol._send_data(JsonRPCRequestMessage(id=message_id, method=method, params=params, jsonrpc="2.0"))
    return await asyncio.wrap_future(future)


async def test_index_progress_is_reported(client):
    await index_ready(client)
    (reports,) = [values for values in client.progress_reports.values() if values]
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert "papers" in reports[-1].message
    assert any(isinstance(value, types.WorkDoneProgressReport) and "files" in value.message for value in reports)


async def test_file_watchers_registered_when_the_client_allows(client, flavour):
    await index_ready(client)  # registration happens before the index starts
    methods = {registration.method for registration in client.registrations}
    if flavour.name == "vscode":  # VS Code registers watchers dynamically; Neovim 0.11 says it cannot
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods
    else:
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES not in methods


async def test_open_buffers_override_the_disk_and_watched_changes_are_read(client, workspace):
    current = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    current.replace("Zoë Çelik*", "Zoë Çelik,Zyx*")
    position = current.position_of(",Zyx*", offset=len(",Zyx"))

    async def authors() -> list[str]:
        result = await client.text_document_completion_async(types.CompletionParams(current.identifier(), position))
        return [item.label for item in result.items]

    assert "Zyxel Quorn" not in await authors()
    # An unsaved buffer of another digest counts ...
    other = Buffer(client, workspace / "other.md").open()
    other.replace("Barbara Liskov,", "Barbara Liskov,Zyxel Quorn,")
    assert "Zyxel Quorn" in await authors()
    # ... and closing it falls back to the file on disk.
    other.close()
    assert "Zyxel Quorn" not in await authors()
    # A change on disk is read when the client reports it.
    path = workspace / "other.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Leslie Lamport", "Leslie Lamport,Zyxel Quorn"), encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)])
    )
    assert "Zyxel Quorn" in await authors()


async def test_exit_after_shutdown_ends_the_process(client):
    await client.shutdown_session()
    assert client._server.returncode == 0


async def test_the_server_exits_when_its_parent_dies(launch):
    parent = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    client = await launch(process_id=parent.pid)
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))  # the session is up
    parent.kill()
    parent.wait()
    await asyncio.wait_for(client._server.wait(), EXIT_GUARD_SECONDS)
    assert client._server.returncode == 0


async def test_a_new_workspace_folder_is_indexed(launch, workspace, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    client = await launch(root=empty)
    await index_ready(client)
    assert not await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Penguins"))
    client.progress_reports.clear()
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")], removed=[]
            )
        )
    )
    await index_ready(client)
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Penguins"))
    assert any(symbol.location.uri == (workspace / "other.md").as_uri() for symbol in symbols)
