"""Checks across the whole document: the TOC, sections, numbering, duplicates and file-wide majorities.

Each is a single pass over the block list doing constant work per entry, so
they run again after every edit without costing what a parse costs.
Spans here are absolute.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import taxonomy
from ..config import Config
from ..model import AnchorBlock, Document, EntryBlock, HeadingBlock, Span, Template
from .context import Edit, Fix, Related, make, replace_fix
from ..parser.layout import back_link_shape, count_shape
from ..parser.skeleton import CATEGORY_SHAPE
from .entry_rules import repaired_names, separator_style
from .structure import expected_numbers, number_edit, toc_edits
from .registry import (
    AUTHORS_MALFORMED,
    CATEGORY_MISMATCH,
    CATEGORY_MISSING,
    CATEGORY_UNKNOWN,
    DUPLICATE_PAPER,
    LEGACY_TEMPLATE,
    NUMBERING,
    SECTION_ANCHOR,
    SECTION_DUPLICATE,
    SECTION_EMPTY,
    SUMMARY_LANGUAGE,
    TOC_DANGLING_ITEM,
    TOC_ITEM_MALFORMED,
    TOC_MISSING,
    TOC_MISSING_ITEM,
    TOC_ORDER,
    TOC_TOTAL_MISMATCH,
    WHITESPACE,
)


def check_document(document: Document, config: Config, facts: dict[int, tuple], old_memo=None, memo=None) -> list:
    """`facts` maps an entry's block index to (separator style, TL;DR script).

    `old_memo` holds the previous run's reusable diagnostics; `memo` collects this run's. A file listing
    every paper twice has hundreds of duplicates, and rebuilding them all on each keystroke cost more
    than the rest of the re-check.
    """
    found: list = []
    _check_template(document, found)
    _check_toc(document, found)
    _check_sections(document, config, found)
    _check_entries(document, config, found, old_memo if old_memo is not None else {}, memo if memo is not None else {})
    _check_majorities(document, facts, found)
    _check_final_newline(document, found)
    return found


def _abs(document: Document, index: int, span: Span) -> Span:
    return span.shifted(document.starts[index])


def _check_template(document: Document, found: list) -> None:
    template = document.template
    if template in (Template.TLDR, Template.TASK, Template.ABSTRACT_ONLY):
        names = {
            Template.TLDR: "the `TLDR:` template (April 2025)",
            Template.TASK: "the `Task:` template (March-April 2025)",
            Template.ABSTRACT_ONLY: "the abstract-only template (March 2025)",
        }
        first = document.entries[0] if document.entries else 0
        line = document.starts[first]
        span = Span(line, 0, line, len(document.lines[line]))
        found.append(make(LEGACY_TEMPLATE, f"this file follows {names[template]}; the current one has `Main category:` and `TL;DR:`", span))


def _check_toc(document: Document, found: list) -> None:
    sections = [section for section in document.sections if section.category is not None]
    layout = document.layout
    if document.toc is None:
        if sections and layout.upstream:
            first = sections[0]
            fix = Fix("Insert the table of contents", tuple(toc_edits(document)))
            heading = _abs(document, first.heading, document.blocks[first.heading].span)
            found.append(make(TOC_MISSING, "the file has category sections but no table of contents", heading, fix=fix))
        return
    toc_index = document.toc.heading
    toc = document.blocks[toc_index]
    by_key = _sections_by_key(document, sections)
    listed = set()
    for item in toc.toc_items:
        section = _section_of_item(by_key, item)
        item_span = _abs(document, toc_index, item.span)
        _check_count_shape(document, toc_index, item, section, layout, found)
        if section is None:
            line = item_span.start_line
            fix = Fix("Remove the item", (Edit(Span(line, 0, line + 1, 0), ""),))
            found.append(make(TOC_DANGLING_ITEM, f"`{item.category.text}` is listed in the table of contents but has no section", item_span, fix=fix))
            continue
        listed.add(section.category)
        count = len(section.entries)
        if item.total is not None and item.total.value != count:
            span = _abs(document, toc_index, item.total.span)
            found.append(
                make(TOC_TOTAL_MISMATCH,
                    f"`[Total: {item.total.value}]` but section {section.category} has {count} "
                    f"entr{'y' if count == 1 else 'ies'}",
                    span,
                    fix=replace_fix(f"Set the total to {count}", span, str(count)),
                )
            )
    for position, section in enumerate(sections):
        if section.category not in listed:
            heading = _abs(document, section.heading, document.blocks[section.heading].span)
            item = f"- [{section.category}](#{section.category}) [Total: {len(section.entries)}]"
            later = {other.category for other in sections[position + 1 :]} - {section.category}
            fix = _insert_toc_item(document, item, later) if layout.upstream else None
            found.append(make(TOC_MISSING_ITEM, f"section {section.category} is not listed in the table of contents", heading, fix=fix))
    _check_toc_order(document, sections, found)


def _slug(text: str) -> str:
    """How layouts turn a category into a fragment: `cs.AI`, `cs-ai` and `csai` are one."""
    return "".join(character for character in text.lower() if character.isalnum())


def _sections_by_key(document: Document, sections) -> dict:
    """Each section under every name a TOC item may use for it: its code, its anchor, its slug, its title."""
    keys: dict = {}
    for section in sections:
        names = [section.category, _slug(section.category)]
        if section.anchor is not None:
            names.append(document.blocks[section.anchor].anchor.text)
        title = document.blocks[section.heading].title.text
        names.append(title.split(" [", 1)[0].strip())
        for name in names:
            keys.setdefault(name, section)
    return keys


def _section_of_item(by_key: dict, item):
    """The section a TOC item points at: by its fragment, its text, or the fragment's slug."""
    target = item.anchor.text
    return by_key.get(target) or by_key.get(item.category.text.strip()) or by_key.get(_slug(target))


