"""The workspace index: every digest and paper-metadata JSONL under the workspace roots.

`WorkspaceIndex` crawls the roots (safely), caches per-file records in SQLite,
lets open buffers override files on disk, and answers the queries hover,
completion, navigation, rename and workspace symbols need. The full public
API is listed in `digest_ls.features` (its module docstring).
"""

from .crawl import is_unsafe_root
from .names import canonical_id, normalize_name
from .papers import Author, AuthorHit, AuthorOccurrence, Occurrence, Paper, PaperHit, ScanReport, WorkspaceSymbol
from .rules import workspace_diagnostics
from .workspace import WorkspaceIndex

__all__ = [
    "Author",
    "AuthorHit",
    "AuthorOccurrence",
    "Occurrence",
    "Paper",
    "PaperHit",
    "ScanReport",
    "WorkspaceIndex",
    "WorkspaceSymbol",
    "canonical_id",
    "is_unsafe_root",
    "normalize_name",
    "workspace_diagnostics",
]
