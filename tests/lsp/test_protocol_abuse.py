"""The server survives the protocol: garbage, wrong lengths, out-of-order lifecycles, floods.

A raw JSON-RPC client over the real server's stdio, so that malformed bytes
can be sent as they are. Every wait is for a message, never a sleep.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = (ROOT / "fixtures" / "digests" / "2026-01-05.md").read_text(encoding="utf-8")
WAIT = 30

pytestmark = pytest.mark.e2e


class RawClient:
    def __init__(self, tmp_path: Path):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "server"), DIGEST_LS_CACHE_DIR=str(tmp_path / "cache"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest_ls", "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path,
        )
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def raw(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, request_id, method: str, params=None) -> None:
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})

    def notify(self, method: str, params=None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, predicate, timeout: float = WAIT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no such message")
            message = self.messages.get(timeout=remaining)
            if message is None:
                raise EOFError("the server closed its output")
            if predicate(message):
                return message

    def response(self, request_id) -> dict:
        return self.wait_for(lambda m: m.get("id") == request_id and "method" not in m)

    def initialize(self, tmp_path: Path) -> None:
        self.request(0, "initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        assert "capabilities" in self.response(0)["result"]
        self.notify("initialized", {})

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(WAIT)


@pytest.fixture
def client(tmp_path):
    raw = RawClient(tmp_path)
    yield raw
    raw.close()


def open_digest(client: RawClient, tmp_path: Path, text: str = DIGEST) -> str:
    uri = (tmp_path / "digest.md").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    return uri


def test_requests_before_initialize_get_server_not_initialized(client, tmp_path):
    client.request(1, "textDocument/documentSymbol", {"textDocument": {"uri": (tmp_path / "x.md").as_uri()}})
    assert client.response(1)["error"]["code"] == -32002
    client.initialize(tmp_path)  # and the server goes on


def test_malformed_json_gets_a_parse_error_and_the_server_goes_on(client, tmp_path):
    body = b'{"jsonrpc": "2.0", "id": 7, "method": '
    client.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    error = client.wait_for(lambda m: "error" in m)
    assert error["error"]["code"] == -32700 and error["id"] is None
    client.initialize(tmp_path)


def test_a_wrong_content_length_does_not_stop_the_server(client, tmp_path):
    body = json.dumps({"jsonrpc": "2.0", "method": "$/noise", "params": {}}).encode()
    client.raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body)  # too short: leaves bytes behind
    client.raw(b"\r\n")
    client.initialize(tmp_path)


def test_unknown_methods_and_invalid_params(client, tmp_path):
    client.initialize(tmp_path)
    client.request(1, "digest/unknown", {})
    assert client.response(1)["error"]["code"] == -32601
    client.notify("$/unknownNotification", {})  # ignored, as the spec says for `$/`
    client.request(2, "textDocument/hover", {"textDocument": 5})
    assert client.response(2)["error"]["code"] == -32602
    client.request(3, "workspace/symbol", {"query": "Typed"})
    assert "result" in client.response(3)


def test_requests_after_shutdown_are_invalid_and_exit_ends_the_process(client, tmp_path):
    client.initialize(tmp_path)
    client.request(1, "shutdown")
    assert client.response(1)["result"] is None
    client.request(2, "textDocument/documentSymbol", {"textDocument": {"uri": (tmp_path / "x.md").as_uri()}})
    assert client.response(2)["error"]["code"] == -32600
    client.notify("exit")
    assert client.process.wait(WAIT) == 0


def test_a_flood_of_changes_with_stale_versions_ends_in_the_right_state(client, tmp_path):
    client.initialize(tmp_path)
    uri = open_digest(client, tmp_path)
    title_line = DIGEST.split("\n").index(next(l for l in DIGEST.split("\n") if l.startswith("### [1]")))
    text = DIGEST
    for step in range(1500):
        # Type then delete one character; every tenth notification repeats an old version number.
        if step % 2 == 0:
            change = {"range": {"start": {"line": title_line, "character": 9}, "end": {"line": title_line, "character": 9}}, "text": "Z"}
        else:
            change = {"range": {"start": {"line": title_line, "character": 9}, "end": {"line": title_line, "character": 10}}, "text": ""}
        version = 2 + step if step % 10 else 1
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    # Ranges past the end and several changes in one notification.
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 5000},
            "contentChanges": [
                {"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 9999, "character": 50}}, "text": "\n"},
                {"range": {"start": {"line": title_line, "character": 9}, "end": {"line": title_line, "character": 9}}, "text": "Q"},
            ],
        },
    )
    text = text + "\n"
    lines = text.split("\n")
    lines[title_line] = lines[title_line][:9] + "Q" + lines[title_line][9:]
    client.request(1, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    symbols = client.response(1)["result"]
    names = json.dumps(symbols, ensure_ascii=False)
    assert "[1] " + lines[title_line].split("[", 2)[2].split("](")[0] in names


def test_cancelling_a_request_leaves_the_server_answering(client, tmp_path):
    client.initialize(tmp_path)
    uri = open_digest(client, tmp_path, DIGEST * 40)
    client.request(1, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    client.notify("$/cancelRequest", {"id": 1})
    first = client.response(1)
    assert "result" in first or first["error"]["code"] == -32800
    client.request(2, "textDocument/foldingRange", {"textDocument": {"uri": uri}})
    assert isinstance(client.response(2)["result"], list)


def test_requests_for_documents_never_opened(client, tmp_path):
    client.initialize(tmp_path)
    uri = (tmp_path / "never-opened.md").as_uri()
    for request_id, method, extra in (
        (1, "textDocument/hover", {"position": {"line": 0, "character": 0}}),
        (2, "textDocument/completion", {"position": {"line": 0, "character": 0}}),
        (3, "textDocument/documentSymbol", {}),
        (4, "textDocument/formatting", {"options": {"tabSize": 2, "insertSpaces": True}}),
    ):
        client.request(request_id, method, {"textDocument": {"uri": uri}, **extra})
        assert "error" not in client.response(request_id)
