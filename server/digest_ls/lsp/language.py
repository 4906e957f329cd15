"""Read-only language features: symbols, hover, completion, navigation, structure.

Each handler converts the client's position to code points, calls the pure
feature function in `digest_ls.features`, and converts the result back.
A document that is not open, or not a digest, gets the empty answer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from .common import guarded, lazy_module, locator, open_digest, open_digest_at
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

if TYPE_CHECKING:
    from .server import DigestServer

completion = lazy_module("digest_ls.features.completion")
hover = lazy_module("digest_ls.features.hover")
navigation = lazy_module("digest_ls.features.navigation")
structure = lazy_module("digest_ls.features.structure")
symbols = lazy_module("digest_ls.features.symbols")

logger = logging.getLogger(__name__)

WORKSPACE_SYMBOL_LIMIT = 200
COMPLETION_TRIGGERS = ["[", ",", "*", ":"]


@guarded(list)
def text_document_document_symbol(ls: "DigestServer", params: types.DocumentSymbolParams):
    """Called for the outline and breadcrumbs: TOC, sections, entries (and their fields).

    Editors ask again after every edit (and on every cursor move, for
    breadcrumbs), so the answer is kept for the model it was made from, and
    after an edit only the entries that changed are converted again.
    """
    found = open_digest(ls, params.text_document.uri)
    if found is None or not ls.config_for(found[0]).outline:
        return []
    document, view = found
    last = document.answers.get("outline answer")
    if last is not None and last[0] is document.model:
        return last[1]
    if ls.flags.hierarchical_symbols:
        nodes = symbols.document_symbols(document.model)
        answer = document_symbols_json(nodes, view, document.fragments("outline"))
    else:
        answer = to_symbol_information(symbols.flat_symbols(document.model), view, document.uri)
    document.answers["outline answer"] = (document.model, answer)
    return answer


@guarded(list)
def workspace_symbol(ls: "DigestServer", params: types.WorkspaceSymbolParams):
    """Called by "go to symbol in workspace": papers by title words, id, `au:`, `cat:` or `id:`.

    The answer has no `isIncomplete` in LSP: a cut list ends with one more symbol that says how
    many papers were left out (every client shows it where the user looks), and the log says so.
    """
    if ls.index is None:
        return []
    found, more = ls.index.workspace_symbols(params.query, WORKSPACE_SYMBOL_LIMIT)
    if more:
        logger.info("workspace/symbol %r: %d more papers than the %d symbols shown", params.query, more, len(found))
    return to_workspace_symbols(found, locator(ls), more)


@guarded()
def text_document_hover(ls: "DigestServer", params: types.HoverParams):
    """Called when the pointer rests on a paper, an author, a category or a rule code."""
    found = open_digest_at(ls, params)
    if found is None:
        return None
    document, view, line, col = found
    card = hover.hover(document.model, line, col, ls.index, ls.config_for(document), path=document.path)
    return to_hover(card, view, ls.flags.markdown_hover) if card else None


@guarded(lambda: types.CompletionList(is_incomplete=False, items=[]))
def text_document_completion(ls: "DigestServer", params: types.CompletionParams):
    """Called while typing: papers, authors of other digests, categories, field labels."""
    found = open_digest(ls, params.text_document.uri)
    if found is None:
        return types.CompletionList(is_incomplete=False, items=[])
    document, view = found
    config = ls.config_for(document)
    line, col = view.from_position(params.position)
    result = completion.complete(document.model, line, col, ls.index, config, document.path)
    items = []
    for item in result.items:
        documentation = None
        if item.kind == "paper" and not ls.flags.completion_resolve and ls.index is not None and item.data:
            documentation = completion.resolve_paper_card(ls.index, item.data.get("paper", ""), config)
        converted = to_completion_item(item, view, ls.flags.snippets, documentation, ls.flags.markdown_completion_docs)
        if item.data is not None:
            converted.data = {**item.data, "uri": document.uri}
        items.append(converted)
    return types.CompletionList(is_incomplete=result.incomplete, items=items)


def completion_item_resolve(ls: "DigestServer", item: types.CompletionItem):
    """Called for the selected completion item: the paper's card, computed only now."""
    data = item.data if isinstance(item.data, dict) else {}
    paper_id = data.get("paper")
    if not paper_id or ls.index is None or item.documentation is not None:
        return item
    try:
        document = ls.documents.get(data.get("uri", ""))
        card = completion.resolve_paper_card(ls.index, paper_id, ls.config_for(document))
    except Exception:
        logger.exception("completionItem/resolve failed")
        return item  # unresolved is still a valid answer
    if card:
        item.documentation = markup(card, ls.flags.markdown_completion_docs)
    return item


