"""`digest-ls outline`: the document model as JSON or an indented text tree."""

from __future__ import annotations

from .model import Document, EntryBlock

_NOT_FIELDS = ("Main category", "TL;DR")


def entry_json(document: Document, index: int) -> dict:
    entry: EntryBlock = document.blocks[index]
    start = document.starts[index]
    heading = entry.heading
    link = heading.link
    fields: dict[str, str] = {}
    for field in entry.fields:
        if field.label not in _NOT_FIELDS:
            fields.setdefault(field.label, field.value)
    category = entry.category
    tldr = entry.tldr
    return {
        "number": heading.number.value if heading.number else None,
        "arxiv_id": link.id.base if link and link.id else None,
        "version": link.id.version if link and link.id else None,
        "url": heading.url.text if heading.url else None,
        "title": heading.title.text if heading.title else None,
        "authors": [name.text for name in entry.authors.names] if entry.authors else [],
        "category": category.value if category else None,
        "tldr": tldr.value if tldr else None,
        "fields": fields,
        "row": start + 1,
        "end_row": start + entry.last_text_line + 1,
    }


def outline_json(document: Document, filename: str) -> dict:
    toc = []
    sections = []
    if document.is_digest:
        if document.toc is not None:
            toc_index = document.toc.heading
            base = document.starts[toc_index]
            for item in document.blocks[toc_index].toc_items:
                toc.append(
                    {
                        "category": item.category.text,
                        "total": item.total.value if item.total else None,
                        "row": base + item.span.start_line + 1,
                    }
                )
        for section in document.sections:
            row = document.starts[section.heading] + 1 if section.heading is not None else None
            sections.append(
                {
                    "category": section.category,
                    "row": row,
                    "entries": [entry_json(document, index) for index in section.entries],
                }
            )
    return {
        "filename": filename,
        "is_digest": document.is_digest,
        "template": document.template.value,
        "layout": {"name": document.layout.name, "known": document.layout.known} if document.is_digest else None,
        "toc": toc,
        "sections": sections,
    }


def outline_text(document: Document, filename: str) -> str:
    data = outline_json(document, filename)
    kind = f"digest, layout {data['layout']['name']}" if data["is_digest"] else "not a digest"
    out = [f"{filename}: {kind} ({data['template']} template)"]
    if data["toc"]:
        out.append("Table of Contents")
        out.extend(f"  {item['category']} [Total: {item['total']}]  (line {item['row']})" for item in data["toc"])
    for section in data["sections"]:
        where = f"  (line {section['row']})" if section["row"] else ""
        out.append(f"{section['category'] or '(no section)'}: {len(section['entries'])} entries{where}")
        for entry in section["entries"]:
            number = f"[{entry['number']}] " if entry["number"] is not None else ""
            first = entry["authors"][0] if entry["authors"] else "?"
            out.append(f"  {number}{entry['title']}  {entry['arxiv_id']} · {first}  (line {entry['row']})")
    return "\n".join(out) + "\n"
