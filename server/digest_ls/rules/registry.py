"""The one rule registry: code, name, default severity, message, fixability and documentation.

The CLI (`--select`, `--ignore`, `rules`), the server (diagnostic codes,
hover on suppression comments) and the generated rules reference all read
this table; nothing else defines a rule.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..diagnostics import Severity

E, W, I, H = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT
# The rules that hold whatever a digest's layout: they run even on a layout the engine does not know.
_FORMAT = frozenset({"D101", "D102", "D103", "D104", "D105", "D106", "D202", "D304"})
_UNNECESSARY = frozenset({"D001"})
_LAYOUT_INDEPENDENT = frozenset({"D001", "D002", "D111", "D203", "D205", "D301", "D302", "D305", "D401", "D402"})


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: what is wrong
    fix: str | None  # what the fix does, None when there is no mechanical fix
    scope: str  # "document", "entry" or "workspace"
    why: str
    bad: str
    good: str
    unsafe_fix: str | None = None  # why the fix needs a person afterwards (it is then not applied by `--fix` alone)

    @property
    def layout_independent(self) -> bool:
        """Whether the rule means the same in every layout (ids, duplicates, placeholders, characters)."""
        return self.code in _LAYOUT_INDEPENDENT

    @property
    def formats(self) -> bool:
        """Whether `digest-ls format` applies the rule's fix: the table of contents, sections and numbering."""
        return self.code in _FORMAT

    @property
    def unnecessary(self) -> bool:
        """Whether editors show the finding faded: text that does nothing."""
        return self.code in _UNNECESSARY

    @property
    def fixable(self) -> bool:
        return self.fix is not None


def _rule(code, name, severity, summary, fix, scope, why, bad, good, unsafe_fix=None) -> Rule:
    return Rule(code, name, severity, summary, fix, scope, why, bad.strip("\n"), good.strip("\n"), unsafe_fix)


_ENTRY = """### [1] [A Paper](https://arxiv.org/abs/2501.00001)
*Ada Lovelace,Alan Turing*

Main category: cs.DC

TL;DR: One sentence.
"""

# Each rule is a constant named after it: call sites say which rule, and only this table knows its code.
UNUSED_SUPPRESSION = _rule("D001", "unused-suppression", H, "a suppression comment that suppresses nothing", None, "document",
          "A stale `digest-ls: disable` comment hides the next real problem of that kind.",
          "<!-- digest-ls: disable D301 -->  (no placeholder follows)",
          "(remove the comment)")
INVALID_SUPPRESSION = _rule("D002", "invalid-suppression", W, "a `digest-ls:` comment whose directive or rule is not understood", None, "document",
          "A misspelt directive or rule is an ordinary comment: what it was meant to suppress is still reported, and nothing said why.",
          "<!-- digest-ls: disabel D204 -->\n<!-- digest-ls: disable D999 -->",
          "<!-- digest-ls: disable D204 -->")
TOC_MISSING = _rule("D101", "toc-missing", W, "the file has category sections but no table of contents", "insert the table of contents", "document",
          "Readers jump through the digest from its table of contents; the generator always writes one.",
          "<div id='cs.DC'></div>\n\n# cs.DC [[Back]](#toc)",
          "<div id=toc></div>\n\n# Table of Contents\n\n- [cs.DC](#cs.DC) [Total: 1]\n\n\n<div id='cs.DC'></div>")
TOC_TOTAL_MISMATCH = _rule("D102", "toc-total-mismatch", E, "`[Total: N]` differs from the number of entries in the section", "set N to the count", "document",
          "Totals drift when entries are added, moved or deleted by hand.",
          "- [cs.DC](#cs.DC) [Total: 3]   (the section has 2 entries)",
          "- [cs.DC](#cs.DC) [Total: 2]")
TOC_DANGLING_ITEM = _rule("D103", "toc-dangling-item", E, "a table-of-contents item points at no section", "remove the item", "document",
          "The link leads nowhere once its section is gone or renamed.",
          "- [cs.XX](#cs.XX) [Total: 1]   (no cs.XX section)",
          "(remove the item)")
