"""Read-only language features: symbols, hover, completion, navigation, structure.

Each handler takes the session, converts the client's position to code
points, calls the pure feature function in `digest_ls.features`, and
converts the result back. A document that is not open, or not a digest,
gets the empty answer. The features read `session.index`: before the
workspace index is built, an index of the open buffers.

The feature modules are imported inside the handlers, on the first request
that needs them: most import the index (rapidfuzz, SQLite), and at start
they would add tens of milliseconds to `initialize`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from lsprotocol import types

from .common import guarded, locator, open_digest, open_digest_at
from .convert import (
    document_symbols_json,
    markup,
    to_completion_item,
    to_document_links,
    to_folding_ranges,
    to_highlights,
    to_hover,
    to_locations,
    to_selection_range,
    to_symbol_information,
    to_workspace_symbols,
)
from .session import Session

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)

WORKSPACE_SYMBOL_LIMIT = 200
COMPLETION_TRIGGERS = ["[", ",", "*", ":"]


@guarded(list)
def text_document_document_symbol(session: Session, params: types.DocumentSymbolParams):
    """Called for the outline and breadcrumbs: TOC, sections, entries (and their fields).

    Editors ask again after every edit (and on every cursor move, for
    breadcrumbs), so the answer is kept for the model it was made from, and
    after an edit only the entries that changed are converted again.
    """
    found = open_digest(session, params.text_document.uri)
    if found is None or not session.config_for(found[0].path).outline:
        return []
    from ..features import symbols  # on first use: see the module docstring

    document, view = found
    last = document.answers.get("outline answer")
    if last is not None and last[0] is document.model:
        return last[1]
    if session.flags.hierarchical_symbols:
        nodes = symbols.document_symbols(document.model)
        answer = document_symbols_json(nodes, view, document.fragments("outline"))
    else:
        answer = to_symbol_information(symbols.flat_symbols(document.model), view, document.uri)
    document.answers["outline answer"] = (document.model, answer)
    return answer


@guarded(list)
def workspace_symbol(session: Session, params: types.WorkspaceSymbolParams):
    """Called by "go to symbol in workspace": papers by title words, id, `au:`, `cat:` or `id:`.

    The answer has no `isIncomplete` in LSP: a cut list ends with one more symbol that says how
    many papers were left out (every client shows it where the user looks), and the log says so.
    """
    found, more = session.index.workspace_symbols(params.query, WORKSPACE_SYMBOL_LIMIT)
    if more:
        logger.info("workspace/symbol %r: %d more papers than the %d symbols shown", params.query, more, len(found))
    return to_workspace_symbols(found, locator(session), more)


@guarded()
def text_document_hover(session: Session, params: types.HoverParams):
    """Called when the pointer rests on a paper, an author, a category or a rule code."""
    found = open_digest_at(session, params)
    if found is None:
        return None
    from ..features import hover  # on first use: see the module docstring

    document, view, line, col = found
    card = hover.hover(document.model, line, col, session.index, session.config_for(document.path), path=document.path)
    return to_hover(card, view, session.flags.markdown_hover) if card else None


@guarded(lambda: types.CompletionList(is_incomplete=False, items=[]))
def text_document_completion(session: Session, params: types.CompletionParams):
    """Called while typing: papers, authors of other digests, categories, field labels."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return types.CompletionList(is_incomplete=False, items=[])
    from ..features import completion  # on first use: see the module docstring

    document, view = found
    config = session.config_for(document.path)
    line, col = view.from_position(params.position)
    index = session.index
    result = completion.complete(document.model, line, col, index, config, document.path)
    items = []
    for item in result.items:
        documentation = None
        if item.kind == "paper" and not session.flags.completion_resolve and item.data:
            documentation = completion.resolve_paper_card(index, item.data.get("paper", ""), config)
        converted = to_completion_item(item, view, session.flags.snippets, documentation, session.flags.markdown_completion_docs)
        if item.data is not None:
            converted.data = {**item.data, "uri": document.uri}
        items.append(converted)
    return types.CompletionList(is_incomplete=result.incomplete, items=items)


