"""Features that change text: code actions, formatting, rename.

Quick fixes come from the fixes carried in each diagnostic's `data` (no
re-lint); formatting gives exactly what `digest-ls format` writes, as the
smallest edit that gets there; an author rename reaches every digest of the
workspace (open buffers and files on disk); `digest-ls.citation` answers the
BibTeX or CSL-JSON of entries (the "Copy citation" code actions run it).

The feature modules and the fixer are imported inside the handlers, on the
first request that needs them: `features.editing` imports the index
(rapidfuzz, SQLite), and at start they would add tens of milliseconds to
`initialize`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from lsprotocol import types

from ..features import cite  # a light module: its command is registered at start
from .common import guarded, locator, open_digest, open_digest_at
from .convert import (
    FIX_ALL_KIND,
    action_kind_matches,
    from_diagnostic,
    from_range_json,
    minimal_text_edits,
    to_code_action,
    to_text_edits,
    to_workspace_edit,
)
from .linting import DiagnosticsService
from .session import Session

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)

CODE_ACTION_KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite, FIX_ALL_KIND]


@guarded(list)
def text_document_code_action(session: Session, diagnostics: DiagnosticsService, params: types.CodeActionParams):
    """Called for the light bulb and on save (`source.fixAll.digest-ls`)."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return []
    from ..features import editing  # on first use: see the module docstring

    document, view = found
    originals: dict[int, types.Diagnostic] = {}
    ours = []
    for item in params.context.diagnostics:
        model = from_diagnostic(item, view)
        if model is not None:
            originals[id(model)] = item
            ours.append(model)
    actions = editing.code_actions(
        document.model, view.from_range(params.range), ours, session.index, session.config_for(document.path)
    )
    result = []
    for action in actions:
        converted = to_code_action(action, view, document.uri, originals)
        if action_kind_matches(converted.kind, params.context.only):
            result.append(converted)
    fix_all = _fix_all_action(session, diagnostics, document, view, params.context.only)
    if fix_all is not None:
        result.append(fix_all)
    return result


def _fix_all_action(
    session: Session, diagnostics: DiagnosticsService, document, view, only
) -> types.CodeAction | None:
    """`source.fixAll.digest-ls`: every mechanical fix, as `digest-ls check --fix` applies them.

    Asked for explicitly (on save), or offered in the menu when the last
    lint found something fixable.
    """
    if not action_kind_matches(FIX_ALL_KIND, only):
        return None
    if not only and not any(item.fix for item in diagnostics.for_document(document).diagnostics):
        return None
    from .. import fixes  # on first use: see the module docstring

    new_text = fixes.fix_all(document.model, session.config_for(document.path))
    edits = minimal_text_edits(document.model.lines, document.model.eols, new_text, view)
    if not edits:
        return None
    return types.CodeAction(
        title="Fix all digest-ls problems",
        kind=FIX_ALL_KIND,
        edit=to_workspace_edit({document.uri: edits}),
    )


@guarded(list)
def text_document_formatting(session: Session, params: types.DocumentFormattingParams):
    """Called by "format document": the same text `digest-ls format` writes."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return []
    from .. import formatting  # on first use: see the module docstring

    document, view = found
    new_text = formatting.format_text(document.model.text, session.config_for(document.path))
    return minimal_text_edits(document.model.lines, document.model.eols, new_text, view)


def _rename_target(session: Session, params):
    """(document, view, target) for an author name or a category under the cursor, else None."""
    found = open_digest_at(session, params)
    if found is None:
        return None
    from ..features import editing  # on first use: see the module docstring

    document, view, line, col = found
    target = editing.prepare_rename(document.model, line, col)
    return None if target is None else (document, view, target)


@guarded()
def text_document_prepare_rename(session: Session, params: types.PrepareRenameParams):
    """Called before rename: only author names and categories can be renamed."""
    found = _rename_target(session, params)
    if found is None:
        return None
    _, view, target = found
    return types.PrepareRenamePlaceholder(range=view.range(target.range), placeholder=target.text)


@guarded()
def text_document_rename(session: Session, params: types.RenameParams):
    """Called by rename: an author everywhere in the workspace, a category in this digest."""
    found = _rename_target(session, params)
    if found is None:
        return None
    from ..features import editing  # on first use: see the module docstring

    document, view, target = found
    if target.kind == "category":
        edits = editing.rename_category(document.model, target.text, params.new_name)
        return to_workspace_edit({document.uri: to_text_edits(edits, view)})
    index = session.workspace_index  # not the open buffers' alone: an author is renamed in every digest
    if index is None:
        session.warn("digest-ls: the workspace is still being indexed; try the rename again in a moment")
        return None
    locate = locator(session)
    changes: dict[str, list[types.TextEdit]] = {}
    for path, edits in editing.rename_author(index, target.text, params.new_name).items():
        place = (document.uri, view) if path == document.path else locate(path)
        if place is not None:
            changes.setdefault(place[0], []).extend(to_text_edits(edits, place[1]))
    return to_workspace_edit(changes)


def workspace_execute_citation(ls, *arguments):  # pygls passes a command the server as `ls`, and evaluates annotations
    """Called by "Copy BibTeX/CSL-JSON citation" (a code action), or by a client command for a selection.

    One argument: {"uri", "format": "bibtex" | "csl-json", and "papers": [ids] or "range"}.
    Answers {"format", "papers", "text"}: LSP cannot reach the clipboard, so the client copies
    the text (the Neovim plugin puts it in a register); null when there is nothing to cite.
    """
    request = arguments[0] if arguments and isinstance(arguments[0], dict) else {}
    try:
        return _citation(ls.session, request)
    except Exception:
        logger.exception("%s failed", cite.CITATION_COMMAND)
        return None


def _citation(session: Session, request: dict):
    found = open_digest(session, str(request.get("uri", "")))
    format = request.get("format", "bibtex")
    if found is None or format not in cite.FORMATS:
        return None
    document, view = found
    if isinstance(request.get("papers"), list):
        blocks = cite.entries_for(document.model, [str(paper) for paper in request["papers"]])
    else:
        span = from_range_json(request.get("range"), view)
        blocks = cite.entries_in(document.model, span) if span is not None else []
    references = cite.references_at(document.model, blocks)
    if not references:
        return None
    return {"format": format, "papers": [item.key for item in references], "text": cite.citation_text(references, format)}


def register(server: "DigestServer") -> None:
    session = server.session
    server.command(cite.CITATION_COMMAND)(workspace_execute_citation)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS, resolve_provider=False),
    )(partial(text_document_code_action, session, server.diagnostics))
    server.feature(types.TEXT_DOCUMENT_FORMATTING)(partial(text_document_formatting, session))
    server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)(partial(text_document_prepare_rename, session))
    server.feature(types.TEXT_DOCUMENT_RENAME)(partial(text_document_rename, session))
