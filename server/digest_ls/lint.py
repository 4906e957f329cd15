"""Running the rules over a document: the one entry point the CLI and the server share.

Entry-local results (entry rules, character rules) are cached per block
object; pass the previous `LintResult` and only blocks the parser replaced
are checked again. Document rules run every time (one pass over the block
list). Then configuration (select, ignore, severity, per-paper ignores) and
suppression comments are applied, and unused suppressions are reported.

The workspace scope (D401/D402) comes last, in `finish`, which reads only a
`Pending` (what every other scope left, with the suppression comments and the
entries' mentions), not the document: the server finishes at once over its
index; the command line finishes once every file it checks has been read,
over `CheckedFiles`, and keeps the `Pending` in its results cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .arxiv import parse_id
from .config import Config
from .gcpause import collector_paused
from .diagnostics import Diagnostic, Severity
from .model import Document, EntryBlock, Span
from .rules import suppression
from .rules.context import EntryContext, make
from .rules.document_rules import check_document, entry_facts
from .rules.entry_rules import check_entry, placeholder_set
from .rules.registry import (
    AUTHOR_VARIANT,
    LAYOUT_UNKNOWN,
    RULES,
    SEEN_BEFORE,
    UNUSED_SUPPRESSION,
    enabled_codes,
    matches,
)
from .rules.render_rules import check_render, check_swallowed_headings
from .rules.text_rules import check_text
from .rules.workspace_rules import Mentions, Workspace, WorkspaceView, check_mentions, mentions_of, summarise_repeats


@dataclass(frozen=True)
class _Checked:
    block: object
    start: int
    diagnostics: tuple[Diagnostic, ...]  # absolute for `start`
    relative: tuple[Diagnostic, ...]
    facts: tuple | None  # the document rules' facts of an entry; for workspace results, its `Mentions`
    key: tuple | None = None  # for workspace results: the workspace generation they were computed at


@dataclass(frozen=True)
class Pending:
    """A linted document short of its workspace scope: all `finish` needs, without the document."""

    diagnostics: tuple[Diagnostic, ...]  # every other scope's, configured and suppressed; no D001 yet
    directives: tuple[suppression.Directive, ...]  # `used` as those diagnostics left them
    layout_known: bool
    anchor: Span | None  # the first entry's heading line, where a summary of repeats goes
    mentions: tuple[tuple[int, Mentions], ...]  # per entry: its first line, its mentions relative to it


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
    pending: Pending | None = None
    context: EntryContext | None = None
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # id(block) -> _Checked
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # document rules' reusable diagnostics
    workspace_cache: dict = field(default_factory=dict, repr=False, compare=False)  # id(block) -> _Checked
    spellings: tuple | None = field(default=None, repr=False, compare=False)  # (workspace key, name -> better spelling)


def lint(
    document: Document,
    config: Config = Config(),
    previous: LintResult | None = None,
    workspace: WorkspaceView | None = None,
) -> LintResult:
    """Every rule of every scope (entry blocks, the document, the workspace when one is given), then
    configuration and suppression, once; `previous` lets unchanged blocks keep their results."""
    if previous is None:
        # A first lint allocates a diagnostic per problem of a whole file: keep the collector out of it.
        # A re-lint allocates little, and re-enabling the collector would cost more than it saves.
        with collector_paused():
            return _lint(document, config, None, workspace)
    return _lint(document, config, previous, workspace)


def _lint(document: Document, config: Config, previous: LintResult | None, workspace: WorkspaceView | None) -> LintResult:
    if not document.is_digest:
        return LintResult(())
    context = EntryContext(document.template, config, placeholder_set(config.extra_placeholders), document.layout)
    old_cache = previous.cache if previous is not None and previous.context == context else {}
    cache: dict = {}
    found: list[Diagnostic] = []
    facts: dict[int, tuple] = {}
    lines = document.lines
    for index, (block, start) in enumerate(zip(document.blocks, document.starts)):
        key = id(block)
        checked = old_cache.get(key)
        if checked is None or checked.block is not block:
            checked = _check_block(block, lines[start : start + block.line_count], start, context)
        elif checked.start != start:
            checked = replace(
                checked, start=start, diagnostics=tuple(d.shifted(start) for d in checked.relative)
            )
        cache[key] = checked
        if checked.diagnostics:
            found.extend(checked.diagnostics)
        if checked.facts is not None:
            facts[index] = checked.facts
    memo: dict = {}
    old_memo = previous.memo if previous is not None and previous.context == context else {}
    found.extend(check_document(document, config, facts, old_memo, memo))
    found.extend(suppression.misunderstood(document))
    found.extend(check_swallowed_headings(document))
    if not document.layout.known:
        found = _layout_independent(document, found)
    enabled = enabled_codes(config.select, config.ignore)
    overrides = config.severity_overrides()
    directives = suppression.collect(document)
    kept = _configure(found, config, enabled, overrides, directives)
    first = document.starts[document.entries[0]] if document.entries else None
    anchor = Span(first, 0, first, len(lines[first])) if first is not None else None
    workspace_cache: dict = {}
    spellings = None
    mentions: tuple[tuple[int, Mentions], ...] = ()
    workspace_found: list[Diagnostic] | None = None
    # Without a workspace the scope is finished later, by a caller that gathers every file's mentions (the
    # command line): keep them even where this file's configuration turns the rules off, as others' see it.
    if workspace is None or _workspace_rules_on(enabled, overrides):
        old = previous.workspace_cache if previous is not None else {}
        if workspace is not None:
            spellings = _spellings_memo(workspace, previous.spellings if previous is not None else None)
            workspace_found = []
        mentions = _workspace_scope(document, workspace, old, workspace_cache, spellings, workspace_found)
    pending = Pending(tuple(kept), tuple(directives), document.layout.known, anchor, mentions)
    diagnostics = _finish(pending, workspace_found, enabled, overrides, config)
    return LintResult(diagnostics, pending, context, cache, memo, workspace_cache, spellings)


def workspace_diagnostics(pending: Pending, workspace: Workspace, here: str | None, spellings: dict) -> list[Diagnostic]:
    """D401/D402 of a pending document over any workspace (the command line's `CheckedFiles`); `spellings`
    memoises better spellings for as long as the workspace stays the same."""
    found: list[Diagnostic] = []
    for start, mentions in pending.mentions:
        found.extend(check_mentions(mentions, workspace, here, spellings, start))
    return found


def finish(pending: Pending, workspace_found: list[Diagnostic] | None, config: Config) -> tuple[Diagnostic, ...]:
    """The final diagnostics: the workspace scope's configured and suppressed like the others, then D001 for
    what no diagnostic of any scope used. `workspace_found` None: the workspace was not consulted."""
    return _finish(pending, workspace_found, enabled_codes(config.select, config.ignore), config.severity_overrides(), config)


def _finish(pending: Pending, workspace_found: list[Diagnostic] | None, enabled, overrides: dict, config: Config) -> tuple[Diagnostic, ...]:
    directives = [replace(directive) for directive in pending.directives]
    kept = list(pending.diagnostics)
    if workspace_found:
        if not pending.layout_known:
            workspace_found = [replace(d, fix=None) for d in workspace_found]
        kept.extend(_configure(workspace_found, config, enabled, overrides, directives))
    kept.extend(_unused_suppressions(directives, enabled, overrides))
    kept.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    if workspace_found is not None:
        kept = summarise_repeats(kept, pending.anchor, len(pending.mentions))
    return tuple(kept)


def _workspace_rules_on(enabled, overrides: dict) -> bool:
    """Whether configuration leaves one of the workspace rules on: the workspace scope runs only then."""
    return any(code in enabled and overrides.get(code) != "off" for code in (SEEN_BEFORE.code, AUTHOR_VARIANT.code))


def _workspace_key(view: WorkspaceView) -> tuple:
    return (id(view.workspace), view.here, view.generation)


def _spellings_memo(view: WorkspaceView, previous: tuple | None) -> tuple:
    """Better spellings of author names found so far, kept while the workspace stays the same."""
    key = _workspace_key(view)
    return previous if previous is not None and previous[0] == key else (key, {})


def _workspace_scope(
    document: Document, view: WorkspaceView | None, old: dict, cache: dict, spellings: tuple | None, found: list | None
) -> tuple[tuple[int, Mentions], ...]:
    """Each entry's first line and mentions, and with a workspace its D401/D402 into `found`; an entry
    keeps its mentions while its block is the same, and its diagnostics while the workspace is too."""
    mentions: list[tuple[int, Mentions]] = []
    here = view.here if view is not None else None
    key = _workspace_key(view) if view is not None else None
    for _, start, entry in document.entry_blocks():
        checked = old.get(id(entry))
        if checked is None or checked.block is not entry:
            checked = _Checked(entry, start, (), (), mentions_of(entry))
        relative_mentions = checked.facts
        if view is not None:
            if checked.key != key:
                relative = tuple(check_mentions(relative_mentions, view.workspace, here, spellings[1]))
                checked = _Checked(entry, start, tuple(d.shifted(start) for d in relative), relative, relative_mentions, key)
            elif checked.start != start:
                checked = replace(checked, start=start, diagnostics=tuple(d.shifted(start) for d in checked.relative))
            found.extend(checked.diagnostics)
        cache[id(entry)] = checked
        mentions.append((start, relative_mentions))
    return tuple(mentions)


def _layout_independent(document: Document, found: list[Diagnostic]) -> list[Diagnostic]:
    """A layout the engine does not fully know: only the rules every layout shares, and no structural fix."""
    kept = [replace(d, fix=None) for d in found if RULES[d.code].layout_independent]
    first = document.starts[document.entries[0]] if document.entries else 0
    span = Span(first, 0, first, len(document.lines[first]))
    message = (
        f"this file's layout is not one digest-ls fully knows (closest: {document.layout.name}); "
        "only the layout-independent rules run, and no fix restructures it"
    )
    kept.append(make(LAYOUT_UNKNOWN, message, span))
    return kept


def _check_block(block, lines, start: int, context: EntryContext) -> _Checked:
    if isinstance(block, EntryBlock):
        paper = block.arxiv_id
        relative = check_entry(block, lines, context) + check_text(lines, paper) + check_render(lines, paper)
        facts = entry_facts(block)
    else:
        relative = check_text(lines, None)
        facts = None
    relative = tuple(relative)
    return _Checked(block, start, tuple(d.shifted(start) for d in relative), relative, facts)


def _configure(found: list[Diagnostic], config: Config, enabled, overrides: dict, directives) -> list[Diagnostic]:
    """Select, ignore, severity, per-paper ignores and suppression comments (marking the ones used)."""
    paper_ignores = _paper_ignores(config)
    kept: list[Diagnostic] = []
    for diagnostic in found:
        code = diagnostic.code
        if code not in enabled:
            continue
        level = overrides.get(code)
        if level == "off":
            continue
        if diagnostic.paper is not None and diagnostic.paper in paper_ignores:
            if matches(code, paper_ignores[diagnostic.paper]):
                continue
        if _suppressed(diagnostic, directives):
            continue
        if level is not None:
            diagnostic = replace(diagnostic, severity=Severity.parse(level))
        kept.append(diagnostic)
    return kept


def _unused_suppressions(directives, enabled, overrides: dict) -> list[Diagnostic]:
    unused_code = UNUSED_SUPPRESSION.code
    if unused_code not in enabled or overrides.get(unused_code) == "off":
        return []
    found: list[Diagnostic] = []
    for directive in directives:
        # A comment that names only unknown rules is reported as D002 (invalid-suppression) instead.
        if not directive.used and not (directive.unknown and not directive.codes):
            what = ", ".join(directive.codes) or "every rule"
            message = f"this `{directive.kind}` comment for {what} suppresses nothing"
            unused = make(UNUSED_SUPPRESSION, message, directive.span)
            if overrides.get(unused_code) is not None:
                unused = replace(unused, severity=Severity.parse(overrides[unused_code]))
            found.append(unused)
    return found


def _paper_ignores(config: Config) -> dict[str, tuple[str, ...]]:
    """Keyed by the id without version, as `Diagnostic.paper` is (`2507.01234v2` in the config still matches)."""
    ignores: dict[str, tuple[str, ...]] = {}
    for key, codes in config.per_paper_ignores:
        parsed = parse_id(key.strip())
        base = parsed.base if parsed is not None else key.strip()
        ignores[base] = ignores.get(base, ()) + tuple(codes)
    return ignores


def _suppressed(diagnostic: Diagnostic, directives) -> bool:
    line = diagnostic.range.start_line
    hit = False
    for directive in directives:
        if directive.covers(diagnostic.code, line):
            directive.used = True
            hit = True
    return hit


__all__ = ["lint", "finish", "workspace_diagnostics", "LintResult", "Pending", "RULES"]