def completion_item_resolve(session: Session, item: types.CompletionItem):
    """Called for the selected completion item: the paper's card, computed only now."""
    data = item.data if isinstance(item.data, dict) else {}
    paper_id = data.get("paper")
    if not paper_id or item.documentation is not None:
        return item
    from ..features import completion  # on first use: see the module docstring

    try:
        document = session.documents.get(data.get("uri", ""))
        config = session.config_for(document.path if document is not None else None)
        card = completion.resolve_paper_card(session.index, paper_id, config)
    except Exception:
        logger.exception("completionItem/resolve failed")
        return item  # unresolved is still a valid answer
    if card:
        item.documentation = markup(card, session.flags.markdown_completion_docs)
    return item


@guarded(list)
def text_document_definition(session: Session, params: types.DefinitionParams):
    """Called by "go to definition": a TOC item to its section, a paper to its first entry."""
    found = open_digest_at(session, params)
    if found is None:
        return []
    from ..features import navigation  # on first use: see the module docstring

    document, view, line, col = found
    result = navigation.definition(document.model, line, col, session.index, path=document.path)
    return to_locations(result, view, document.uri, locator(session))


@guarded(list)
def text_document_references(session: Session, params: types.ReferenceParams):
    """Called by "find references": every entry of a paper, every mention of an author."""
    found = open_digest_at(session, params)
    if found is None:
        return []
    from ..features import navigation  # on first use: see the module docstring

    document, view, line, col = found
    result = navigation.references(
        document.model, line, col, session.index, path=document.path,
        include_declaration=params.context.include_declaration,
    )
    return to_locations(result, view, document.uri, locator(session))


@guarded(list)
def text_document_document_highlight(session: Session, params: types.DocumentHighlightParams):
    """Called when the cursor moves: the same paper, author or category elsewhere in the file."""
    found = open_digest_at(session, params)
    if found is None:
        return []
    from ..features import navigation  # on first use: see the module docstring

    document, view, line, col = found
    return to_highlights(navigation.document_highlight(document.model, line, col), view)


@guarded(list)
def text_document_folding_range(session: Session, params: types.FoldingRangeParams):
    """Called when a buffer is shown: sections, entries, `<details>` blocks."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return []
    from ..features import structure  # on first use: see the module docstring

    return to_folding_ranges(structure.folding_ranges(found[0].model))


@guarded(list)
def text_document_document_link(session: Session, params: types.DocumentLinkParams):
    """Called when a buffer is shown: arXiv links and the TOC's in-file anchors."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return []
    from ..features import structure  # on first use: see the module docstring

    document, view = found
    links = structure.document_links(document.model)
    return to_document_links(links, view, document.uri, session.flags.link_tooltips)


@guarded(list)
def text_document_selection_range(session: Session, params: types.SelectionRangeParams):
    """Called by "expand selection": word, value, field, entry, section."""
    found = open_digest(session, params.text_document.uri)
    if found is None:
        return []
    from ..features import structure  # on first use: see the module docstring

    document, view = found
    positions = [view.from_position(position) for position in params.positions]
    return [to_selection_range(item, view) for item in structure.selection_ranges(document.model, positions)]


def register(server: "DigestServer") -> None:
    completion_options = types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS, resolve_provider=True)
    for method, handler, options in (
        (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, text_document_document_symbol, None),
        (types.WORKSPACE_SYMBOL, workspace_symbol, None),
        (types.TEXT_DOCUMENT_HOVER, text_document_hover, None),
        (types.TEXT_DOCUMENT_COMPLETION, text_document_completion, completion_options),
        (types.COMPLETION_ITEM_RESOLVE, completion_item_resolve, None),
        (types.TEXT_DOCUMENT_DEFINITION, text_document_definition, None),
        (types.TEXT_DOCUMENT_REFERENCES, text_document_references, None),
        (types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, text_document_document_highlight, None),
        (types.TEXT_DOCUMENT_FOLDING_RANGE, text_document_folding_range, None),
        (types.TEXT_DOCUMENT_DOCUMENT_LINK, text_document_document_link, None),
        (types.TEXT_DOCUMENT_SELECTION_RANGE, text_document_selection_range, None),
    ):
        server.feature(method, options)(partial(handler, server.session))