def _check_count_shape(document: Document, toc_index: int, item, section, layout, found: list) -> None:
    """D110: a count written unlike the file's other items (`[Total 88]`), or missing where they all have one."""
    usual = layout.count_shape
    if usual is None:
        return
    if item.count is None:
        if section is None or "{n}" not in usual:
            return
        end = _abs(document, toc_index, item.span)
        at = Span(end.end_line, end.end_col, end.end_line, end.end_col)
        wanted = usual.format(n=len(section.entries))
        found.append(make(TOC_ITEM_MALFORMED, f"this item has no count; the others write `{wanted}`", _abs(document, toc_index, item.span), fix=Fix(f"Add `{wanted}`", (Edit(at, " " + wanted),))))
        return
    shape = count_shape(item)
    if shape != usual:
        span = _abs(document, toc_index, item.count.span)
        wanted = usual.format(n=item.total.value)
        found.append(make(TOC_ITEM_MALFORMED, f"`{item.count.text}` should be `{wanted}`, as the other items write it", span, fix=replace_fix(f"Write `{wanted}`", span, wanted)))


def _insert_toc_item(document: Document, item: str, later: set) -> Fix:
    """Insert before the first item of a later section (no D105 after the fix), else append."""
    toc_index = document.toc.heading
    toc = document.blocks[toc_index]
    following = next((other for other in toc.toc_items if other.anchor.text in later), None)
    if following is not None:
        line = following.span.start_line + document.starts[toc_index]
        edit = Edit(Span(line, 0, line, 0), item + "\n")
    elif toc.toc_items:
        line = toc.toc_items[-1].span.start_line + document.starts[toc_index] + 1
        edit = Edit(Span(line, 0, line, 0), item + "\n")
    else:
        line = document.starts[toc_index] + 1
        edit = Edit(Span(line, 0, line, 0), "\n" + item + "\n")
    return Fix("Add the item to the table of contents", (edit,))


