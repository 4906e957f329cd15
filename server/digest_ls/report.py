"""Rendering check results and the rule catalogue.

Check results: `full` (each finding with its source line and a caret under
it), `concise` (one line each), `text` (the concise lines of every severity:
what `--format text` printed before `full` existed, which scripts parse),
JSON, SARIF 2.1.0, GitHub annotations and JUnit XML. `full` and `concise`
list findings from a threshold up (warnings, or `--fail-on` if lower) and
summarise the infos and hints below it in one line unless asked to list them.

Rows and columns are 1-based in every output; columns count Unicode code
points (SARIF says so with `columnKind`).
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .diagnostics import Diagnostic, Severity
from .files import FileError, read_text
from .rules.registry import RULES, RULES_LIST
from .source import split_lines

FORMATS = ("full", "concise", "text", "json", "sarif", "github", "junit")
HUMAN_FORMATS = ("full", "concise", "text")  # the ones a person reads; the others are for tools
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}
SARIF_BASE = "%SRCROOT%"
FINGERPRINT = "digestLs/v1"  # partialFingerprints key: the arXiv id (or the line's text) and the rule


@dataclass(frozen=True)
class ReportOptions:
    listed_from: Severity = Severity.WARNING  # `full` and `concise` list findings from here up
    show_hints: bool = False  # list every finding in `full` and `concise`
    show_fixes: bool = False
    statistics: bool = False
    unsafe_fixes: bool = False
    fix_mode: str = ""  # "fix": the fixes were written; "diff": they were only shown
    color: bool = False
    source_root: Path | None = None  # SARIF's %SRCROOT% (default: the current folder)


def render(format_name: str, outcome, options: ReportOptions = ReportOptions()) -> str:
    if options.statistics:
        return _statistics_json(outcome, options) if format_name == "json" else _statistics_text(outcome, options)
    renderers = {
        "full": _full,
        "concise": _concise,
        "text": _legacy_text,
        "json": _json,
        "sarif": _sarif,
        "github": _github,
        "junit": _junit,
    }
    return renderers[format_name](outcome, options)


def _rows(outcome):
    for result in outcome.results:
        for diagnostic in result.diagnostics:
            yield result.path, diagnostic


def _plural(count: int, severity: Severity) -> str:
    # "info" stays uncounted ("3 info"), as in the summary line since the first release.
    label = severity.label
    return f"{count:,} {label}{'s' if count != 1 and severity is not Severity.INFO else ''}"


class _Sources:
    """The lines of the reported files, read only when a format needs them, one file held at a time:
    the findings come file by file, and holding every file's lines made a year's report hold the year."""

    def __init__(self, outcome):
        self._texts: dict[str, str] = dict(outcome.sources)
        self._path: str | None = None
        self._lines: list[str] = []

    def line(self, path: str, row: int) -> str | None:
        if path != self._path:
            text = self._texts.get(path)
            if text is None:
                try:
                    text = read_text(Path(path))
                except FileError:
                    text = ""
            self._path, self._lines = path, split_lines(text)[0]
        lines = self._lines
        return lines[row] if 0 <= row < len(lines) else None


# --- what a person reads: full, concise, text ---------------------------------------

_ANSI = {"bold": "1", "error": "1;31", "warning": "1;33", "info": "1;34", "hint": "1;36", "gutter": "1;34", "fix": "32"}


class _Palette:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def paint(self, text: str, style: str) -> str:
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if self.enabled and text else text


def _full(outcome, options: ReportOptions) -> str:
    return _human(outcome, options, with_source=True, list_all=options.show_hints)


def _concise(outcome, options: ReportOptions) -> str:
    return _human(outcome, options, with_source=False, list_all=options.show_hints)


def _legacy_text(outcome, options: ReportOptions) -> str:
    return _human(outcome, options, with_source=False, list_all=True)


def _human(outcome, options: ReportOptions, *, with_source: bool, list_all: bool) -> str:
    palette = _Palette(options.color)
    sources = _Sources(outcome) if with_source else None
    lines: list[str] = []
    unlisted: list[Diagnostic] = []
    for path, d in _rows(outcome):
        if not list_all and d.severity < options.listed_from:
            unlisted.append(d)
            continue
        lines.append(_headline(path, d, palette))
        if sources is not None:
            lines.extend(_snippet(sources.line(path, d.range.start_line), d, palette, options))
    if options.show_fixes:
        lines.extend(fixes_report(outcome, options).splitlines())
    lines.append(_summary(outcome, options))
    if unlisted:
        lines.append(_unlisted_summary(unlisted))
    return "\n".join(lines) + "\n"


def _headline(path: str, d: Diagnostic, palette: _Palette) -> str:
    r = d.range
    where = palette.paint(f"{path}:{r.start_line + 1}:{r.start_col + 1}:", "bold")
    level = d.severity.label
    return f"{where} {palette.paint(d.code, level)} [{palette.paint(level, level)}] {d.message}"


def _snippet(line: str | None, d: Diagnostic, palette: _Palette, options: ReportOptions) -> list[str]:
    """The source line under a finding, a caret under its range, and the fix it offers."""
    out = []
    if line is not None:
        r = d.range
        end = r.end_col if r.end_line == r.start_line else len(line)
        shown, indent, width = excerpt(line, r.start_col, end)
        number = str(r.start_line + 1)
        gutter = " " * len(number)
        bar = palette.paint("|", "gutter")
        out.append(f"{gutter} {bar}")
        out.append(f"{palette.paint(number, 'gutter')} {bar} {shown}")
        out.append(f"{gutter} {bar} {' ' * indent}{palette.paint('^' * width, d.severity.label)}")
        if d.fix is not None:
            note = "fix" if d.fix.safe else "unsafe fix" + ("" if options.unsafe_fixes else " (with --unsafe-fixes)")
            out.append(f"{gutter} {palette.paint('=', 'gutter')} {palette.paint(note, 'fix')}: {d.fix.message}")
    out.append("")
    return out


MAX_SHOWN = 100  # display columns of a source line in `full`; longer lines are cut around the finding
_CONTEXT = 20  # code points shown before the finding when a line is cut
_TAB = "    "


def visible(text: str) -> str:
    """Control characters as their Unicode pictures (U+2400...), so they neither move the cursor nor break XML."""
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 32 else "\u2421" if c == "\x7f" else c for c in text)


def _cell(character: str) -> tuple[str, int]:
    """How a code point is shown and how many terminal columns it takes."""
    if " " <= character <= "~":  # printable ASCII, nearly every code point of a digest line
        return character, 1
    if character == "\t":
        return _TAB, len(_TAB)
    if ord(character) < 32 or character == "\x7f":
        return visible(character), 1
    if unicodedata.combining(character):
        return character, 0
    return character, 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """(the line as shown, the caret's indent, its width) in terminal columns, for code points [start, end).

    Only the shown window is measured: a finding on a 40,000-character author line costs what one on a
    short line does.
    """
    start = min(start, len(line))
    end = max(start, min(end, len(line)))
    total = 0
    for character in line:
        total += _cell(character)[1]
        if total > MAX_SHOWN:
            break
    first = max(0, start - _CONTEXT) if total > MAX_SHOWN else 0
    shown, used, last = [], 0, first
    if first:
        shown.append("…")
        used = 1
    for character in line[first : first + 2 * MAX_SHOWN]:  # no code point is shown in fewer than zero columns
        text, width = _cell(character)
        if used + width > MAX_SHOWN - 1:
            break
        shown.append(text)
        used += width
        last += 1
    if last < len(line):
        shown.append("…")
    indent = (1 if first else 0) + sum(_cell(character)[1] for character in line[first:start])
    caret = sum(_cell(character)[1] for character in line[start : min(end, last)])
    return "".join(shown), indent, max(1, caret)


def _summary(outcome, options: ReportOptions) -> str:
    counts: Counter = Counter()
    safe = unsafe = 0
    for _, d in _rows(outcome):
        counts[d.severity] += 1
        if d.fix is not None:
            if d.fix.safe:
                safe += 1
            else:
                unsafe += 1
    total = sum(counts.values())
    files = len(outcome.results)
    parts = [_plural(counts[s], s) for s in reversed(Severity) if counts[s]]
    summary = f"Found {total:,} problem{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
    summary += f" in {files:,} digest{'s' if files != 1 else ''}"
    extras = []
    if outcome.non_digests:
        extras.append(f"{outcome.non_digests:,} non-digest file{'s' if outcome.non_digests != 1 else ''} skipped")
    if outcome.excluded:
        extras.append(f"{outcome.excluded:,} excluded")
    if outcome.fixed:
        extras.append(f"{outcome.fixed:,} {'would be fixed' if options.fix_mode == 'diff' else 'fixed'}")
    if options.unsafe_fixes:
        safe, unsafe = safe + unsafe, 0
    if safe:
        extras.append(f"{safe:,} fixable with --fix")
    if unsafe:
        extras.append(f"{unsafe:,} more with --fix --unsafe-fixes")
    if extras:
        summary += "; " + ", ".join(extras)
    return summary + "."


def _unlisted_summary(unlisted: list[Diagnostic]) -> str:
    by_severity = Counter(d.severity for d in unlisted)
    by_code = Counter(d.code for d in unlisted)
    kinds = " and ".join(_plural(by_severity[s], s) for s in reversed(Severity) if by_severity[s])
    codes = ", ".join(f"{code} {count:,}" for code, count in sorted(by_code.items(), key=lambda item: (-item[1], item[0])))
    return f"{kinds} not listed ({codes}); --show-hints lists them."


def fixes_report(outcome, options: ReportOptions) -> str:
    """`--show-fixes`: the fixes written (or, with `--diff`, that would be), else the ones available."""
    if options.fix_mode:
        total = outcome.fixed
        verb = "Would fix" if options.fix_mode == "diff" else "Fixed"
        if not total:
            return "No fixes applied.\n" if options.fix_mode == "fix" else "No fixes to apply.\n"
        lines = [f"{verb} {total:,} problem{'s' if total != 1 else ''}:"]
        for result in outcome.results:
            if result.fixed:
                lines.append(f"- {result.path}:")
                for code, count in sorted(result.fixed.items()):
                    lines.append(f"    {count:,} × {code} ({RULES[code].name})")
        return "\n".join(lines) + "\n"
    lines = []
    for path, d in _rows(outcome):
        if d.fix is None:
            continue
        r = d.range
        note = "" if d.fix.safe or options.unsafe_fixes else " (unsafe: only with --unsafe-fixes)"
        lines.append(f"  {path}:{r.start_line + 1}:{r.start_col + 1}: {d.code} {d.fix.message}{note}")
    if not lines:
        return "No fixes available.\n"
    return "Fixes available (--fix applies them):\n" + "\n".join(lines) + "\n"


def diff_summary(outcome, options: ReportOptions) -> str:
    """`--diff`'s closing line: how many problems the diff fixes, and how many more unsafe fixes would."""
    total = outcome.fixed
    files = sum(1 for result in outcome.results if result.fixed)
    if outcome.diff_text:
        line = f"Would fix {total:,} problem{'s' if total != 1 else ''} in {files:,} file{'s' if files != 1 else ''}"
    else:
        line = "No fixes to apply"
    unsafe = 0 if options.unsafe_fixes else sum(1 for _, d in _rows(outcome) if d.fix is not None and not d.fix.safe)
    if unsafe:
        line += f" ({unsafe:,} more with --unsafe-fixes)"
    return line + ".\n"


# --- --statistics ----------------------------------------------------------------------


def _statistics(outcome, options: ReportOptions) -> list[dict]:
    counts: Counter = Counter()
    marks: dict[str, set[str]] = {}
    for _, d in _rows(outcome):
        counts[d.code] += 1
        if d.fix is not None:
            marks.setdefault(d.code, set()).add("safe" if d.fix.safe or options.unsafe_fixes else "unsafe")
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        fix = "safe" if "safe" in marks.get(code, ()) else "unsafe" if code in marks else None
        rows.append({"code": code, "name": RULES[code].name, "count": count, "fixable": fix is not None, "fix": fix})
    return rows


def _statistics_json(outcome, options: ReportOptions) -> str:
    rows = [{key: row[key] for key in ("code", "name", "count", "fixable")} for row in _statistics(outcome, options)]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _statistics_text(outcome, options: ReportOptions) -> str:
    rows = _statistics(outcome, options)
    lines = []
    if rows:
        width = max(len(f"{row['count']:,}") for row in rows)
        mark = {"safe": "[*]", "unsafe": "[-]", None: "   "}
        lines = [f"{row['count']:>{width},}  {row['code']}  {mark[row['fix']]} {row['name']}" for row in rows]
        if any(row["fix"] for row in rows):
            lines.append("[*] fixable with --fix, [-] with --fix --unsafe-fixes")
    lines.append(_summary(outcome, options))
    return "\n".join(lines) + "\n"


# --- for tools: JSON, GitHub, JUnit, SARIF ----------------------------------------------


def _location(line: int, col: int) -> dict:
    return {"row": line + 1, "column": col + 1}


def diagnostic_json(path: str, d: Diagnostic) -> dict:
    r = d.range
    fix = None
    if d.fix is not None:
        fix = {
            "message": d.fix.message,
            "applicability": "safe" if d.fix.safe else "unsafe",
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


def _json(outcome, options: ReportOptions) -> str:
    return json.dumps([diagnostic_json(path, d) for path, d in _rows(outcome)], ensure_ascii=False, indent=2) + "\n"


def _github(outcome, options: ReportOptions) -> str:
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


def _junit(outcome, options: ReportOptions) -> str:
    """One test suite per digest, one failing test case per finding (a passing one for a clean digest)."""
    import xml.etree.ElementTree as ElementTree

    total = sum(len(result.diagnostics) for result in outcome.results)
    cases = sum(max(len(result.diagnostics), 1) for result in outcome.results)
    suites = ElementTree.Element("testsuites", name="digest-ls", tests=str(cases), failures=str(total), errors="0")
    for result in outcome.results:
        path = visible(result.path)
        count = len(result.diagnostics)
        suite = ElementTree.SubElement(
            suites, "testsuite", name=path, tests=str(max(count, 1)), failures=str(count), errors="0"
        )
        if not result.diagnostics:
            ElementTree.SubElement(suite, "testcase", name="no problems", classname=path, file=path)
        for d in result.diagnostics:
            row, col = d.range.start_line + 1, d.range.start_col + 1
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=f"{d.code} {RULES[d.code].name} at {row}:{col}",
                classname=path,
                file=path,
                line=str(row),
            )
            failure = ElementTree.SubElement(case, "failure", message=visible(d.message), type=d.severity.label)
            failure.text = f"{path}:{row}:{col}: {d.code} [{d.severity.label}] {visible(d.message)}"
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _artifact_location(path: str, root: Path) -> dict:
    """A percent-encoded URI relative to %SRCROOT%, or an absolute `file://` URI for a file outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SARIF_BASE}


def _folder_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _fingerprints(outcome, sources: _Sources) -> list[str]:
    """Per result, in `_rows` order: the arXiv id and rule (the line's text and rule outside entries), and a count.

    An entry keeps its id when it is renumbered, moved or edited, so a
    baseline of known results survives those; the count tells apart two
    results of one rule on one paper (or on two lines with the same text).
    """
    seen: Counter = Counter()
    values = []
    for path, d in _rows(outcome):
        if d.paper is not None:
            key = f"{d.paper}:{d.code}"
        else:
            line = " ".join((sources.line(path, d.range.start_line) or "").split())
            key = f"{d.code}:{hashlib.sha256(line.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
        seen[path, key] += 1
        values.append(f"{key}:{seen[path, key]}")
    return values


def _homepage() -> str | None:
    """The project's web page from the installed package's metadata (`[project.urls]`), if it names one."""
    from importlib import metadata

    try:
        meta = metadata.metadata("digest-ls")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or ():
        url = entry.partition(",")[2].strip()
        if url:
            return url
    return meta.get("Home-page")


def _sarif(outcome, options: ReportOptions) -> str:
    root = Path(os.path.abspath(options.source_root or Path.cwd()))
    index = {rule.code: position for position, rule in enumerate(RULES_LIST)}
    fingerprints = _fingerprints(outcome, _Sources(outcome))
    results = []
    for (path, d), fingerprint in zip(_rows(outcome), fingerprints):
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
                            "artifactLocation": _artifact_location(path, root),
                            "region": {
                                "startLine": r.start_line + 1,
                                "startColumn": r.start_col + 1,
                                "endLine": r.end_line + 1,
                                "endColumn": r.end_col + 1,
                            },
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT: fingerprint},
            }
        )
    driver = {"name": "digest-ls", "version": __version__, "semanticVersion": __version__}
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.why},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "help": {"text": _rule_help_text(rule), "markdown": rule_markdown(rule)},
        }
        for rule in RULES_LIST
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SARIF_BASE: {"uri": _folder_uri(root)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _rule_help_text(rule) -> str:
    return f"{rule.summary}.\n\n{rule.why}\n\n{_fix_sentence(rule)}\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}"


# --- the rule catalogue ----------------------------------------------------------


def rules_text(rules) -> str:
    width = max(len(rule.name) for rule in rules)
    return "".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.severity.label:<7}  {'fix' if rule.fixable else '   '}  {rule.summary}\n"
        for rule in rules
    )


def rule_json(rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.label,
        "summary": rule.summary,
        "fix": rule.fix,
        "unsafe_fix": rule.unsafe_fix,
        "scope": rule.scope,
        "why": rule.why,
        "bad": rule.bad,
        "good": rule.good,
    }


def rules_json(rules) -> str:
    return json.dumps([rule_json(rule) for rule in rules], ensure_ascii=False, indent=2) + "\n"


def _fix_sentence(rule) -> str:
    if not rule.fix:
        return "No automatic fix."
    if rule.unsafe_fix:
        return f"Fix: {rule.fix} ({rule.unsafe_fix}; unsafe fixes apply only with `--unsafe-fixes`)."
    return f"Fix: {rule.fix}."


def rule_markdown(rule, heading: str = "###") -> str:
    """One rule's documentation: what, why, bad, good and its fix (the README, `digest-ls rule`, SARIF help)."""
    return "\n".join(
        [
            f"{heading} {rule.code} `{rule.name}`",
            "",
            f"**What it checks:** {rule.summary}. Default severity: {rule.severity.label}. {_fix_sentence(rule)}",
            "",
            f"**Why:** {rule.why}",
            "",
            "Bad:",
            "",
            "```markdown\n" + rule.bad + "\n```",
            "",
            "Good:",
            "",
            "```markdown\n" + rule.good + "\n```",
            "",
        ]
    )


def rules_markdown(rules) -> str:
    out = ["| code | name | default | fix | what it checks |", "|---|---|---|---|---|"]
    for rule in rules:
        out.append(f"| {rule.code} | `{rule.name}` | {rule.severity.label} | {rule.fix or ''} | {rule.summary} |")
    out.append("")
    out.extend(rule_markdown(rule) for rule in rules)
    return "\n".join(out)
