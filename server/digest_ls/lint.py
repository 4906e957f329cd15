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
from .model import Document, EntryBlock
from .rules import suppression
from .rules.context import EntryContext, make
from .rules.document_rules import check_document, entry_facts
from .rules.entry_rules import check_entry, placeholder_set
from .rules.registry import RULES, enabled_codes, matches
from .rules.text_rules import check_text


@dataclass(frozen=True)
class _Checked:
    block: object
    start: int
    diagnostics: tuple[Diagnostic, ...]  # absolute for `start`
    relative: tuple[Diagnostic, ...]
    facts: tuple | None


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
    context: EntryContext | None = None
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # id(block) -> _Checked
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # document rules' reusable diagnostics


def lint(document: Document, config: Config = Config(), previous: LintResult | None = None) -> LintResult:
    if previous is None:
        # A first lint allocates a diagnostic per problem of a whole file: keep the collector out of it.
        # A re-lint allocates little, and re-enabling the collector would cost more than it saves.
        with collector_paused():
            return _lint(document, config, None)
    return _lint(document, config, previous)


def _lint(document: Document, config: Config, previous: LintResult | None) -> LintResult:
    if not document.is_digest:
        return LintResult(())
    context = EntryContext(document.template, config, placeholder_set(config.extra_placeholders))
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
    return LintResult(tuple(_configure(document, found, config)), context, cache, memo)


def _check_block(block, lines, start: int, context: EntryContext) -> _Checked:
    if isinstance(block, EntryBlock):
        paper = block.arxiv_id
        relative = check_entry(block, lines, context) + check_text(lines, paper)
        facts = entry_facts(block)
    else:
        relative = check_text(lines, None)
        facts = None
    relative = tuple(relative)
    return _Checked(block, start, tuple(d.shifted(start) for d in relative), relative, facts)


def _configure(document: Document, found: list[Diagnostic], config: Config) -> list[Diagnostic]:
    enabled = enabled_codes(config.select, config.ignore)
    overrides = config.severity_overrides()
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
    if "D001" in enabled and overrides.get("D001") != "off":
        for directive in directives:
            if not directive.used:
                if not directive.codes and directive.unknown:
                    message = f"this `{directive.kind}` comment names no known rule (`{' '.join(directive.unknown)}`)"
                else:
                    what = ", ".join(directive.codes) or "every rule"
                    message = f"this `{directive.kind}` comment for {what} suppresses nothing"
                unused = make("D001", message, directive.span)
                if overrides.get("D001") is not None:
                    unused = replace(unused, severity=Severity.parse(overrides["D001"]))
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