def _check_toc_order(document: Document, sections, found: list) -> None:
    toc_index = document.toc.heading
    toc = document.blocks[toc_index]
    order: dict[str, int] = {}
    for position, section in enumerate(sections):
        # A duplicated section (D107) keeps the place of its first occurrence.
        order.setdefault(section.category, position)
    items = [item for item in toc.toc_items if item.anchor.text in order]
    positions = [order[item.anchor.text] for item in items]
    if positions == sorted(positions):
        return
    fix = None
    all_items = toc.toc_items
    rows = [item.span.start_line for item in all_items]
    if len(items) == len(all_items) and rows == list(range(rows[0], rows[0] + len(rows))):
        base = document.starts[toc_index]
        lines = [document.lines[base + item.span.start_line] for item in sorted(items, key=lambda i: order[i.anchor.text])]
        region = Span(base + rows[0], 0, base + rows[-1], len(document.lines[base + rows[-1]]))
        fix = Fix("Reorder the items as the sections", (Edit(region, "\n".join(lines)),))
    span = _abs(document, toc_index, toc.span)
    found.append(make(TOC_ORDER, "the table of contents lists the sections in another order than the file", span, fix=fix))


def _listed_totals(document: Document) -> dict[int, int]:
    """The total the TOC gives each section (by heading block), where it gives one."""
    if document.toc is None:
        return {}
    sections = [section for section in document.sections if section.category is not None]
    by_key = _sections_by_key(document, sections)
    totals: dict[int, int] = {}
    for item in document.blocks[document.toc.heading].toc_items:
        section = _section_of_item(by_key, item)
        if section is not None and item.total is not None:
            totals[section.heading] = item.total.value
    return totals


def _check_sections(document: Document, config: Config, found: list) -> None:
    first_seen: dict[str, Span] = {}
    totals = None
    for section in document.sections:
        if section.category is None:
            continue
        heading_block: HeadingBlock = document.blocks[section.heading]
        heading = _abs(document, section.heading, heading_block.span)
        category = section.category
        if category in first_seen:
            found.append(
                make(SECTION_DUPLICATE,
                    f"section {category} appears twice (first at line {first_seen[category].start_line + 1})",
                    heading,
                    related=(Related(first_seen[category], f"first {category} section"),),
                )
            )
        else:
            first_seen[category] = heading
        if not section.entries:
            totals = _listed_totals(document) if totals is None else totals
            # A section the TOC still counts entries in has just lost them: D102 on its total says so, once.
            if not totals.get(section.heading):
                found.append(make(SECTION_EMPTY, f"section {category} has no entries", heading))
        _check_anchor(document, section, heading_block, heading, found)
        _check_category(category, _abs(document, section.heading, heading_block.category.span), config, None, found)
    if document.toc is not None:
        toc_index = document.toc.heading
        for item in document.blocks[toc_index].toc_items:
            if CATEGORY_SHAPE.match(item.category.text):
                _check_category(item.category.text, _abs(document, toc_index, item.category.span), config, None, found)


def _check_anchor(document: Document, section, heading_block: HeadingBlock, heading: Span, found: list) -> None:
    """D106 against the file's own convention: anchors where its sections have them, its back link's shape."""
    layout = document.layout
    category = section.category
    problems = []
    edits = []
    if layout.anchors and section.anchor is None:
        problems.append(f"no `<div id='{category}'></div>` anchor before the heading")
        if layout.upstream:
            edits.append(Edit(Span(heading.start_line, 0, heading.start_line, 0), f"<div id='{category}'></div>\n\n"))
    elif section.anchor is not None:
        anchor: AnchorBlock = document.blocks[section.anchor]
        if anchor.anchor.text != category and _slug(anchor.anchor.text) != _slug(category):
            problems.append(f"the anchor id is `{anchor.anchor.text}`, not `{category}`")
            edits.append(Edit(_abs(document, section.anchor, anchor.anchor.span), category))
    usual = layout.back_link
    written = heading_block.back_link.text if heading_block.back_link is not None else ""
    shape = back_link_shape(heading_block)
    named = heading_block.category.span.start_col > heading_block.title.span.start_col
    if usual is not None and shape != usual and not named:
        if not written:
            problems.append(f"no `{usual}` link")
        else:
            problems.append(f"the back link is `{written}`; the file's other sections write `{usual}`")
        if "{anchor}" not in usual:
            level = "#" * heading_block.level
            edits.append(Edit(heading, f"{level} {category} {usual}".rstrip()))
    if problems:
        fix = Fix("Repair the section anchor and back link", tuple(edits)) if edits else None
        found.append(make(SECTION_ANCHOR, f"section {category}: " + "; ".join(problems), heading, fix=fix))


