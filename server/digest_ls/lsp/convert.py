"""Model values and feature results -> lsprotocol types (`to_*`), and back (`from_*`).

Every range goes through a `TextView`: the lines a span refers to plus the
negotiated `PositionCodec`. A value that points into another file (related
information, references, rename edits) is converted with that file's own
view, obtained from a `Locate` callable (path -> (uri, view)).

Quick fixes travel in `Diagnostic.data` in model units (code-point spans), so
a code action rebuilds the model diagnostic with `from_diagnostic` and never
lints again.

The answers that grow with the document (`diagnostics_json`,
`document_symbols_json`) are built from JSON fragments cached by the value
converted *and the lines its ranges fall on* (a column's client units depend
on the text before it), so an edit converts only what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from lsprotocol import types

from ..diagnostics import Diagnostic, Edit, Related, Severity, fix_from_json, fix_to_json
from ..span import Span
from ..rules.registry import RULES
from ..source import dominant_eol, with_line_endings
from . import wire
from .positions import PositionCodec

SOURCE = "digest-ls"
FIX_ALL_KIND = "source.fixAll.digest-ls"


@dataclass(frozen=True, slots=True)
class TextView:
    """The lines of one text and the codec of the session: converts its positions.

    `eols` are the lines' terminators, for the edits sent to the client to
    break lines as the document does (empty: "\n").
    """

    lines: Sequence[str]
    codec: PositionCodec
    eols: Sequence[str] = ()

    @property
    def line_ending(self) -> str:
        return dominant_eol(self.eols)

    def position(self, line: int, col: int) -> types.Position:
        line, units = self.codec.to_client(self.lines, line, col)
        return types.Position(line=max(0, line), character=max(0, units))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.position(span.start_line, span.start_col),
            end=self.position(span.end_line, span.end_col),
        )

    def from_position(self, position: types.Position) -> tuple[int, int]:
        return self.codec.from_client(self.lines, position.line, position.character)

    def from_range(self, rng: types.Range) -> Span:
        start = self.from_position(rng.start)
        end = self.from_position(rng.end)
        return Span(start[0], start[1], end[0], end[1])


# path -> (uri, view of that file); None for a path that cannot be read.
Locate = Callable[[str], "tuple[str, TextView] | None"]


# --- diagnostics ---------------------------------------------------------------

_TO_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
_FROM_SEVERITY = {value: key for key, value in _TO_SEVERITY.items()}


def to_diagnostic(
    diagnostic: Diagnostic,
    view: TextView,
    uri: str,
    locate: Locate | None = None,
    related_information: bool = True,
) -> types.Diagnostic:
    related = None
    if related_information and diagnostic.related:
        related = [item for item in (_to_related(entry, view, uri, locate) for entry in diagnostic.related) if item]
    return types.Diagnostic(
        range=view.range(diagnostic.range),
        message=diagnostic.message,
        severity=_TO_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if RULES[diagnostic.code].unnecessary else None,
        related_information=related or None,
        data=_diagnostic_data(diagnostic),
    )


def _to_related(related: Related, view: TextView, uri: str, locate: Locate | None):
    if related.path is None:
        target_uri, target_view = uri, view
    else:
        found = locate(related.path) if locate else None
        if found is None:
            return None
        target_uri, target_view = found
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=target_uri, range=target_view.range(related.range)),
        message=related.message,
    )


def _diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    if diagnostic.paper:
        data["paper"] = diagnostic.paper
    if diagnostic.fix is not None:
        data["fix"] = fix_to_json(diagnostic.fix)
    return data or None


def diagnostics_json(
    diagnostics: Sequence[Diagnostic],
    view: TextView,
    uri: str,
    cache: wire.FragmentCache,
    locate: Locate | None = None,
    related_information: bool = True,
) -> wire.RawJSON:
    """`[to_diagnostic(...), ...]` as JSON text, reusing the fragments of unchanged diagnostics."""
    fragments = cache.round()
    items = []
    for item in diagnostics:
        convert = lambda item=item: wire.encode(to_diagnostic(item, view, uri, locate, related_information))  # noqa: E731
        context = _diagnostic_context(item, view.lines, related_information)
        items.append(convert() if context is None else fragments.get(item, context, convert))
    fragments.done()
    return wire.array(items)


def _diagnostic_context(diagnostic: Diagnostic, lines: Sequence[str], related_information: bool):
    """What else the protocol form depends on; None (not cached) when it points into another file.

    A range's conversion reads the text of its first and last line only;
    a related place may be far away, so the lines in between are left out.
    """
    spans = [diagnostic.range]
    if related_information:
        for related in diagnostic.related:
            if related.path is not None:
                return None
            spans.append(related.range)
    read = []
    for span in spans:
        read.append(_line(lines, span.start_line))
        read.append(_line(lines, span.end_line))
    return related_information, tuple(read)


def _line(lines: Sequence[str], number: int) -> str | None:
    return lines[number] if 0 <= number < len(lines) else None


def from_diagnostic(diagnostic: types.Diagnostic, view: TextView) -> Diagnostic | None:
    """Rebuild a model diagnostic (with its fix) from one this server produced; None for others."""
    if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
        return None
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    fix = fix_from_json(data.get("fix"))
    return Diagnostic(
        code=diagnostic.code,
        message=diagnostic.message,
        range=view.from_range(diagnostic.range),
        severity=_FROM_SEVERITY.get(diagnostic.severity or types.DiagnosticSeverity.Error, Severity.ERROR),
        paper=data.get("paper") if isinstance(data.get("paper"), str) else None,
        fix=fix,
    )


# --- edits ---------------------------------------------------------------------


def to_text_edits(edits: Sequence[Edit], view: TextView) -> list[types.TextEdit]:
    """Rules write "\n"; a quick fix in a CRLF document must insert CRLF, as `digest-ls check --fix` does."""
    eol = view.line_ending
    return [
        types.TextEdit(range=view.range(edit.range), new_text=with_line_endings(edit.new_text, eol)) for edit in edits
    ]


def to_workspace_edit(edits_by_uri: dict[str, list[types.TextEdit]]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: edits for uri, edits in edits_by_uri.items() if edits})


def minimal_text_edits(old_lines: Sequence[str], old_eols: Sequence[str], new_text: str, view: TextView):
    """The edit that turns the old text into `new_text`, touching only the lines that differ.

    Replacing the whole buffer would move the editor's cursor and folds; the
    common leading and trailing lines are left alone.
    """
    from ..source import split_lines

    new_lines, new_eols = split_lines(new_text)
    old = [line + eol for line, eol in zip(old_lines, old_eols)]
    new = [line + eol for line, eol in zip(new_lines, new_eols)]
    if old == new:
        return []
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_end = len(old) - suffix
    if old_end < len(old):
        end = (old_end, 0)
    else:
        end = (len(old_lines) - 1, len(old_lines[-1]))
    replaced = Span(prefix, 0, *end) if prefix < len(old) else Span(*end, *end)
    return [types.TextEdit(range=view.range(replaced), new_text="".join(new[prefix : len(new) - suffix]))]


# --- symbols -------------------------------------------------------------------

_SYMBOL_KIND = {
    "toc": types.SymbolKind.Namespace,
    "section": types.SymbolKind.Package,
    "entry": types.SymbolKind.Object,
    "field": types.SymbolKind.Field,
}


def to_document_symbols(nodes, view: TextView) -> list[types.DocumentSymbol]:
    return [
        types.DocumentSymbol(
            name=node.name or "(untitled)",
            detail=node.detail or None,
            kind=_SYMBOL_KIND.get(node.kind, types.SymbolKind.String),
            range=view.range(node.range),
            selection_range=view.range(node.selection_range),
            children=to_document_symbols(node.children, view) or None,
        )
        for node in nodes
    ]


def document_symbols_json(nodes, view: TextView, cache: wire.FragmentCache) -> wire.RawJSON:
    """`to_document_symbols(nodes, view)` as JSON text, reusing the fragments of unchanged entries."""
    fragments = cache.round()
    text = wire.array(_symbol_json(node, view, fragments) for node in nodes)
    fragments.done()
    return text


def _symbol_json(node, view: TextView, fragments: wire.Round) -> str:
    if not node.children:
        return wire.encode(to_document_symbols([node], view)[0])
    if not any(child.children for child in node.children):
        # An entry (or the TOC) with its fields: one fragment, the unit an edit replaces.
        # Every selection range lies inside its range (LSP requires it), so the ranges bound the lines read.
        first, last = node.range.start_line, node.range.end_line
        for child in node.children:
            if child.range.start_line < first:
                first = child.range.start_line
            if child.range.end_line > last:
                last = child.range.end_line
        context = (first, tuple(view.lines[max(first, 0) : last + 1]))
        return fragments.get(node, context, lambda: wire.encode(to_document_symbols([node], view)[0]))
    # A section: its own members, then its entries' fragments; a section an edit left alone is one
    # fragment (its node is the same object, and its lines, which bound every range in it, are too).
    context = (node.range.start_line, tuple(view.lines[max(node.range.start_line, 0) : node.range.end_line + 1]))
    return fragments.get_same(node, context, lambda: _section_json(node, view, fragments), node.children)


def _section_json(node, view: TextView, fragments: wire.Round) -> str:
    own = wire.encode(to_document_symbols([_without_children(node)], view)[0])
    children = wire.array(_symbol_json(child, view, fragments) for child in node.children)
    return f'{own[:-1]},"children":{children}}}'


def _without_children(node):
    return replace(node, children=())


def to_symbol_information(symbols, view: TextView, uri: str) -> list[types.SymbolInformation]:
    return [
        types.SymbolInformation(
            name=symbol.name or "(untitled)",
            kind=_SYMBOL_KIND.get(symbol.kind, types.SymbolKind.String),
            location=types.Location(uri=uri, range=view.range(symbol.range)),
            container_name=symbol.container,
        )
        for symbol in symbols
    ]


def to_workspace_symbols(symbols, locate: Locate, more: int = 0) -> list[types.WorkspaceSymbol]:
    """`more` > 0: the list was cut; a last symbol (at the last one's place) says by how many papers."""
    result = []
    for symbol in symbols:
        found = locate(symbol.path)
        if found is None:
            continue
        uri, view = found
        result.append(
            types.WorkspaceSymbol(
                name=symbol.name or symbol.paper_id,
                kind=types.SymbolKind.Object,
                location=types.Location(uri=uri, range=view.range(symbol.range)),
                container_name=symbol.container or symbol.detail or None,
            )
        )
    if more and result:
        result.append(
            types.WorkspaceSymbol(
                name=f"… {more} more paper{'s' if more != 1 else ''}: refine the query (au:NAME, cat:CAT, an id, title words)",
                kind=types.SymbolKind.Null,
                location=result[-1].location,
                container_name=SOURCE,
            )
        )
    return result


# --- hover and completion --------------------------------------------------------


def markup(text: str, markdown: bool) -> types.MarkupContent:
    """Markdown as it is, or the text it renders to for a client that shows plain text."""
    if markdown:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    from ..features.markdown import plain_text  # markdown-it-py loads on the first plain-text card

    return types.MarkupContent(kind=types.MarkupKind.PlainText, value=plain_text(text))


def to_hover(card, view: TextView, markdown: bool) -> types.Hover:
    return types.Hover(contents=markup(card.markdown, markdown), range=view.range(card.range))


_COMPLETION_KIND = {
    "paper": types.CompletionItemKind.Reference,
    "author": types.CompletionItemKind.Value,
    "category": types.CompletionItemKind.EnumMember,
    "field": types.CompletionItemKind.Field,
    "snippet": types.CompletionItemKind.Snippet,
}
_TABSTOP = re.compile(r"\$\{\d+:([^}]*)\}|\$\{\d+\}|\$\d+")


def plain_snippet(text: str) -> str:
    """A snippet's text for a client without snippet support: placeholders keep their default."""
    return _TABSTOP.sub(lambda match: match.group(1) or "", text).replace("\\$", "$").replace("\\}", "}")


def to_completion_item(item, view: TextView, snippets: bool, documentation: str | None = None, markdown: bool = True):
    is_snippet = item.is_snippet and snippets
    text = item.insert_text if is_snippet or not item.is_snippet else plain_snippet(item.insert_text)
    return types.CompletionItem(
        label=item.label,
        kind=_COMPLETION_KIND.get(item.kind, types.CompletionItemKind.Text),
        detail=item.detail or None,
        filter_text=item.filter_text or None,
        sort_text=item.sort_text or None,
        text_edit=types.TextEdit(range=view.range(item.replace_range), new_text=text),
        insert_text_format=types.InsertTextFormat.Snippet if is_snippet else types.InsertTextFormat.PlainText,
        documentation=markup(documentation, markdown) if documentation else None,
        data=item.data,
    )


# --- navigation and structure ------------------------------------------------------


def to_locations(locations, view: TextView, uri: str, locate: Locate) -> list[types.Location]:
    result = []
    for location in locations:
        if location.path is None:
            target_uri, target_view = uri, view
        else:
            found = locate(location.path)
            if found is None:
                continue
            target_uri, target_view = found
        result.append(types.Location(uri=target_uri, range=target_view.range(location.range)))
    return result


_HIGHLIGHT_KIND = {
    "text": types.DocumentHighlightKind.Text,
    "read": types.DocumentHighlightKind.Read,
    "write": types.DocumentHighlightKind.Write,
}


def to_highlights(highlights, view: TextView) -> list[types.DocumentHighlight]:
    return [
        types.DocumentHighlight(range=view.range(item.range), kind=_HIGHLIGHT_KIND.get(item.kind))
        for item in highlights
    ]


_FOLDING_KIND = {"region": types.FoldingRangeKind.Region, "comment": types.FoldingRangeKind.Comment}


def to_folding_ranges(ranges) -> list[types.FoldingRange]:
    # Folding ranges are whole lines: no column conversion is needed.
    return [
        types.FoldingRange(start_line=item.start_line, end_line=item.end_line, kind=_FOLDING_KIND.get(item.kind))
        for item in ranges
        if item.end_line > item.start_line
    ]


def to_document_links(links, view: TextView, uri: str, tooltips: bool = True) -> list[types.DocumentLink]:
    result = []
    for link in links:
        if link.url:
            target = link.url
        elif link.target_line is not None:
            target = f"{uri}#L{link.target_line + 1}"  # the fragment form VS Code and Neovim follow
        else:
            continue
        tooltip = (link.tooltip or None) if tooltips else None
        result.append(types.DocumentLink(range=view.range(link.range), target=target, tooltip=tooltip))
    return result


def to_selection_range(selection, view: TextView) -> types.SelectionRange:
    parent = to_selection_range(selection.parent, view) if selection.parent is not None else None
    return types.SelectionRange(range=view.range(selection.range), parent=parent)


# --- code actions --------------------------------------------------------------------

_ACTION_KIND = {
    "quickfix": types.CodeActionKind.QuickFix,
    "refactor.rewrite": types.CodeActionKind.RefactorRewrite,
    "source.fixAll": FIX_ALL_KIND,
    "cite": types.CodeActionKind.Empty,  # neither a fix nor a rewrite: no `only` filter asks for it
}


def to_code_action(action, view: TextView, uri: str, originals: dict[int, types.Diagnostic]) -> types.CodeAction:
    """`originals` maps id(model diagnostic) to the protocol diagnostic the client sent."""
    diagnostics = [originals[id(item)] for item in action.diagnostics if id(item) in originals]
    command = None
    if action.command is not None:
        command = types.Command(
            title=action.title, command=action.command.name, arguments=[{**action.command.arguments, "uri": uri}]
        )
    return types.CodeAction(
        title=action.title,
        kind=_ACTION_KIND.get(action.kind, action.kind),
        diagnostics=diagnostics or None,
        is_preferred=action.is_preferred or None,
        edit=to_workspace_edit({uri: to_text_edits(action.edits, view)}) if action.edits else None,
        command=command,
    )


def from_range_json(value: Any, view: TextView) -> Span | None:
    """A range sent as plain JSON in a command's arguments, in code points; None when malformed."""
    try:
        start, end = value["start"], value["end"]
        return view.from_range(
            types.Range(
                start=types.Position(line=int(start["line"]), character=int(start["character"])),
                end=types.Position(line=int(end["line"]), character=int(end["character"])),
            )
        )
    except (KeyError, TypeError, ValueError):
        return None


def action_kind_matches(kind, only: Sequence[Any] | None) -> bool:
    """LSP `only` filtering: `source` matches `source.fixAll.digest-ls`.

    Kinds may be lsprotocol enum members or plain strings; compare their values.
    """
    if not only:
        return True
    kind = _kind_value(kind)
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in map(_kind_value, only))


def _kind_value(kind) -> str:
    return str(getattr(kind, "value", kind))
