"""Which layout a digest follows: the conventions read off the file itself.

The generator and its forks differ in the table of contents, the section
headings and anchors, the numbering, the link form, the author separator,
the label markup and the field set. Each is read here by a majority over the
file, so one hand edit never changes what the file is taken to be, and the
layout rules check an entry against its own file's conventions rather than
the upstream template. A layout is *known* when the parser could place what
the file holds; only then do structural rules and fixes apply.

Computed in `assemble` after every edit: one pass over the entries, a few
attribute reads each.
"""

from __future__ import annotations

from collections import Counter

from ..model import EntryBlock, HeadingBlock, Layout, Template

UPSTREAM_FIELDS = frozenset({"Main category", "TL;DR", "Motivation", "Method", "Result", "Conclusion", "Abstract"})
_TEMPLATE_NAMES = {
    Template.TLDR: "upstream `TLDR:` era",
    Template.TASK: "upstream `Task:` era",
    Template.ABSTRACT_ONLY: "upstream abstract-only era",
}
CANONICAL_LINK = ("https", "abs", False)  # (scheme, kind, versioned) of `https://arxiv.org/abs/ID`
# Share of entries holding text the parser could not place above which the layout is not known.
_UNPLACED_LIMIT = 0.1


def detect_layout(blocks, starts, toc, sections, entries, template: Template) -> Layout:
    entry_blocks: list[EntryBlock] = [blocks[index] for index in entries]
    count = len(entry_blocks)
    half = count / 2
    labels: Counter = Counter()
    bold = quoted = unplaced = with_details = 0
    link_forms: Counter = Counter()
    for entry in entry_blocks:
        labels.update({field.label for field in entry.fields})
        if entry.details is not None:
            with_details += 1
        if entry.stray:
            unplaced += 1
        tldr = entry.tldr
        if tldr is not None:
            written = tldr.label_text.text
            bold += written.startswith("**")
            quoted += written.startswith(">")
        link = entry.heading.link
        if link is not None and link.id is not None:
            link_forms[(link.scheme, link.kind, link.id.version is not None)] += 1
    fields = frozenset(label for label, seen in labels.items() if seen >= half and seen)
    numbering = _numbering(blocks, sections)
    named_sections = [section for section in sections if section.category is not None]
    headings = [blocks[section.heading] for section in named_sections]
    section_level = _usual(Counter(heading.level for heading in headings), 1)
    anchored = sum(section.anchor is not None for section in named_sections)
    anchors = bool(named_sections) and anchored * 2 >= len(named_sections)
    back_link = _usual(Counter(back_link_shape(heading) for heading in headings), "[[Back]](#toc)")
    toc_block: HeadingBlock | None = blocks[toc.heading] if toc is not None else None
    count_shapes = Counter(count_shape(item) for item in toc_block.toc_items) if toc_block is not None else Counter()
    usual_count = _usual(count_shapes, "[Total: {n}]")
    link_form = _usual(link_forms, CANONICAL_LINK) or CANONICAL_LINK
    label_style = "bold" if bold > half else "quoted" if quoted > half else "plain"
    upstream_toc = (
        toc is not None
        and toc.anchor is not None
        and toc_block.level == 1
        and toc_block.title.text == "Table of Contents"
        and usual_count in ("[Total: {n}]", None)
    )
    differences = []
    if toc is not None and not upstream_toc:
        differences.append(f"table of contents `{'#' * toc_block.level} {toc_block.title.text}`")
    if section_level not in (None, 1):
        differences.append(f"level-{section_level} sections")
    if named_sections and not anchors:
        differences.append("sections without anchors")
    if back_link not in (None, "[[Back]](#toc)"):
        differences.append("sections without a back link" if back_link == "" else f"back links `{back_link}`")
    if numbering != "global" and count:
        differences.append("numbering per section" if numbering == "per-section" else "unnumbered entries")
    if label_style != "plain":
        differences.append(f"{label_style} labels")
    if link_form != CANONICAL_LINK:
        scheme, kind, has_version = link_form
        differences.append(f"{scheme}://…/{kind}/ links" + (" with versions" if has_version else ""))
    extra = sorted(fields - UPSTREAM_FIELDS - {"Task", "Categories"})
    if extra:
        differences.append("extra fields " + ", ".join(extra))
    if count and with_details < half and differences:
        # Alone, missing details blocks are an unfinished upstream digest (D212), not another layout.
        differences.append("no details block")
    # Stray text in an upstream digest is a hand edit to report; in a fork it may be a part of its layout.
    known = not count or not differences or template in _TEMPLATE_NAMES or unplaced <= _UNPLACED_LIMIT * count
    if template in _TEMPLATE_NAMES:
        name = _TEMPLATE_NAMES[template]
    elif not differences:
        name = "upstream"
    else:
        name = "fork: " + "; ".join(differences)
    return Layout(
        name=name,
        known=known,
        upstream=name == "upstream" or template in _TEMPLATE_NAMES,
        numbering=numbering,
        section_level=section_level,
        anchors=anchors,
        back_link=back_link,
        count_shape=usual_count,
        link_form=link_form,
        label_style=label_style,
        fields=fields,
        has_details=with_details >= half,
    )


def _usual(counts: Counter, upstream):
    """The file's convention: its most common value, unless that only ties with upstream's (a hand edit)."""
    if not counts:
        return None
    value, seen = counts.most_common(1)[0]
    return upstream if value != upstream and seen <= counts[upstream] else value


def _numbering(blocks, sections) -> str:
    """"global" (1..N over the file), "per-section" (1.. again in every section) or "none"."""
    numbered = restarts = later_sections = 0
    for position, section in enumerate(sections):
        if not section.entries:
            continue
        first = blocks[section.entries[0]].heading.number
        numbered += sum(blocks[index].heading.number is not None for index in section.entries[:1])
        if position and first is not None:
            later_sections += 1
            restarts += first.value == 1
    if not numbered:
        return "none"
    return "per-section" if later_sections and restarts * 2 > later_sections else "global"


def back_link_shape(heading: HeadingBlock) -> str:
    """The back link with its target kept (`[[Back]](#toc)`); "" when there is none."""
    if heading.back_link is None:
        return ""
    target = heading.back_target.text if heading.back_target is not None else ""
    text = heading.back_link.text
    # A link back to the section's own anchor (`[⬆️ 返回分类顶部](#cscr)`) differs per section; its shape does not.
    return text.replace(f"#{target})", "#{anchor})") if target and target != "toc" else text


def count_shape(item) -> str | None:
    """`[Total: 11]` -> `[Total: {n}]`; None when the item has no count."""
    if item.count is None:
        return None
    return item.count.text.replace(str(item.total.value), "{n}", 1)


__all__ = ["detect_layout", "back_link_shape", "count_shape", "CANONICAL_LINK", "UPSTREAM_FIELDS"]