def _check_category(code: str, span: Span, config: Config, paper, found: list, preferred: str | None = None) -> None:
    """D210; `preferred` (the enclosing section) leads the did-you-mean list when it is among the candidates."""
    allowed = config.allowed_categories
    if allowed and code not in allowed:
        found.append(make(CATEGORY_UNKNOWN, f"`{code}` is not one of the allowed categories ({', '.join(allowed)})", span, paper))
        return
    if taxonomy.is_known(code):
        return
    suggestions = taxonomy.suggest(code)
    if preferred in suggestions:
        suggestions = [preferred] + [other for other in suggestions if other != preferred]
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    found.append(make(CATEGORY_UNKNOWN, f"`{code}` is not an arXiv category{hint}", span, paper))


def _check_entries(document: Document, config: Config, found: list, old_memo: dict, memo: dict) -> None:
    # This pass runs after every keystroke over every entry: spans are shifted only for what is reported.
    blocks, starts = document.blocks, document.starts
    layout = document.layout
    first_by_id: dict[str, int] = {}
    needs_category = document.template in (Template.CURRENT, Template.TLDR) and (layout.upstream or "Main category" in layout.fields)
    known: dict[str, bool] = {}  # a digest has a few dozen categories and hundreds of entries
    misnumbered = [
        (expected, index)
        for expected, index in expected_numbers(document)
        if (number := blocks[index].heading.number) is None or number.value != expected
    ]
    for section in document.sections:
        for index in section.entries:
            entry: EntryBlock = blocks[index]
            start = starts[index]
            paper = entry.arxiv_id
            if paper is not None:
                # `math.GT/0309136` and `math/0309136` are one paper, as are two versions.
                key = paper if "/" not in paper else entry.heading.link.id.canonical
                first = first_by_id.get(key)
                if first is None:
                    first_by_id[key] = index
                else:
                    key = (DUPLICATE_PAPER.code, id(entry), start, id(blocks[first]), starts[first])
                    reused = old_memo.get(key)
                    if reused is not None and reused[0] is entry and reused[1] is blocks[first]:
                        diagnostic = reused[2]
                    else:
                        first_span = blocks[first].heading.url.span.shifted(starts[first])
                        diagnostic = make(DUPLICATE_PAPER,
                            f"{paper} is already listed in this file (line {first_span.start_line + 1})",
                            entry.heading.url.span.shifted(start),
                            paper,
                            related=(Related(first_span, f"first entry for {paper}"),),
                        )
                    memo[key] = (entry, blocks[first], diagnostic)
                    found.append(diagnostic)
            category = entry.category
            if category is None:
                if needs_category:
                    heading = entry.heading.span.shifted(start)
                    found.append(_missing_category(entry, start, section.category, paper, heading))
                continue
            value = category.value
            mismatch = section.category is not None and value != section.category
            if value and value not in known:
                known[value] = taxonomy.is_known(value)
            if mismatch or (value and (config.allowed_categories or not known[value])):
                value_span = category.value_span.shifted(start)
                if value:
                    _check_category(value, value_span, config, paper, found, section.category)
                if mismatch:
                    found.append(
                        make(CATEGORY_MISMATCH,
                            f"main category {value or '(empty)'} differs from the section {section.category}",
                            value_span,
                            paper,
                        )
                    )
    _report_numbering(document, misnumbered, found)


