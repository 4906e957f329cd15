"""Running the rules over a document: the one entry point the CLI and the server share.

Entry-local results (entry rules, character rules) are cached per block
object; pass the previous `LintResult` and only blocks the parser replaced
are checked again. Document rules run every time (one pass over the block
list). Then configuration (select, ignore, severity, per-paper ignores) and
suppression comments are applied, and unused suppressions are reported.
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
from .rules.workspace_rules import WorkspaceView, check_workspace_entry, summarise_repeats


@dataclass(frozen=True)
class _Checked:
    block: object
    start: int
    diagnostics: tuple[Diagnostic, ...]  # absolute for `start`
    relative: tuple[Diagnostic, ...]
    facts: tuple | None
    key: tuple | None = None  # for workspace results: the workspace generation they were computed at


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
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
    workspace_cache: dict = {}
    spellings = None
    enabled = enabled_codes(config.select, config.ignore)
    overrides = config.severity_overrides()
    reported = {code for code in enabled if overrides.get(code) != "off"}
    # The workspace scope runs only when configuration leaves one of its rules on.
    if workspace is not None and reported & {SEEN_BEFORE.code, AUTHOR_VARIANT.code}:
        old = previous.workspace_cache if previous is not None else {}
        spellings = _spellings_memo(workspace, previous.spellings if previous is not None else None)
        found.extend(_check_workspace(document, workspace, old, workspace_cache, spellings[1]))
    found.extend(suppression.misunderstood(document))
    found.extend(check_swallowed_headings(document))
    if not document.layout.known:
        found = _layout_independent(document, found)
    kept = _configure(document, found, config, enabled, overrides)
    if workspace is not None:
        kept = summarise_repeats(document, kept)
    return LintResult(tuple(kept), context, cache, memo, workspace_cache, spellings)


def _workspace_key(view: WorkspaceView) -> tuple:
    return (id(view.workspace), view.here, view.generation)


def _spellings_memo(view: WorkspaceView, previous: tuple | None) -> tuple:
    """Better spellings of author names found so far, kept while the workspace stays the same."""
    key = _workspace_key(view)
    return previous if previous is not None and previous[0] == key else (key, {})


def _check_workspace(document: Document, view: WorkspaceView, old: dict, cache: dict, spellings: dict) -> list[Diagnostic]:
    """D401/D402 per entry, reused while neither the entry nor the workspace changed."""
    found: list[Diagnostic] = []
    here = view.here
    key = _workspace_key(view)
    for _, start, entry in document.entry_blocks():
        checked = old.get(id(entry))
        if checked is None or checked.block is not entry or checked.key != key:
            relative = tuple(check_workspace_entry(entry, view, here, spellings))
            checked = _Checked(entry, start, tuple(d.shifted(start) for d in relative), relative, None, key)
        elif checked.start != start:
            checked = replace(checked, start=start, diagnostics=tuple(d.shifted(start) for d in checked.relative))
        cache[id(entry)] = checked
        found.extend(checked.diagnostics)
    return found


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


def _configure(document: Document, found: list[Diagnostic], config: Config, enabled, overrides: dict) -> list[Diagnostic]:
    paper_ignores = _paper_ignores(config)
    directives = suppression.collect(document)
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
    unused_code = UNUSED_SUPPRESSION.code
    if unused_code in enabled and overrides.get(unused_code) != "off":
        for directive in directives:
            # A comment that names only unknown rules is reported as D002 (invalid-suppression) instead.
            if not directive.used and not (directive.unknown and not directive.codes):
                what = ", ".join(directive.codes) or "every rule"
                message = f"this `{directive.kind}` comment for {what} suppresses nothing"
                unused = make(UNUSED_SUPPRESSION, message, directive.span)
                if overrides.get(unused_code) is not None:
                    unused = replace(unused, severity=Severity.parse(overrides[unused_code]))
                kept.append(unused)
    kept.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    return kept


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


__all__ = ["lint", "LintResult", "RULES"]
