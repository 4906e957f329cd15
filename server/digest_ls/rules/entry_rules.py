"""Checks that look at one entry block alone (D201-D218 local parts, D301).

Their results depend only on the block and the `EntryContext`, so the linter
caches them per block object: an edit re-checks only the entries it touched.
Spans here are relative to the entry's first line.
"""

from __future__ import annotations

from ..arxiv import ArxivId
from ..model import EntryBlock, Span, Template
from ..parser.layout import CANONICAL_LINK
from .context import Edit, EntryContext, Fix, make, replace_fix
from .registry import (
    ARXIV_ID_INVALID,
    ARXIV_LINK_STYLE,
    AUTHORS_MALFORMED,
    AUTHORS_MISSING,
    DETAILS_MISSING,
    DETAILS_UNCLOSED,
    FENCE_UNCLOSED,
    FIELD_DUPLICATE,
    FIELD_EMPTY,
    FIELD_MISSING,
    FIELD_ORDER,
    HEADING_IN_ENTRY,
    HEADING_MALFORMED,
    LABEL_MALFORMED,
    PLACEHOLDER,
    STRAY_TEXT,
    TAG_MALFORMED,
    TLDR_MISSING,
)

CANONICAL_ORDER = ("Task", "Motivation", "Method", "Result", "Conclusion", "Abstract")
# Fields whose empty value is a failed summary; a layout's extra fields (`Limitations:`) may be empty.
_VALUED_LABELS = frozenset({"TL;DR", *CANONICAL_ORDER})
GENERATOR_PLACEHOLDERS = (
    "Summary generation failed",
    "Motivation analysis unavailable",
    "Method extraction failed",
    "Result analysis unavailable",
    "Conclusion extraction failed",
    "Error",
    "N/A",
    "NA",
    "None",
    "null",
    "TBD",
)
REFUSAL_PREFIXES = (
    "i'm sorry",
    "i’m sorry",
    "i am sorry",
    "sorry,",
    "i cannot",
    "i can't",
    "i’m unable",
    "i'm unable",
    "i am unable",
    "i apologize",
    "i apologise",
    "unfortunately, i",
    "as an ai",
    "as a language model",
    "抱歉",
    "很抱歉",
    "对不起",
)
# One character more than the longest prefix: a final sigma lowers by what follows it.
_REFUSAL_HEAD = max(map(len, REFUSAL_PREFIXES)) + 1
_TEMPLATE_FIELDS = {
    Template.CURRENT: ("TL;DR",),
    Template.TLDR: ("TL;DR",),
    Template.TASK: ("Task",),
    Template.ABSTRACT_ONLY: (),
}


def check_entry(entry: EntryBlock, lines: list[str], context: EntryContext) -> list:
    found: list = []
    paper = entry.arxiv_id
    _check_heading(entry, paper, found, context.layout)
    _check_authors(entry, lines, paper, found)
    _check_required(entry, lines, context, paper, found)
    _check_fields(entry, context, paper, found)
    for stray in entry.stray:
        found.append(make(STRAY_TEXT, f"text outside every field: `{_clip(stray.text)}`", stray.span, paper))
    for repair in entry.repairs:
        rule = _REPAIR_RULES[repair.kind]
        fix = replace_fix(f"Write `{repair.replacement.strip()}`", repair.span, repair.replacement) if repair.replacement is not None else None
        found.append(make(rule, repair.message, repair.span, paper, fix))
    return found


_REPAIR_RULES = {"label": LABEL_MALFORMED, "tag": TAG_MALFORMED, "heading": HEADING_IN_ENTRY, "fence": FENCE_UNCLOSED}




def _check_heading(entry: EntryBlock, paper, found: list, layout=None) -> None:
    heading = entry.heading
    if heading.problems:
        fix = replace_fix(f"Write the heading as `{_clip(heading.repaired)}`", heading.span, heading.repaired) if heading.repaired else None
        found.append(make(HEADING_MALFORMED, "malformed entry heading: " + "; ".join(heading.problems), heading.span, paper, fix))
    url, link = heading.url, heading.link
    if url is None or link is None:
        return
    if not link.is_arxiv:
        found.append(make(ARXIV_ID_INVALID, f"`{_clip(url.text)}` is not an arXiv link", url.span, paper))
        return
    if link.id is None:
        found.append(make(ARXIV_ID_INVALID, f"`{_clip(link.raw_id)}` is not a valid arXiv identifier", url.span, paper))
        return
    canonical = canonical_url(link.id)
    usual = layout.link_form if layout is not None else CANONICAL_LINK
    if usual != CANONICAL_LINK:
        # A fork that writes another form throughout is consistent; only an entry unlike the rest is reported.
        if (link.scheme, link.kind, link.id.version is not None) != usual:
            scheme, kind, versioned = usual
            found.append(
                make(ARXIV_LINK_STYLE, f"the file's other links are {scheme}://arxiv.org/{kind}/ID{'vN' if versioned else ''}", url.span, paper)
            )
        return
    if url.text != canonical:
        reasons = []
        if link.kind != "abs":
            reasons.append(f"a /{link.kind}/ link")
        if link.scheme != "https":
            reasons.append(f"{link.scheme or 'no'} scheme")
        if link.host != "arxiv.org":
            reasons.append(f"host {link.host}")
        if link.id.version is not None:
            reasons.append(f"version suffix v{link.id.version}")
        why = ", ".join(reasons) or "not the canonical form"
        found.append(
            make(ARXIV_LINK_STYLE,
                f"use the canonical link {canonical} ({why})",
                url.span,
                paper,
                replace_fix(f"Replace with {canonical}", url.span, canonical),
            )
        )