def _report_numbering(document: Document, misnumbered: list[tuple[int, int]], found: list) -> None:
    """One D202 per run of entries numbered off by the same amount, carrying the renumbering of the whole run.

    Deleting an entry leaves every later one a number too high: that is one mistake, one diagnostic.
    """
    blocks, starts = document.blocks, document.starts
    runs: list[list[tuple[int, int]]] = []
    previous = None
    for expected, index in misnumbered:
        number = blocks[index].heading.number
        offset = None if number is None else number.value - expected
        if previous is not None and previous[0] == offset and previous[1] + 1 == expected and runs:
            runs[-1].append((expected, index))
        else:
            runs.append([(expected, index)])
        previous = (offset, expected)
    for run in runs:
        edits = [number_edit(document, index, expected) for expected, index in run]
        first_expected, first_index = run[0]
        first_entry: EntryBlock = blocks[first_index]
        first_start = starts[first_index]
        number = first_entry.heading.number
        span = number.span.shifted(first_start) if number is not None else first_entry.heading.span.shifted(first_start)
        last_expected = run[-1][0]
        message = _numbering_message(first_entry, number, first_expected, last_expected, len(run))
        related = tuple(
            Related(edit.range, f"entry [{expected}]") for (expected, _), edit in zip(run[1:], edits[1:])
        )
        what = f"Renumber to [{first_expected}]" if len(run) == 1 else f"Renumber entries [{first_expected}]-[{last_expected}]"
        found.append(make(NUMBERING, message, span, first_entry.arxiv_id, Fix(what, tuple(edits)), related))


_HOW_FAR = {1: "one", 2: "two", 3: "three"}


def _numbering_message(entry: EntryBlock, number, first_expected: int, last_expected: int, length: int) -> str:
    if number is None:
        return f"entry has no number; expected [{first_expected}]" if length == 1 else f"entries [{first_expected}]-[{last_expected}] have no number"
    if length == 1:
        return f"entry [{number.value}] should be [{first_expected}]"
    offset = number.value - first_expected
    amount = _HOW_FAR.get(abs(offset), str(abs(offset)))
    direction = "too high" if offset > 0 else "too low"
    return (
        f"entries [{number.value}]-[{number.value + length - 1}] are numbered {amount} {direction}: "
        f"they should be [{first_expected}]-[{last_expected}]"
    )


def _missing_category(entry: EntryBlock, start: int, section_category, paper, heading: Span):
    fix = None
    if section_category is not None:
        after = entry.authors.span.end_line if entry.authors else 0
        # One blank line on each side of the new field, whatever blank lines are already there:
        # the line goes after the first blank row (left by a deleted field) or opens one itself.
        later = [span.start_line for span in _entry_parts(entry) if span.start_line > after]
        blank_rows = (min(later) if later else entry.line_count) - after - 1
        line = start + after + 1
        if blank_rows >= 2:
            text = f"Main category: {section_category}\n"
            line += 1
        elif blank_rows == 1:
            text = f"\nMain category: {section_category}\n"
        else:
            text = f"\nMain category: {section_category}\n\n"
        fix = Fix(f"Insert `Main category: {section_category}`", (Edit(Span(line, 0, line, 0), text),))
    return make(CATEGORY_MISSING, "the entry has no `Main category:` line", heading, paper, fix)


def _entry_parts(entry: EntryBlock):
    """The spans of everything written in an entry below its heading (relative rows)."""
    yield from (field.span for field in entry.fields)
    if entry.details is not None:
        yield entry.details.open
    yield from (text.span for text in entry.stray)
    yield from (comment.span for comment in entry.comments)


