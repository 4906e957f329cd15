"""Driving the real server process: two client flavours, and waits on notifications (never sleeps).

`vscode`: UTF-16 positions, pull diagnostics (textDocument/diagnostic).
`neovim`: UTF-8 positions (offered with UTF-16), push diagnostics.

The position arithmetic here is written independently of
`digest_ls.lsp.positions` so that the tests check it rather than repeat it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import attrs
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "lsp"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SERVER_COMMAND = [sys.executable, "-m", "digest_ls", "serve"]


@dataclass(frozen=True)
class Flavour:
    name: str
    encoding: str  # "utf-16" or "utf-8"
    pull: bool

    def capabilities(self) -> types.ClientCapabilities:
        if self.name == "vscode":
            caps = client_capabilities("visual-studio-code")
            text_document = attrs.evolve(
                caps.text_document,
                diagnostic=types.DiagnosticClientCapabilities(related_document_support=True),
            )
            workspace = attrs.evolve(
                caps.workspace, diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
            )
            general = types.GeneralClientCapabilities(position_encodings=["utf-16"])
        else:
            caps = client_capabilities("neovim@v0.11")
            text_document = attrs.evolve(caps.text_document, diagnostic=None)
            workspace = caps.workspace
            general = types.GeneralClientCapabilities(position_encodings=["utf-8", "utf-16"])
        return attrs.evolve(caps, text_document=text_document, workspace=workspace, general=general)

    # --- independent position arithmetic --------------------------------------------

    def units(self, line: str, col: int) -> int:
        prefix = line[:col]
        if self.encoding == "utf-32":
            return len(prefix)
        if self.encoding == "utf-8":
            return len(prefix.encode("utf-8"))
        return len(prefix.encode("utf-16-le")) // 2

    def col(self, line: str, units: int) -> int:
        if self.encoding == "utf-32":
            return min(units, len(line))
        if self.encoding == "utf-8":
            return len(line.encode("utf-8")[:units].decode("utf-8"))
        return len(line.encode("utf-16-le")[: units * 2].decode("utf-16-le"))

    def position(self, lines: list[str], line: int, col: int) -> types.Position:
        return types.Position(line=line, character=self.units(lines[line], col))

    def range(self, lines: list[str], span) -> types.Range:
        return types.Range(
            start=self.position(lines, span[0], span[1]), end=self.position(lines, span[2], span[3])
        )


VSCODE = Flavour("vscode", "utf-16", pull=True)
NEOVIM = Flavour("neovim", "utf-8", pull=False)
FLAVOURS = {flavour.name: flavour for flavour in (VSCODE, NEOVIM)}


def server_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DIGEST_LS_CACHE_DIR"] = str(cache_dir)
    server = str(ROOT / "server")
    env["PYTHONPATH"] = server + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else server
    return env


async def start_client(
    flavour: Flavour,
    root: Path | None,
    cache_dir: Path,
    initialization_options=None,
    settings: dict | None = None,
    process_id: int | None = None,
    client_factory=None,
    position_encodings: list[str] | None = None,
    server_args: list[str] = (),
    capabilities: types.ClientCapabilities | None = None,
) -> LanguageClient:
    config = ClientServerConfig(server_command=[*SERVER_COMMAND, *server_args], server_env=server_env(cache_dir))
    if client_factory is not None:
        config.client_factory = client_factory
    client = await config.start()
    client.flavour = flavour
    if settings is not None:
        client.set_configuration(settings, section="digest-ls")
    folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root else None
    capabilities = capabilities or flavour.capabilities()
    if position_encodings is not None:
        capabilities = attrs.evolve(
            capabilities, general=types.GeneralClientCapabilities(position_encodings=position_encodings)
        )
    client.initialize_result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri() if root else None,
            workspace_folders=folders,
            initialization_options=initialization_options,
            process_id=process_id,
        )
    )
    return client


# --- the test client ---------------------------------------------------------------------


def record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    # pytest-lsp keeps only the list; the tests also need the version it was published for.
    client.published[params.uri] = params
    client.publish_log.append((params.uri, params.version))
    client.pushes.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def record_registration(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def record_refresh(client: LanguageClient, params: None) -> None:
    client.diagnostic_refresh_count += 1
    for waiter in client.refresh_waiters:
        if not waiter.done():
            waiter.set_result(None)
    client.refresh_waiters.clear()


def make_client(overrides: dict | None = None) -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record_publish,
        types.CLIENT_REGISTER_CAPABILITY: record_registration,
        types.WORKSPACE_DIAGNOSTIC_REFRESH: record_refresh,
        **(overrides or {}),
    }
    register_lsp_features(client, features)
    client.published = {}
    client.publish_log = []
    client.pushes = []  # every push, in order
    client.registrations = []
    client.refresh_waiters = []
    return client


async def create_progress_once_released(client: LanguageClient, params: types.WorkDoneProgressCreateParams) -> None:
    await client.index_released.wait()
    DEFAULT_CLIENT_FEATURES[types.WINDOW_WORK_DONE_PROGRESS_CREATE](client, params)


def make_client_holding_the_index() -> LanguageClient:
    """A client that answers `window/workDoneProgress/create` only once `client.index_released` is set.

    The server starts building the workspace index when that answer arrives: until the test
    sets the event, every answer is one given before the index exists, however fast the machine.
    """
    client = make_client({types.WINDOW_WORK_DONE_PROGRESS_CREATE: create_progress_once_released})
    client.index_released = asyncio.Event()
    return client


# --- documents ---------------------------------------------------------------------------


class Buffer:
    """A document as the client holds it: text, version, and the edits it sends."""

    def __init__(self, client: LanguageClient, path: Path, text: str | None = None):
        self.client = client
        self.path = path
        self.uri = path.as_uri()
        self.text = path.read_text(encoding="utf-8") if text is None else text
        self.version = 1

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def open(self) -> "Buffer":
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=self.uri, language_id="markdown", version=self.version, text=self.text)
            )
        )
        return self

    def close(self) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=self.uri))
        )

    def identifier(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    def position(self, line: int, col: int) -> types.Position:
        return self.client.flavour.position(self.lines, line, col)

    def find(self, needle: str, nth: int = 0) -> tuple[int, int]:
        """(line, code-point column) of the nth occurrence of `needle`."""
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(needle, start + 1)
        line = self.text.count("\n", 0, start)
        return line, start - (self.text.rfind("\n", 0, start) + 1)

    def position_of(self, needle: str, offset: int = 0, nth: int = 0) -> types.Position:
        line, col = self.find(needle, nth)
        return self.position(line, col + offset)

    def edit(self, edits: list[types.TextEdit]) -> None:
        """Apply edits (in the client's units) locally and send them as incremental changes."""
        changes = []
        # From the end backwards, so that each change's range holds in the text before it.
        for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            self.text = apply_edit(self.text, edit, self.client.flavour)
            changes.append(types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text))
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                content_changes=changes,
            )
        )

    def replace(self, needle: str, new_text: str, nth: int = 0) -> None:
        line, col = self.find(needle, nth)
        end_line, end_col = line, col + len(needle)
        if "\n" in needle:
            end_line = line + needle.count("\n")
            end_col = len(needle.rsplit("\n", 1)[1])
        lines = self.lines
        rng = types.Range(
            start=self.client.flavour.position(lines, line, col),
            end=self.client.flavour.position(lines, end_line, end_col),
        )
        self.edit([types.TextEdit(range=rng, new_text=new_text)])


