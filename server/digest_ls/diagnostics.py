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


# --- the one JSON codec: the results cache and the LSP layer's `Diagnostic.data` both use it ----------


def fix_to_json(fix: Fix) -> dict:
    return {"message": fix.message, "edits": [[*edit.range, edit.new_text] for edit in fix.edits], "safe": fix.safe}


def fix_from_json(value) -> Fix | None:
    """None for anything that is not a fix this codec wrote (data from a client is not trusted)."""
    if not isinstance(value, dict):
        return None
    try:
        edits = tuple(Edit(Span(*map(int, item[:4])), str(item[4])) for item in value.get("edits", ()))
        return Fix(str(value.get("message", "")), edits, bool(value.get("safe", True)))
    except (TypeError, ValueError, IndexError):
        return None


def diagnostic_to_json(d: Diagnostic) -> dict:
    return {
        "code": d.code,
        "message": d.message,
        "range": list(d.range),
        "severity": int(d.severity),
        "paper": d.paper,
        "fix": None if d.fix is None else fix_to_json(d.fix),
        "related": [[list(r.range), r.message, r.path] for r in d.related],
    }


def diagnostic_from_json(item: dict) -> Diagnostic:
    return Diagnostic(
        item["code"],
        item["message"],
        Span(*item["range"]),
        Severity(item["severity"]),
        item["paper"],
        fix_from_json(item["fix"]),
        tuple(Related(Span(*r), m, p) for r, m, p in item["related"]),
    )
