"""`digest-ls serve --tcp` and `--log-file`: the other transport, and logs that never touch stdout."""

from __future__ import annotations

import asyncio
import re
import sys

import pytest
from lsprotocol import types

from .lsp_harness import VSCODE, Buffer, diagnostics, make_client, server_env

pytestmark = pytest.mark.e2e

EXIT_GUARD_SECONDS = 60  # a bound against hanging, not a speed assertion


async def test_tcp_transport(workspace, tmp_path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "digest_ls", "serve", "--tcp", "127.0.0.1:0", "--log-level", "info",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=server_env(tmp_path / "cache"),
    )
    try:
        port = await _listening_port(process)
        client = make_client()
        client.flavour = VSCODE
        await client.start_tcp("127.0.0.1", port)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=VSCODE.capabilities(),
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
            )
        )
        buffer = Buffer(client, workspace / "unicode.md").open()
        assert "D207" in {item.code for item in await diagnostics(buffer)}
        await client.shutdown_session()
        await client.stop()
        await asyncio.wait_for(process.communicate(), EXIT_GUARD_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0


async def _listening_port(process) -> int:
    """Read the server's stderr until it says where it listens (port 0: the system chose)."""
    pattern = re.compile(rb"Serving on \('127\.0\.0\.1', (\d+)\)")
    seen = b""
    while line := await process.stderr.readline():
        seen += line
        if found := pattern.search(line):
            return int(found.group(1))
    raise AssertionError(f"the server ended before listening: {seen!r}")


async def test_logs_go_to_the_log_file_and_the_client_never_to_stdout(launch, workspace, tmp_path):
    log_file = tmp_path / "server.log"
    client = await launch(server_args=["--log-file", str(log_file), "--log-level", "info"])
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert await diagnostics(buffer)  # the protocol on stdout is intact
    await client.shutdown_session()
    log = log_file.read_text(encoding="utf-8")
    assert f"position encoding {client.flavour.encoding}" in log
    assert any("position encoding" in message.message for message in client.log_messages)
