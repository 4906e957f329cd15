"""What a rule check receives, and the helper that builds its diagnostics."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..diagnostics import Diagnostic, Edit, Fix, Related
from ..model import Layout, Span, Template
from .registry import Rule


@dataclass(frozen=True)
class EntryContext:
    """Everything an entry-local check may depend on; it is part of the per-entry cache key."""

    template: Template
    config: Config
    placeholders: frozenset[str]
    layout: Layout | None = None  # the file's conventions; None is read as the upstream template


def make(rule: Rule, message: str, span: Span, paper: str | None = None, fix: Fix | None = None, related=()) -> Diagnostic:
    return Diagnostic(rule.code, message, span, rule.severity, paper, fix, tuple(related))


def replace_fix(message: str, span: Span, text: str) -> Fix:
    return Fix(message, (Edit(span, text),))


__all__ = ["EntryContext", "make", "replace_fix", "Related", "Edit", "Fix"]