def apply_edit(text: str, edit: types.TextEdit, flavour: Flavour) -> str:
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        if position.line >= len(lines):
            return len(text)
        return before + flavour.col(lines[position.line], position.character)

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def apply_edits(text: str, edits, flavour: Flavour) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = apply_edit(text, edit, flavour)
    return text


# --- waiting -------------------------------------------------------------------------------


async def diagnostics(buffer: Buffer) -> list[types.Diagnostic]:
    """The diagnostics of the buffer's current version: pulled, or waited for until pushed."""
    client = buffer.client
    if client.flavour.pull:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=buffer.identifier())
        )
        assert report.kind == "full"
        return list(report.items)
    while True:
        published = client.published.get(buffer.uri)
        if published is not None and published.version == buffer.version:
            return list(published.diagnostics)
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def index_ready(client: LanguageClient) -> None:
    """Wait for the end of the indexing progress (both flavours advertise work-done progress)."""
    while not any(
        any(isinstance(value, types.WorkDoneProgressEnd) for value in values)
        for values in client.progress_reports.values()
    ):
        await client.wait_for_notification(types.PROGRESS)


def expect_refresh(client: LanguageClient):
    """A future set when the server next asks for `workspace/diagnostic/refresh` (create it first)."""
    waiter = asyncio.get_running_loop().create_future()
    client.refresh_waiters.append(waiter)
    return waiter


# How long a pulling client waits to be asked to pull again before it takes the last answer as final.
REFRESH_WAIT_SECONDS = 10


async def codes_until(buffer: Buffer, done) -> set[str]:
    """The buffer's diagnostic codes once `done(codes)` holds: waited for when pushed; when pulled, pulled again
    each time the server asks for it (a first answer after opening holds the document's own diagnostics only,
    and a refresh follows when the workspace rules add to them), until none comes."""
    client = buffer.client
    while True:
        refreshed = expect_refresh(client) if client.flavour.pull else None  # before the pull: it may come at once
        codes = {str(item.code) for item in await diagnostics(buffer)}
        if done(codes):
            return codes
        if refreshed is None:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            continue
        try:
            await asyncio.wait_for(refreshed, REFRESH_WAIT_SECONDS)
        except asyncio.TimeoutError:
            return codes


async def shown_messages(client: LanguageClient, count: int = 1) -> list[types.ShowMessageParams]:
    while len(client.messages) < count:
        await client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    return client.messages
