"""Client capabilities, resolved once at `initialize` into a small frozen flags object.

Handlers ask `session.flags.pull_diagnostics` instead of walking the deeply
optional `ClientCapabilities` tree on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from .positions import UTF16, negotiate


@dataclass(frozen=True)
class ClientFlags:
    position_encoding: str = UTF16
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    related_information: bool = False
    diagnostic_tags: bool = False
    code_description: bool = False
    markdown_hover: bool = False
    markdown_completion_docs: bool = False
    snippets: bool = False
    completion_resolve: bool = False
    hierarchical_symbols: bool = False
    work_done_progress: bool = False
    watch_files_dynamic: bool = False
    workspace_configuration: bool = False
    configuration_dynamic: bool = False
    code_action_literals: bool = False
    prepare_rename: bool = False
    document_changes: bool = False
    link_tooltips: bool = False


def _get(root: Any, path: str, default: Any = None) -> Any:
    """Follow a dotted attribute path through optional capability objects."""
    value = root
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return default
    return value


def _markdown_first(formats: Any) -> bool:
    return bool(formats) and types.MarkupKind.Markdown in formats


def resolve_flags(caps: types.ClientCapabilities | None, encoding: str | None = None) -> ClientFlags:
    """Read everything the server cares about from the client's capabilities."""
    if caps is None:
        return ClientFlags()
    resolve_properties = _get(caps, "text_document.completion.completion_item.resolve_support.properties", [])
    return ClientFlags(
        position_encoding=encoding or negotiate(_get(caps, "general.position_encodings")),
        pull_diagnostics=_get(caps, "text_document.diagnostic") is not None,
        diagnostic_refresh=bool(_get(caps, "workspace.diagnostics.refresh_support", False)),
        related_information=bool(
            _get(caps, "text_document.publish_diagnostics.related_information", False)
            or _get(caps, "text_document.diagnostic.related_information", False)
        ),
        diagnostic_tags=_get(caps, "text_document.publish_diagnostics.tag_support") is not None,
        code_description=bool(_get(caps, "text_document.publish_diagnostics.code_description_support", False)),
        markdown_hover=_markdown_first(_get(caps, "text_document.hover.content_format")),
        markdown_completion_docs=_markdown_first(
            _get(caps, "text_document.completion.completion_item.documentation_format")
        ),
        snippets=bool(_get(caps, "text_document.completion.completion_item.snippet_support", False)),
        completion_resolve="documentation" in (resolve_properties or []),
        hierarchical_symbols=bool(
            _get(caps, "text_document.document_symbol.hierarchical_document_symbol_support", False)
        ),
        work_done_progress=bool(_get(caps, "window.work_done_progress", False)),
        watch_files_dynamic=bool(_get(caps, "workspace.did_change_watched_files.dynamic_registration", False)),
        workspace_configuration=bool(_get(caps, "workspace.configuration", False)),
        configuration_dynamic=bool(_get(caps, "workspace.did_change_configuration.dynamic_registration", False)),
        code_action_literals=_get(caps, "text_document.code_action.code_action_literal_support") is not None,
        prepare_rename=bool(_get(caps, "text_document.rename.prepare_support", False)),
        document_changes=bool(_get(caps, "workspace.workspace_edit.document_changes", False)),
        link_tooltips=bool(_get(caps, "text_document.document_link.tooltip_support", False)),
    )
