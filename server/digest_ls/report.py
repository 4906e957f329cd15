"""Rendering check results and the rule catalogue: text, JSON, SARIF 2.1.0, GitHub annotations, Markdown.

Rows and columns are 1-based in every output; columns count Unicode code
points (SARIF says so with `columnKind`).
"""

from __future__ import annotations

import json
from collections import Counter

from . import __version__
from .diagnostics import Diagnostic, Severity
from .rules.registry import RULES, RULES_LIST

FORMATS = ("text", "json", "sarif", "github")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}


def render(format_name: str, outcome) -> str:
    return {"text": _text, "json": _json, "sarif": _sarif, "github": _github}[format_name](outcome)


def _rows(outcome):
    for result in outcome.results:
        for diagnostic in result.diagnostics:
            yield result.path, diagnostic


def _location(line: int, col: int) -> dict:
    return {"row": line + 1, "column": col + 1}


def diagnostic_json(path: str, d: Diagnostic) -> dict:
    r = d.range
    fix = None
    if d.fix is not None:
        fix = {
            "message": d.fix.message,
            "edits": [
                {
                    "content": e.new_text,
                    "location": _location(e.range.start_line, e.range.start_col),
                    "end_location": _location(e.range.end_line, e.range.end_col),
                }
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": RULES[d.code].name,
        "severity": d.severity.label,
        "message": d.message,
        "filename": path,
        "location": _location(r.start_line, r.start_col),
        "end_location": _location(r.end_line, r.end_col),
        "paper": d.paper,
        "fix": fix,
    }


def _json(outcome) -> str:
    return json.dumps([diagnostic_json(path, d) for path, d in _rows(outcome)], ensure_ascii=False, indent=2) + "\n"


def _text(outcome) -> str:
    lines = []
    counts: Counter = Counter()
    fixable = 0
    for path, d in _rows(outcome):
        r = d.range
        lines.append(f"{path}:{r.start_line + 1}:{r.start_col + 1}: {d.code} [{d.severity.label}] {d.message}")
        counts[d.severity] += 1
        fixable += d.fix is not None
    total = sum(counts.values())
    files = len(outcome.results)
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in reversed(Severity) if counts[s]]
    summary = f"Found {total} problem{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
    summary += f" in {files} digest{'s' if files != 1 else ''}"
    extras = []
    if outcome.non_digests:
        extras.append(f"{outcome.non_digests} non-digest file{'s' if outcome.non_digests != 1 else ''} skipped")
    if outcome.excluded:
        extras.append(f"{outcome.excluded} excluded")
    if outcome.fixed:
        extras.append(f"{outcome.fixed} fixed")
    if fixable:
        extras.append(f"{fixable} fixable with --fix")
    if extras:
        summary += "; " + ", ".join(extras)
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"


def _github(outcome) -> str:
    out = []
    for path, d in _rows(outcome):
        r = d.range
        props = (
            f"file={_escape_property(path)},line={r.start_line + 1},col={r.start_col + 1},"
            f"endLine={r.end_line + 1},endColumn={r.end_col + 1},title={_escape_property(d.code + ' ' + RULES[d.code].name)}"
        )
        out.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape_data(d.message)}")
    return "\n".join(out) + ("\n" if out else "")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _sarif(outcome) -> str:
    index = {rule.code: position for position, rule in enumerate(RULES_LIST)}
    results = []
    for path, d in _rows(outcome):
        r = d.range
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": path.replace("\\", "/")},
                            "region": {
                                "startLine": r.start_line + 1,
                                "startColumn": r.start_col + 1,
                                "endLine": r.end_line + 1,
                                "endColumn": r.end_col + 1,
                            },
                        }
                    }
                ],
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "digest-ls",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.why},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                                "help": {"text": f"{rule.why}\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}"},
                            }
                            for rule in RULES_LIST
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- the rule catalogue ----------------------------------------------------------


def rules_text(rules) -> str:
    width = max(len(rule.name) for rule in rules)
    return "".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.severity.label:<7}  {'fix' if rule.fixable else '   '}  {rule.summary}\n"
        for rule in rules
    )


def rules_json(rules) -> str:
    return (
        json.dumps(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity.label,
                    "summary": rule.summary,
                    "fix": rule.fix,
                    "scope": rule.scope,
                    "why": rule.why,
                    "bad": rule.bad,
                    "good": rule.good,
                }
                for rule in rules
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def rules_markdown(rules) -> str:
    out = ["| code | name | default | fix | what it checks |", "|---|---|---|---|---|"]
    for rule in rules:
        out.append(f"| {rule.code} | `{rule.name}` | {rule.severity.label} | {rule.fix or ''} | {rule.summary} |")
    out.append("")
    for rule in rules:
        out.append(f"### {rule.code} `{rule.name}`")
        out.append("")
        out.append(f"**What it checks:** {rule.summary}. Default severity: {rule.severity.label}."
                   + (f" Fix: {rule.fix}." if rule.fix else " No automatic fix."))
        out.append("")
        out.append(f"**Why:** {rule.why}")
        out.append("")
        out.append("Bad:")
        out.append("")
        out.append("```markdown\n" + rule.bad + "\n```")
        out.append("")
        out.append("Good:")
        out.append("")
        out.append("```markdown\n" + rule.good + "\n```")
        out.append("")
    return "\n".join(out)