def canonical_url(arxiv_id: ArxivId) -> str:
    return f"https://arxiv.org/abs/{arxiv_id.base}"


def _check_authors(entry: EntryBlock, lines: list[str], paper, found: list) -> None:
    authors = entry.authors
    if authors is None:
        found.append(make(AUTHORS_MISSING, "the entry has no author line (`*First Author,Second Author*`)", entry.heading.span, paper))
        return
    line = lines[authors.span.start_line]
    problems = []
    names = authors.names
    texts = [name.text for name in names]
    has_empty, has_colon = "" in texts, ":" in texts  # most lists hold neither, and `in` asks in C
    if not authors.emphasised:
        # `**Authors:** A, B`: only the names themselves can be wrong; the line has no `*` to check.
        problems = (_empty_name_problems(names, True) if has_empty else []) + (["`:` as a name"] if has_colon else [])
        if problems:
            found.append(make(AUTHORS_MALFORMED, "malformed author list: " + ", ".join(problems), authors.span, paper))
        return
    if not authors.closed:
        problems.append("the author line does not end with `*`")
    if has_empty:
        problems.extend(_empty_name_problems(names, authors.closed))
    if has_colon:
        problems.append("`:` as a name")
    if _has_stray_spaces(line, authors):
        problems.append("stray spaces")
    if not problems:
        return
    separator = _entry_separator(authors)
    kept = repaired_names(names)
    repaired = "*" + separator.join(kept) + "*"
    span = authors.span
    fix = None
    if kept:
        # Joining a `:` name to its neighbour changes what the list says: a person decides.
        fix = Fix("Repair the author list", (Edit(span, repaired),), safe=not has_colon)
    found.append(make(AUTHORS_MALFORMED, "malformed author list: " + ", ".join(problems), span, paper, fix))


def _empty_name_problems(names, closed: bool) -> list[str]:
    """Name the comma that made each empty name: doubled, leading or trailing."""
    if len(names) == 1:
        return ["an empty author line"] if not names[0].text else []
    problems = []
    if not names[0].text:
        problems.append("a leading comma")
    doubled = sum(1 for name in names[1:-1] if not name.text)
    if doubled:
        problems.append("a doubled comma" if doubled == 1 else f"{doubled} doubled commas")
    if not names[-1].text:
        problems.append("a trailing comma")
    return problems


def repaired_names(names) -> list[str]:
    """The names with empty ones dropped; a `:` name joins the name before it (`NVIDIA,:,A` -> `NVIDIA:,A`),
    so a repair removes only separators and white space, never a character of the list."""
    kept: list[str] = []
    for name in names:
        if not name.text:
            continue
        if name.text == ":" and kept:
            kept[-1] += ":"
        else:
            kept.append(name.text)
    return kept


def _entry_separator(authors) -> str:
    return ", " if authors.separators and all(sep == ", " for sep in authors.separators) else ","


def separator_style(entry: EntryBlock) -> str | None:
    """`,` or `, ` when the entry uses one consistently, `mixed` when it mixes the two.

    None without separators, and None for a list the entry check already
    reports (stray spaces, empty or `:` names): one D207 per line, and its fix
    comes first.
    """
    authors = entry.authors
    if authors is None or not authors.separators:
        return None
    styles = set(authors.separators)
    if not styles <= {",", ", "} or any(not name.text or name.text == ":" for name in authors.names):
        return None
    return next(iter(styles)) if len(styles) == 1 else "mixed"


def _has_stray_spaces(line: str, authors) -> bool:
    names = authors.names
    span = authors.span
    first = names[0]
    if first.text and first.span.start_col != span.start_col + 1:
        return True
    last = names[-1]
    closing = span.end_col - 1 if authors.closed else span.end_col
    if last.text and last.span.end_col != closing:
        return True
    for name in names[:-1]:
        if name.text and line[name.span.end_col : name.span.end_col + 1] != ",":
            return True
    return any(sep not in (",", ", ") for sep in authors.separators)