TOC_MISSING_ITEM = _rule("D104", "toc-missing-item", W, "a section is not listed in the table of contents", "add the item", "document",
          "A section missing from the table of contents is easy to overlook.",
          "# Table of Contents\n\n- [cs.PL](#cs.PL) [Total: 1]   (a cs.DC section follows too)",
          "- [cs.PL](#cs.PL) [Total: 1]\n- [cs.DC](#cs.DC) [Total: 4]")
TOC_ORDER = _rule("D105", "toc-order", I, "the table of contents lists the sections in another order than the file", "reorder the items", "document",
          "The table of contents reads best in the order of the sections it lists.",
          "- [cs.DC](#cs.DC) ...\n- [cs.PL](#cs.PL) ...   (cs.PL comes first in the file)",
          "- [cs.PL](#cs.PL) ...\n- [cs.DC](#cs.DC) ...")
SECTION_ANCHOR = _rule("D106", "section-anchor", W, "a section's `<div id='CAT'>` anchor or `[[Back]](#toc)` link is missing or wrong", "repair the anchor and back link", "document",
          "Table-of-contents links jump to the anchor, and the back link returns to the table of contents.",
          "<div id='cs.PL'></div>\n\n# cs.DC [[Back]](#toc)",
          "<div id='cs.DC'></div>\n\n# cs.DC [[Back]](#toc)")
SECTION_DUPLICATE = _rule("D107", "section-duplicate", E, "a category section appears twice", None, "document",
          "Two sections of one category split its papers and break the anchor links.",
          "# cs.DC [[Back]](#toc)\n...\n# cs.DC [[Back]](#toc)",
          "(merge the two sections)")
SECTION_EMPTY = _rule("D108", "section-empty", I, "a section has no entries", None, "document",
          "An empty section (often `[Total: 0]`) adds noise to the table of contents.",
          "# cs.AR [[Back]](#toc)\n\n(no entry)",
          "(remove the section and its item)")
LEGACY_TEMPLATE = _rule("D109", "legacy-template", I, "the file follows an older template of the generator", None, "document",
          "Older templates lack fields that tools and readers now expect (sections, `Main category:`, `TL;DR:`).",
          "TLDR: ...   or   Task: ...",
          "TL;DR: ...")
TOC_ITEM_MALFORMED = _rule("D110", "toc-item-malformed", W, "a table-of-contents item writes its count unlike the file's other items", "write the count as the other items do", "document",
          "A mistyped count (`[Total 88]`) is not read as a count, so the total is never checked again.",
          "- [cs.CL](#cs.CL) [Total 88]",
          "- [cs.CL](#cs.CL) [Total: 88]")
LAYOUT_UNKNOWN = _rule("D111", "layout-unknown", I, "the file's layout is not one the engine fully knows", None, "document",
          "Layout rules and their fixes would \"repair\" a layout into another; only the rules every layout shares run.",
          "(a digest whose entries hold text in places no known layout puts any)",
          "(a known layout, or the layout-independent rules only)")
HEADING_MALFORMED = _rule("D201", "heading-malformed", E, "a line meant as an entry heading is not a well-formed one", "write the heading as the template does", "entry",
          "Entry headings are how the digest, its outline and every tool find the papers.",
          "### [3] A Paper (https://arxiv.org/abs/2501.00001)",
          "### [3] [A Paper](https://arxiv.org/abs/2501.00001)")
NUMBERING = _rule("D202", "numbering", W, "entry numbers are not 1..N in document order", "renumber the entries", "document",
          "Numbers count the papers over the whole file; gaps and repeats appear when entries are moved by hand.",
          "### [1] ...\n### [3] ...",
          "### [1] ...\n### [2] ...")
ARXIV_ID_INVALID = _rule("D203", "arxiv-id-invalid", E, "the entry link is not an arXiv link or its id is malformed", None, "entry",
          "Every entry must lead to its paper; a malformed id leads nowhere.",
          "### [1] [A Paper](https://arxiv.org/abs/2513.00001)",
          "### [1] [A Paper](https://arxiv.org/abs/2501.00001)")
