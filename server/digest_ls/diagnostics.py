"""What the rules produce: diagnostics with their severity, paper, fix and related places.

Ranges are absolute (document lines, code-point columns) once a diagnostic
leaves `digest_ls.lint`; entry rules build them relative to their block and
`shifted` moves them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from .span import Span


class Severity(IntEnum):
    """Ordered so that a larger value is more severe."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: expected error, warning, info or hint") from None


@dataclass(frozen=True, slots=True)
class Edit:
    range: Span
    new_text: str

    def shifted(self, lines: int) -> "Edit":
        return Edit(self.range.shifted(lines), self.new_text) if lines else self


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    # False when the fixed text still needs a person (an empty field to fill in): `--fix` alone leaves it.
    safe: bool = True

    def shifted(self, lines: int) -> "Fix":
        return replace(self, edits=tuple(edit.shifted(lines) for edit in self.edits)) if lines else self


@dataclass(frozen=True, slots=True)
class Related:
    range: Span
    message: str
    path: str | None = None  # None: the same document


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    range: Span
    severity: Severity
    paper: str | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = ()

    def shifted(self, lines: int) -> "Diagnostic":
        if not lines:
            return self
        return replace(
            self,
            range=self.range.shifted(lines),
            fix=self.fix.shifted(lines) if self.fix else None,
            related=tuple(
                Related(item.range.shifted(lines), item.message, item.path) if item.path is None else item
                for item in self.related
            ),
        )