def _check_majorities(document: Document, facts: dict[int, tuple], found: list) -> None:
    entry_facts_in_order = [facts[index] for index in document.entries]
    separators = Counter(separator for separator, _ in entry_facts_in_order if separator in (",", ", "))
    scripts = Counter(script for _, script in entry_facts_in_order if script)
    # With no consistent entry to learn from, the generator's `,` is the norm (so a lone mixed list is reported).
    usual_separator = separators.most_common(1)[0][0] if separators else ","
    usual_script = None
    if sum(scripts.values()) >= 3:
        script, count = scripts.most_common(1)[0]
        if count * 2 > sum(scripts.values()):
            usual_script = script
    for index, (separator, script) in zip(document.entries, entry_facts_in_order):
        if not (separator and separator != usual_separator) and not (usual_script and script and script != usual_script):
            continue
        entry: EntryBlock = document.blocks[index]
        start = document.starts[index]
        if usual_separator and separator and separator != usual_separator:
            span = entry.authors.span.shifted(start)
            kept = repaired_names(entry.authors.names)
            repaired = "*" + usual_separator.join(kept) + "*"
            shown = "mixed separators" if separator == "mixed" else f"`{separator}`"
            found.append(
                make(AUTHORS_MALFORMED,
                    f"authors separated by {shown}, the rest of the file uses `{usual_separator}`",
                    span,
                    entry.arxiv_id,
                    replace_fix(f"Separate with `{usual_separator}`", span, repaired),
                )
            )
        if usual_script and script and script != usual_script:
            span = entry.tldr.value_span.shifted(start)
            found.append(
                make(SUMMARY_LANGUAGE, f"TL;DR written in {script} script; the file's other TL;DRs are in {usual_script}", span, entry.arxiv_id)
            )


def entry_facts(entry: EntryBlock) -> tuple:
    tldr = entry.tldr
    return separator_style(entry), (dominant_script(tldr.value) if tldr is not None else None)


_SCRIPT_RANGES = (
    ("Han", "\u3400-\u4dbf\u4e00-\u9fff"),
    ("Japanese", "\u3040-\u30ff"),
    ("Hangul", "\u1100-\u11ff\uac00-\ud7af"),
    ("Cyrillic", "\u0400-\u04ff"),
    ("Arabic", "\u0600-\u06ff"),
    ("Devanagari", "\u0900-\u097f"),
)
# Runs, not single characters: counting the characters of a Chinese summary takes a few matches, not hundreds.
_SCRIPTS = tuple((name, re.compile(f"[{ranges}]+")) for name, ranges in _SCRIPT_RANGES)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
# Each scan costs its length whatever it finds, and a summary is Han, Latin or both nearly always: one
# scan for every other script at once says whether they need counting.
_NOT_HAN = re.compile("[" + "".join(ranges for name, ranges in _SCRIPT_RANGES if name != "Han") + "]")


def _characters(pattern: re.Pattern, text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def dominant_script(text: str) -> str | None:
    sample = text[:400]
    others = _NOT_HAN.search(sample) is not None
    counts = {name: _characters(pattern, sample) if others or name == "Han" else 0 for name, pattern in _SCRIPTS}
    latin = _characters(_LATIN, sample)
    if counts["Japanese"] * 10 >= counts["Han"] > 0 or (counts["Japanese"] and not counts["Han"]):
        # Japanese prose mixes kana with kanji; Chinese never writes kana.
        counts["Japanese"] += counts["Han"]
        counts["Han"] = 0
    other = max(counts, key=counts.__getitem__)
    # Chinese summaries are full of Latin model names: a fifth of the letters in another script decides.
    if counts[other] and counts[other] * 4 >= latin:
        return other
    return "Latin" if latin else None


def _check_final_newline(document: Document, found: list) -> None:
    last = len(document.lines) - 1
    if last >= 0 and document.lines[last] != "":
        end = Span(last, len(document.lines[last]), last, len(document.lines[last]))
        # "\n": applying edits turns it into the file's own terminator.
        # Older generator eras end without one: adding it is a change to a generated file, for a person to choose.
        found.append(make(WHITESPACE, "no newline at the end of the file", end, fix=Fix("Add a final newline", (Edit(end, "\n"),), safe=False)))