ARXIV_LINK_STYLE = _rule("D204", "arxiv-link-style", H, "the link is not the canonical `https://arxiv.org/abs/ID` form", "normalise the link", "entry",
          "One canonical form keeps links comparable and always shows the latest version.",
          "### [1] [A Paper](http://arxiv.org/pdf/2501.00001v2)",
          "### [1] [A Paper](https://arxiv.org/abs/2501.00001)")
DUPLICATE_PAPER = _rule("D205", "duplicate-paper", W, "the same arXiv id appears earlier in the file", None, "document",
          "A paper listed twice inflates the counts and wastes the reader's time.",
          "### [1] [A](https://arxiv.org/abs/2501.00001)\n...\n### [7] [A](https://arxiv.org/abs/2501.00001)",
          "(keep one entry)")
AUTHORS_MISSING = _rule("D206", "authors-missing", E, "the entry has no author line", None, "entry",
          "Readers scan the authors; completion and hover index them.",
          "### [1] [A Paper](https://arxiv.org/abs/2501.00001)\n\nMain category: cs.DC",
          "### [1] [A Paper](https://arxiv.org/abs/2501.00001)\n*Ada Lovelace*")
AUTHORS_MALFORMED = _rule("D207", "authors-malformed", W, "the author list has an empty name, a `:` name, stray spaces or a separator unlike the rest of the file", "repair the author list", "document",
          "A broken list splits or merges names, which then fail to match across digests.",
          "*Ada Lovelace,,Alan Turing ,*",
          "*Ada Lovelace,Alan Turing*")
CATEGORY_MISSING = _rule("D208", "category-missing", E, "no `Main category:` line where the template has one", "insert the section's category", "entry",
          "The main category ties the entry to its section.",
          _ENTRY.replace("Main category: cs.DC\n\n", ""),
          _ENTRY)
CATEGORY_MISMATCH = _rule("D209", "category-mismatch", E, "the main category differs from the enclosing section", None, "document",
          "An entry under the wrong section is usually one moved by hand to the wrong place.",
          "# cs.PL [[Back]](#toc)\n...\nMain category: cs.DC",
          "# cs.DC [[Back]](#toc)\n...\nMain category: cs.DC")
CATEGORY_UNKNOWN = _rule("D210", "category-unknown", W, "the category is not an arXiv category", None, "document",
          "Only arXiv's taxonomy has listings to link to; a typo breaks anchors and counts.",
          "Main category: cs.DCC",
          "Main category: cs.DC")
TLDR_MISSING = _rule("D211", "tldr-missing", E, "the entry has no TL;DR", None, "entry",
          "The TL;DR is what readers of a digest read first.",
          _ENTRY.replace("TL;DR: One sentence.\n", ""),
          _ENTRY)
DETAILS_MISSING = _rule("D212", "details-missing", E, "the entry has no `<details>` block", None, "entry",
          "The details block holds the summary fields and the abstract.",
          "TL;DR: One sentence.\n\n### [2] ...",
          "TL;DR: One sentence.\n\n<details>\n  <summary>Details</summary>\n...\n</details>")
DETAILS_UNCLOSED = _rule("D213", "details-unclosed", E, "the `<details>` block is never closed", "close the block", "entry",
          "An unclosed block folds everything after it into this entry when rendered.",
          "<details>\n  <summary>Details</summary>\nAbstract: ...\n\n### [2] ...",
          "<details>\n  <summary>Details</summary>\nAbstract: ...\n\n</details>\n\n### [2] ...")
FIELD_MISSING = _rule("D214", "field-missing", E, "a required field (Motivation, Method, Result, Conclusion, Abstract) is missing", "insert the empty field", "entry",
          "Every entry of a digest carries the same fields; a missing one is usually lost in an edit.",
          "<details>\n  <summary>Details</summary>\nMotivation: ...\n\nAbstract: ...\n</details>",
          "Motivation: ...\n\nMethod: ...\n\nResult: ...\n\nConclusion: ...\n\nAbstract: ...",
          unsafe_fix="unsafe: the field it inserts is empty and still needs its text (D215 reports it until it has one)")
FIELD_EMPTY = _rule("D215", "field-empty", W, "a field has no value", None, "entry",
          "An empty field is a failed summary or an unfinished edit.",
          "Method:",
          "Method: A two-stage pipeline.")