def _check_required(entry: EntryBlock, lines: list[str], context: EntryContext, paper, found: list) -> None:
    template = context.template
    layout = context.layout
    upstream = layout is None or layout.upstream
    heading_span = entry.heading.span
    labels = {field.label for field in entry.fields}
    for label in _TEMPLATE_FIELDS.get(template, ()):
        if label == "TL;DR" and label not in labels and (upstream or label in layout.fields):
            found.append(make(TLDR_MISSING, "the entry has no `TL;DR:` line", heading_span, paper))
    if entry.details is None:
        if upstream or layout.has_details:
            found.append(make(DETAILS_MISSING, "the entry has no `<details>` block", heading_span, paper))
        return
    details = entry.details
    if details.close is None:
        last = entry.last_text_line
        end = Span(last, len(lines[last]), last, len(lines[last]))
        if last + 2 < len(lines) and not lines[last + 1].strip():
            # Reuse the blank line after the text, so the entry keeps the generator's spacing; not when
            # it is the block's last line, which may be the empty line after the file's final newline.
            end = Span(last, len(lines[last]), last + 1, len(lines[last + 1]))
        found.append(
            make(DETAILS_UNCLOSED,
                "`<details>` is never closed",
                details.open,
                paper,
                Fix("Insert `</details>`", (Edit(end, "\n\n</details>"),)),
            )
        )
    if template is Template.ABSTRACT_ONLY:
        required = ("Abstract",)
    elif upstream:
        required = context.config.required_fields
    else:
        required = [label for label in context.config.required_fields if label in layout.fields]
    for label in required:
        if label not in labels:
            found.append(_missing_field(entry, label, paper))


def _missing_field(entry: EntryBlock, label: str, paper):
    """D214 with a fix that inserts `Label:` (no trailing space: D304) before the next field of the canonical order."""
    order = CANONICAL_ORDER.index(label) if label in CANONICAL_ORDER else len(CANONICAL_ORDER)
    later = [
        field
        for field in entry.fields
        if field.in_details and field.label in CANONICAL_ORDER and CANONICAL_ORDER.index(field.label) > order
    ]
    details = entry.details
    if later:
        row = later[0].span.start_line
        edit = Edit(Span(row, 0, row, 0), f"{label}:\n\n")
    elif details.close is not None:
        row = details.close.start_line
        edit = Edit(Span(row, 0, row, 0), f"{label}:\n\n")
    else:
        edit = None
    fix = Fix(f"Insert an empty `{label}:` field", (edit,), safe=False) if edit else None
    return make(FIELD_MISSING, f"the `{label}:` field is missing", details.open, paper, fix)


def _check_fields(entry: EntryBlock, context: EntryContext, paper, found: list) -> None:
    seen: set[str] = set()
    placeholders = context.placeholders
    longest = max(map(len, placeholders), default=0)
    last_order = -1
    reported_order = False
    for field in entry.fields:
        label = field.label
        if label in seen:
            found.append(make(FIELD_DUPLICATE, f"`{label}:` appears twice in this entry", field.label_text.span, paper))
        seen.add(label)
        if label == "Main category":
            continue
        if not field.value and label in _VALUED_LABELS:
            found.append(make(FIELD_EMPTY, f"`{label}:` has no value", field.label_text.span, paper))
        elif _is_placeholder(field.value, placeholders, longest):
            found.append(
                make(PLACEHOLDER, f"`{label}:` holds a failed-summary placeholder: `{_clip(field.value)}`", field.value_span, paper)
            )
        if field.in_details and label in CANONICAL_ORDER:
            order = CANONICAL_ORDER.index(label)
            if order < last_order and not reported_order:
                reported_order = True
                found.append(
                    make(FIELD_ORDER,
                        f"`{label}:` comes after `{CANONICAL_ORDER[last_order]}:`; the template puts it before",
                        field.label_text.span,
                        paper,
                    )
                )
            last_order = max(last_order, order)


def _is_placeholder(value: str, placeholders: frozenset[str], longest: int) -> bool:
    """`longest`: the length of the longest placeholder. Lowering never shortens a text, so an abstract
    is never lowered whole: only a text that short can equal a placeholder, and a refusal is a prefix."""
    text = value.strip().strip(".").strip()
    if len(text) <= longest and text.lower() in placeholders:
        return True
    return text[:_REFUSAL_HEAD].lower().startswith(REFUSAL_PREFIXES)


def placeholder_set(extra) -> frozenset[str]:
    return frozenset(text.strip().strip(".").lower() for text in (*GENERATOR_PLACEHOLDERS, *extra))


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
