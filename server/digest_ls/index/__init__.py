"""The workspace index: every digest and paper-metadata JSONL under the workspace roots.

`WorkspaceIndex` crawls the roots (safely), caches per-file records and a
snapshot of its aggregate tables in SQLite (so a restart on an unchanged
workspace reads nothing until a query asks), lets open buffers override files
on disk, and answers the queries hover, completion, navigation, rename and
workspace symbols need. The full public API is listed in `digest_ls.features`
(its module docstring).

Modules: `crawl` (which files), `scanning` (files -> tables: adopt, update or
build), `records` (what is kept per file), `store` (the SQLite database),
`snapshot` (its lazy, pinned read side), `tables` (aggregates, in memory or
over a snapshot), `name_index` and `word_index` (search structures), `search`
(queries), `workspace` (the public object and its lock).
"""

from .crawl import is_unsafe_root
from .names import canonical_id, normalize_name
from .papers import Author, AuthorHit, AuthorOccurrence, Listing, Occurrence, Paper, PaperHit, ScanReport, WorkspaceSymbol, date_of
from .search import NameContext
from .workspace import WorkspaceIndex

__all__ = [
    "Author",
    "AuthorHit",
    "AuthorOccurrence",
    "Listing",
    "NameContext",
    "Occurrence",
    "Paper",
    "PaperHit",
    "ScanReport",
    "WorkspaceIndex",
    "WorkspaceSymbol",
    "canonical_id",
    "date_of",
    "is_unsafe_root",
    "normalize_name",
]