FIELD_DUPLICATE = _rule("D216", "field-duplicate", W, "a field appears twice in one entry", None, "entry",
          "Only one of the two values is what the reader expects.",
          "Method: A.\n\nMethod: B.",
          "Method: A.")
FIELD_ORDER = _rule("D217", "field-order", I, "fields are not in the template's order", None, "entry",
          "Readers expect Motivation, Method, Result, Conclusion, then Abstract.",
          "Result: ...\n\nMethod: ...",
          "Method: ...\n\nResult: ...")
STRAY_TEXT = _rule("D218", "stray-text", W, "text inside an entry that belongs to no field", None, "entry",
          "Text outside every field is not shown where readers expect and is often a pasting accident.",
          "*Ada Lovelace*\nsome text\n\nMain category: cs.DC",
          "*Ada Lovelace*\n\nMain category: cs.DC")
LABEL_MALFORMED = _rule("D219", "label-malformed", W, "a field label is misspelt or lacks its colon", "write the label as the template does", "entry",
          "A label the generator's readers do not recognise folds its text into the field before it.",
          "TL;DR One sentence.\n\nMotivaton: Why.",
          "TL;DR: One sentence.\n\nMotivation: Why.")
TAG_MALFORMED = _rule("D220", "tag-malformed", E, "a `<details>`, `</details>` or `<summary>` tag is misspelt", "write the tag correctly", "entry",
          "A misspelt tag is shown as text and leaves the block unfolded or never closed.",
          "<detail>\n  <summary>Details</summary>\n...\n</detail>",
          "<details>\n  <summary>Details</summary>\n...\n</details>")
HEADING_IN_ENTRY = _rule("D221", "heading-in-entry", W, "a heading line inside an entry's text", "escape the `#`", "entry",
          "A pasted `# Title` line renders as a heading in the middle of the entry.",
          "Abstract: We study ...\n# Results\nWe find ...",
          "Abstract: We study ...\n\\# Results\nWe find ...")
FENCE_UNCLOSED = _rule("D222", "fence-unclosed", W, "a fenced code block in an entry is not closed before the entry ends", None, "entry",
          "On the rendered page everything up to the next fence line, the following entries included, is shown as code.",
          "Abstract: We give the listing\n```\nfor x in xs: ...\n\n### [2] ...",
          "Abstract: We give the listing\n```\nfor x in xs: ...\n```\n\n### [2] ...")
PLACEHOLDER = _rule("D301", "placeholder", W, "a value is a failed-summary placeholder", None, "entry",
          "The generator leaves fallbacks (`Summary generation failed`, `Error`, `N/A`, refusals) when summarising fails.",
          "Method: Method extraction failed",
          "Method: A two-stage pipeline.")
CONTROL_CHARACTER = _rule("D302", "control-character", W, "the text holds C0 control characters", None, "entry",
          "Control characters are LaTeX escapes eaten as JSON escapes (`\\frac` becomes a form feed and `rac`).",
          "Abstract: the \\x0crac{a}{b} ratio",
          "Abstract: the \\frac{a}{b} ratio")
SUMMARY_LANGUAGE = _rule("D303", "summary-language", I, "the TL;DR is written in another script than the file's other TL;DRs", None, "document",
          "A digest is written for readers of one language; a summary in another is a failed run.",
          "TL;DR: An English summary.   (the others are Chinese)",
          "TL;DR: 一句中文摘要。")
WHITESPACE = _rule("D304", "whitespace", H, "trailing spaces, tabs, invisible characters or no final newline", "remove them", "document",
          "Invisible characters break searching and diffs.",
          "Method: A pipeline.   \u2423\u2423",
          "Method: A pipeline.",
          unsafe_fix="removing invisible characters and adding the final newline are unsafe: they change the text, and a joiner may be meant")
