"""Diagnostics: pull when the client can pull and be asked to pull again, push otherwise, never both.

Which one is settled at `initialize` (`register_pull`): the index changes
what the workspace rules (D401/D402) find, so a client that pulls must
accept `workspace/diagnostic/refresh`, or it would show them only after the
next edit; a client that cannot (Neovim 0.11) is not offered pulling and
gets pushed diagnostics instead. Index events reach the service through
`Session.on_index_changed`; settings changes through `refresh`.

Push: a newly opened document is linted at once; a change schedules a lint
per document after `debounce_ms`, and when the timer fires the version is
checked again (a newer change has its own timer). Every lint is pushed,
an empty list for a file that is not a digest, as a pull is always
answered: the client knows the file was looked at. Closing clears.

Pull: `textDocument/diagnostic` always answers a report (empty for a
non-digest or an unknown document); the result id changes whenever the
diagnostics were computed again, so an unchanged document costs nothing.
`workspace/diagnostic` covers every digest of the index that is not open.

A document's first lint leaves the workspace scope out when there is one:
its own diagnostics go out at once (pushed, or as the answer to the first
pull), and the whole set follows on the next turn of the event loop
(`_complete`), re-using the first result, so only D401/D402 are new work.
When it differs, it is pushed, or the pulling client is asked to pull again
(`workspace/diagnostic/refresh`); when it does not, the first answer stands
and keeps its result id. An edit before that lints the whole set itself.

Lint results are cached per document with the key (version, config, index
generation, whether the workspace scope was left out), and the previous
result is passed to `lint` so that only re-parsed blocks are checked again.
The diagnostics of an open document go out as pre-encoded JSON
(`convert.diagnostics_json`): after an edit only the diagnostics that
changed are converted again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from lsprotocol import types

from . import memory, wire
from .common import guarded, locator, path_to_uri
from .convert import TextView, diagnostics_json, to_diagnostic
from .documents import OpenDocument
from .session import Session

if TYPE_CHECKING:
    from ..lint import LintResult
    from ..model import Document
    from ..rules.workspace_rules import WorkspaceView
    from .server import DigestServer

logger = logging.getLogger(__name__)

_result_ids = itertools.count(1)


@dataclass
class _Cached:
    key: tuple
    result: LintResult
    result_id: str
    items_json: wire.RawJSON | None = None  # the protocol diagnostics, once converted
    partial: bool = False  # the workspace scope left out, to follow (see `_complete`)

    @property
    def diagnostics(self) -> tuple:
        """Every scope's diagnostics, the workspace rules' (D401/D402) included: `lint` runs them all."""
        return self.result.diagnostics


class DiagnosticsClient(Protocol):
    """The editor as the service sends to it (`DigestServer` is one)."""

    def push_diagnostics(self, params: wire.RawJSON) -> None: ...

    def workspace_diagnostic_refresh(self, params: None) -> object: ...


class DiagnosticsService:
    def __init__(self, session: Session, client: DiagnosticsClient):
        self.session = session
        self._client = client
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._by_uri: dict[str, _Cached] = {}
        self._by_path: dict[str, tuple] = {}  # closed files, for workspace/diagnostic: (key, uri, result id, items)
        self._published: set[str] = set()  # uris with a non-empty push outstanding

    @property
    def pulled(self) -> bool:
        """Whether the client pulls; else the service pushes (see the module docstring)."""
        return self.session.flags.pull_diagnostics and self.session.flags.diagnostic_refresh

    # --- computing -------------------------------------------------------------------

    def _compute(
        self, cached: _Cached | None, key: tuple, document: Document, workspace: WorkspaceView | None, config
    ) -> _Cached:
        if cached is not None and cached.key == key:
            return cached
        from ..lint import lint  # see `lifecycle.preload`

        previous = cached.result if cached is not None else None
        if previous is None or cached.partial:
            with memory.long_lived():  # a whole document's first lint, or its workspace scope: the results stay
                result = lint(document, config, previous=previous, workspace=workspace)
        else:
            result = lint(document, config, previous=previous, workspace=workspace)
        if cached is not None and cached.partial and result.diagnostics == cached.result.diagnostics:
            # The workspace scope found nothing: what the client holds is the whole set already.
            return _Cached(key, result, cached.result_id, cached.items_json)
        return _Cached(key, result, str(next(_result_ids)))

    def _workspace(self, path: str | None) -> WorkspaceView | None:
        """The index as the workspace rules read it, once it is built; before that, the document alone."""
        index = self.session.workspace_index
        if index is None or path is None:
            return None
        from ..rules.workspace_rules import WorkspaceView  # see `lifecycle.preload`

        return WorkspaceView(index, path, self.session.index_generation)

    def for_document(self, document: OpenDocument, first_answer: bool = False) -> _Cached:
        """The document's lint result; for the `first_answer` since it was opened, without the workspace scope,
        which `_complete` adds on the next turn of the event loop."""
        config = self.session.config_for(document.path)
        workspace = self._workspace(document.path)
        previous = self._by_uri.get(document.uri)
        partial = first_answer and previous is None and workspace is not None
        key = (document.version, id(document.model), config.cache_key(), self.session.index_generation, partial)
        cached = self._compute(previous, key, document.model, None if partial else workspace, config)
        cached.partial = partial
        self._by_uri[document.uri] = cached
        if partial:
            asyncio.get_running_loop().call_soon(self._complete, document.uri, key)
        return cached

    def _complete(self, uri: str, key: tuple) -> None:
        """Add the workspace scope to a first answer, and tell the client when that changes what it holds."""
        cached, document = self._by_uri.get(uri), self.session.documents.get(uri)
        if cached is None or cached.key != key or document is None:
            return  # closed, edited, or linted again (settings, the index) since: that lint was whole
        try:
            whole = self.for_document(document)
        except Exception:
            logger.exception("linting %s failed", uri)
            return
        if whole.result_id == cached.result_id:
            return
        if self.pulled:
            self._client.workspace_diagnostic_refresh(None)
        else:
            self._send(document, whole)

    def to_proto(self, diagnostics, view: TextView, uri: str) -> list[types.Diagnostic]:
        related = self.session.flags.related_information
        locate = locator(self.session)
        return [to_diagnostic(item, view, uri, locate, related) for item in diagnostics]

    def items_json(self, cached: _Cached, document: OpenDocument) -> wire.RawJSON:
        if cached.items_json is None:
            cached.items_json = diagnostics_json(
                cached.diagnostics, document.view(self.session.codec), document.uri,
                document.fragments("diagnostics"), locator(self.session), self.session.flags.related_information,
            )
        return cached.items_json

    # --- document events ---------------------------------------------------------------

    def opened(self, document: OpenDocument) -> None:
        if not self.pulled:
            self.publish(document, first_answer=True)

    def changed(self, document: OpenDocument) -> None:
        if self.pulled:
            return
        self._cancel(document.uri)
        delay = self.session.config_for(document.path).debounce_ms / 1000
        loop = asyncio.get_running_loop()
        self._timers[document.uri] = loop.call_later(delay, self._fire, document.uri, document.version)

    def closed(self, uri: str) -> None:
        self._cancel(uri)
        self._by_uri.pop(uri, None)
        if not self.pulled and uri in self._published:
            self._published.discard(uri)
            self._push(uri, None, wire.array(()))

    def _cancel(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def _fire(self, uri: str, version: int | None) -> None:
        self._timers.pop(uri, None)
        document = self.session.documents.get(uri)
        if document is None or document.version != version:
            return  # closed, or a newer change has scheduled its own lint
        try:
            self.publish(document)
        except Exception:
            logger.exception("linting %s failed", uri)

    def publish(self, document: OpenDocument, first_answer: bool = False) -> None:
        self._send(document, self.for_document(document, first_answer))

    def _send(self, document: OpenDocument, cached: _Cached) -> None:
        if cached.diagnostics:
            self._published.add(document.uri)
        else:
            self._published.discard(document.uri)
        self._push(document.uri, document.version, self.items_json(cached, document))

    def _push(self, uri: str, version: int | None, items: wire.RawJSON) -> None:
        self._client.push_diagnostics(
            wire.members(uri=wire.dumps(uri), version=None if version is None else wire.dumps(version), diagnostics=items)
        )

    def refresh(self) -> None:
        """Settings or the index changed: every result may differ, so pulls are asked for again or pushes resent."""
        if self.pulled:
            self._client.workspace_diagnostic_refresh(None)
            return
        for document in self.session.documents:
            try:
                self.publish(document)
            except Exception:
                logger.exception("linting %s failed", document.uri)

    # --- pull ----------------------------------------------------------------------------

    def document_report(self, uri: str, previous_result_id: str | None):
        document = self.session.documents.get(uri)
        if document is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        cached = self.for_document(document, first_answer=True)
        if previous_result_id is not None and previous_result_id == cached.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=cached.result_id)
        return wire.members(
            kind=wire.dumps("full"), resultId=wire.dumps(cached.result_id), items=self.items_json(cached, document)
        )

    async def workspace_report(self, previous: dict[str, str]) -> types.WorkspaceDiagnosticReport:
        reports: list[Any] = []
        for document in self.session.documents:
            if not document.model.is_digest:
                continue
            cached = self.for_document(document)
            view = document.view(self.session.codec)
            reports.append(
                self._workspace_item(document.uri, document.version, cached.result_id, previous,
                                     lambda cached=cached, view=view, uri=document.uri: self.to_proto(cached.diagnostics, view, uri))
            )
        index = self.session.workspace_index
        for path in index.digest_paths() if index is not None else []:
            if self.session.documents.by_path(path) is not None:
                continue
            closed = self._closed_file(index, path)
            if closed is not None:
                uri, result_id, items = closed
                reports.append(self._workspace_item(uri, None, result_id, previous, lambda items=items: items))
            await asyncio.sleep(0)  # one file at a time: let edits and other requests through
        return types.WorkspaceDiagnosticReport(items=reports)

    def _closed_file(self, index, path: str):
        """(uri, result id, protocol diagnostics) of a digest that is not open, linted again only when it changed.

        Only the converted diagnostics are kept, never the parsed document:
        a workspace of many large digests must not stay in memory.
        """
        try:
            stat = os.stat(path)
        except OSError:
            self._by_path.pop(path, None)
            return None
        config = self.session.config_for(path)
        key = (stat.st_size, stat.st_mtime_ns, config.cache_key(), self.session.index_generation)
        cached = self._by_path.get(path)
        if cached is None or cached[0] != key:
            from ..lint import lint  # see `lifecycle.preload`

            model = index.document(path)
            if model is None or not model.is_digest:
                self._by_path.pop(path, None)
                return None
            found = tuple(lint(model, config, workspace=self._workspace(path)).diagnostics)
            uri = path_to_uri(path)
            items = self.to_proto(found, TextView(model.lines, self.session.codec), uri)
            cached = (key, uri, str(next(_result_ids)), items)
            self._by_path[path] = cached
        return cached[1], cached[2], cached[3]

    @staticmethod
    def _workspace_item(uri: str, version, result_id: str, previous: dict[str, str], items):
        if previous.get(uri) == result_id:
            return types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, version=version, result_id=result_id)
        return types.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=version, items=items(), result_id=result_id)


# --- handlers ---------------------------------------------------------------------------


@guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
def text_document_diagnostic(diagnostics: DiagnosticsService, params: types.DocumentDiagnosticParams):
    """Called by pull clients (VS Code) after opening or changing a document."""
    return diagnostics.document_report(params.text_document.uri, params.previous_result_id)


@guarded(lambda: types.WorkspaceDiagnosticReport(items=[]))
async def workspace_diagnostic(diagnostics: DiagnosticsService, params: types.WorkspaceDiagnosticParams):
    """Called by pull clients that show problems of files that are not open."""
    previous = {item.uri: item.value for item in params.previous_result_ids or ()}
    return await diagnostics.workspace_report(previous)


def register_pull(server: "DigestServer") -> None:
    """Offer pulling (called at `initialize`, before pygls computes the capabilities, when the service pulls)."""
    if types.TEXT_DOCUMENT_DIAGNOSTIC in server.protocol.fm.features:
        return  # a second `initialize`
    options = types.DiagnosticOptions(
        identifier="digest-ls", inter_file_dependencies=True, workspace_diagnostics=True
    )
    server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, options)(partial(text_document_diagnostic, server.diagnostics))
    server.feature(types.WORKSPACE_DIAGNOSTIC)(partial(workspace_diagnostic, server.diagnostics))
