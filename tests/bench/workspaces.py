"""The workspaces the editor benchmarks run in, each holding the largest dev digest, the one they edit.

- `dev`: a copy of the dev corpus (38 digests and their JSONL);
- `year`: a year of digests generated from it (`year.py`), with the largest
  dev digest and its JSONL beside them: the same document as in `dev`, in a
  workspace ten times the size. The year's files are hard links into the
  cached year when the file system allows (it is 330 MB), copies otherwise;
  the benchmarks never write to a workspace file.

Both get a `.digest-ls.toml`, the root marker editors look for.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from year import CORPUS, MANIFEST, companion_jsonl, ensure_year

LARGEST = "2025-04-15.md"  # the largest digest of the dev corpus: 1.65 MB, 702 entries
WORKSPACES = ("dev", "year")
ROOT_MARKER = ".digest-ls.toml"


def copy_regular_files(source: Path, destination: Path, link: bool = False) -> None:
    """Regular files only (no links, no permissions copied: the corpus is read-only)."""
    for path in sorted(source.iterdir()):
        if not path.is_file() or path.is_symlink() or path.name == MANIFEST:
            continue
        if link:
            try:
                os.link(path, destination / path.name)
                continue
            except OSError:  # another file system, or links not allowed: copy
                pass
        shutil.copyfile(path, destination / path.name)


def build_workspace(kind: str, destination: Path, corpus: Path = CORPUS) -> Path:
    """Make the workspace `kind` in the new folder `destination` and return it."""
    destination.mkdir(parents=True)
    if kind == "dev":
        copy_regular_files(corpus, destination)
    elif kind == "year":
        copy_regular_files(ensure_year(corpus=corpus).folder, destination, link=True)
        for path in (corpus / LARGEST, companion_jsonl(corpus / LARGEST)):
            if path is not None:
                shutil.copyfile(path, destination / path.name)
    else:
        raise ValueError(f"no workspace {kind!r}; there are {', '.join(WORKSPACES)}")
    (destination / ROOT_MARKER).write_text(
        "# Workspace root of a digest-ls benchmark (tests/bench/workspaces.py): defaults.\n", encoding="utf-8"
    )
    return destination