SWALLOWED_HTML = _rule("D305", "swallowed-html", W, "text that Markdown reads as HTML, so the rendered page drops it (`<think>`) or shows a heading as plain text", "escape the tag or insert a blank line", "entry",
          "Summaries quote model tokens such as `<think>` and `<answer>`; a renderer takes them for HTML tags and drops them, so the sentence loses its subject. "
          "An HTML block such as `</details>` runs to the next blank line, taking in a heading written right below it.",
          "TL;DR: A forced <think> prefix improves spatial reasoning.\n...\n</details>\n### [2] [A Paper](https://arxiv.org/abs/2501.00002)",
          "TL;DR: A forced `<think>` prefix improves spatial reasoning.\n...\n</details>\n\n### [2] [A Paper](https://arxiv.org/abs/2501.00002)",
          unsafe_fix="escaping a tag is unsafe: it rewrites a title or summary; the blank line before a heading is safe")
SEEN_BEFORE = _rule("D401", "seen-before", I, "the paper is already listed in another digest of the workspace", None, "workspace",
          "A third of all entries repeat a paper from a previous day.",
          "(the same arXiv id in 2026-01-03.md and 2026-01-04.md)",
          "(list each paper once)")
AUTHOR_VARIANT = _rule("D402", "author-variant", H, "an author's name is spelled differently from a more frequent spelling in the workspace", None, "workspace",
          "Variant spellings split an author's papers in search and completion.",
          "*Jose Garcia*   (elsewhere: José García)",
          "*José García*")

RULES_LIST = [
    UNUSED_SUPPRESSION,
    INVALID_SUPPRESSION,
    TOC_MISSING,
    TOC_TOTAL_MISMATCH,
    TOC_DANGLING_ITEM,
    TOC_MISSING_ITEM,
    TOC_ORDER,
    SECTION_ANCHOR,
    SECTION_DUPLICATE,
    SECTION_EMPTY,
    LEGACY_TEMPLATE,
    TOC_ITEM_MALFORMED,
    LAYOUT_UNKNOWN,
    HEADING_MALFORMED,
    NUMBERING,
    ARXIV_ID_INVALID,
    ARXIV_LINK_STYLE,
    DUPLICATE_PAPER,
    AUTHORS_MISSING,
    AUTHORS_MALFORMED,
    CATEGORY_MISSING,
    CATEGORY_MISMATCH,
    CATEGORY_UNKNOWN,
    TLDR_MISSING,
    DETAILS_MISSING,
    DETAILS_UNCLOSED,
    FIELD_MISSING,
    FIELD_EMPTY,
    FIELD_DUPLICATE,
    FIELD_ORDER,
    STRAY_TEXT,
    LABEL_MALFORMED,
    TAG_MALFORMED,
    HEADING_IN_ENTRY,
    FENCE_UNCLOSED,
    PLACEHOLDER,
    CONTROL_CHARACTER,
    SUMMARY_LANGUAGE,
    WHITESPACE,
    SWALLOWED_HTML,
    SEEN_BEFORE,
    AUTHOR_VARIANT,
]

RULES: dict[str, Rule] = {rule.code: rule for rule in RULES_LIST}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES_LIST}


def matches(code: str, patterns) -> bool:
    """Whether a code is selected by any of the codes or prefixes (`D2`, `D205`, `ALL`)."""
    return any(pattern == "ALL" or code.startswith(pattern) for pattern in patterns)


def enabled_codes(select, ignore) -> frozenset[str]:
    """Codes left after `select` (empty: all) and `ignore`; the longer match wins, as in ruff."""
    enabled = set()
    for code in RULES:
        chosen = [pattern for pattern in select if pattern == "ALL" or code.startswith(pattern)] if select else ["ALL"]
        dropped = [pattern for pattern in ignore if pattern == "ALL" or code.startswith(pattern)]
        if not chosen:
            continue
        best_select = max(len(p) if p != "ALL" else 0 for p in chosen)
        best_ignore = max((len(p) if p != "ALL" else 0 for p in dropped), default=-1)
        if best_select > best_ignore:
            enabled.add(code)
    return frozenset(enabled)


def closest(word: str) -> str | None:
    """The rule code or name nearest a misspelt one (`D2O5`, `duplicate-papers`), for "did you mean" hints."""
    matches = difflib.get_close_matches(word.upper(), list(RULES), n=1)
    return (matches or difflib.get_close_matches(word.lower(), list(RULES_BY_NAME), n=1) or [None])[0]