@guarded(list)
def text_document_definition(ls: "DigestServer", params: types.DefinitionParams):
    """Called by "go to definition": a TOC item to its section, a paper to its first entry."""
    found = open_digest_at(ls, params)
    if found is None:
        return []
    document, view, line, col = found
    result = navigation.definition(document.model, line, col, ls.index, path=document.path)
    return to_locations(result, view, document.uri, locator(ls))


@guarded(list)
def text_document_references(ls: "DigestServer", params: types.ReferenceParams):
    """Called by "find references": every entry of a paper, every mention of an author."""
    found = open_digest_at(ls, params)
    if found is None:
        return []
    document, view, line, col = found
    result = navigation.references(
        document.model, line, col, ls.index, path=document.path,
        include_declaration=params.context.include_declaration,
    )
    return to_locations(result, view, document.uri, locator(ls))


@guarded(list)
def text_document_document_highlight(ls: "DigestServer", params: types.DocumentHighlightParams):
    """Called when the cursor moves: the same paper, author or category elsewhere in the file."""
    found = open_digest_at(ls, params)
    if found is None:
        return []
    document, view, line, col = found
    return to_highlights(navigation.document_highlight(document.model, line, col), view)


@guarded(list)
def text_document_folding_range(ls: "DigestServer", params: types.FoldingRangeParams):
    """Called when a buffer is shown: sections, entries, `<details>` blocks."""
    found = open_digest(ls, params.text_document.uri)
    if found is None:
        return []
    return to_folding_ranges(structure.folding_ranges(found[0].model))


@guarded(list)
def text_document_document_link(ls: "DigestServer", params: types.DocumentLinkParams):
    """Called when a buffer is shown: arXiv links and the TOC's in-file anchors."""
    found = open_digest(ls, params.text_document.uri)
    if found is None:
        return []
    document, view = found
    links = structure.document_links(document.model)
    return to_document_links(links, view, document.uri, ls.flags.link_tooltips)


@guarded(list)
def text_document_selection_range(ls: "DigestServer", params: types.SelectionRangeParams):
    """Called by "expand selection": word, value, field, entry, section."""
    found = open_digest(ls, params.text_document.uri)
    if found is None:
        return []
    document, view = found
    positions = [view.from_position(position) for position in params.positions]
    return [to_selection_range(item, view) for item in structure.selection_ranges(document.model, positions)]


def register(server) -> None:
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(text_document_document_symbol)
    server.feature(types.WORKSPACE_SYMBOL)(workspace_symbol)
    server.feature(types.TEXT_DOCUMENT_HOVER)(text_document_hover)
    server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS, resolve_provider=True),
    )(text_document_completion)
    server.feature(types.COMPLETION_ITEM_RESOLVE)(completion_item_resolve)
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(text_document_definition)
    server.feature(types.TEXT_DOCUMENT_REFERENCES)(text_document_references)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)(text_document_document_highlight)
    server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)(text_document_folding_range)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)(text_document_document_link)
    server.feature(types.TEXT_DOCUMENT_SELECTION_RANGE)(text_document_selection_range)
