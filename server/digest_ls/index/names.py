"""Normal forms the index keys on: author names and arXiv ids.

Two spellings of one author share one normalised name (`digest_ls.names`);
every version and URL form of a paper shares one id.
"""

from __future__ import annotations

import re

from ..arxiv import find_ids, parse_id, parse_link
from ..names import normalize_name  # noqa: F401 (the index keys its author tables on it)


def canonical_id(text: str) -> str | None:
    """The canonical id (no version) for an id, `arXiv:ID` or an arXiv URL; None if none is there."""
    text = text.strip()
    parsed = parse_id(text)
    if parsed is None and "arxiv.org" in text.lower():
        parsed = parse_link(text).id
    if parsed is None:
        found = find_ids(text)
        if len(found) == 1 and found[0][1] - found[0][0] >= len(text) - len("arXiv: "):
            parsed = found[0][2]
    return parsed.canonical if parsed is not None else None


def record_id(raw: str) -> str:
    """The key for an id read from a JSONL record: canonical when it parses, else the text without a version."""
    canonical = canonical_id(raw)
    if canonical is not None:
        return canonical
    return re.sub(r"v\d+$", "", raw.strip())
