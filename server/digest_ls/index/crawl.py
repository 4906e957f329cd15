"""Finding the files to index: safe roots, include/exclude globs, symlinks kept inside the roots.

The crawl never leaves the roots: a symbolic link is followed only when its
resolved target lies inside one of them, and every directory is visited once
by its resolved path, so symlink loops end. It refuses to crawl a home
directory or a filesystem root (an editor opened on `~` would otherwise read
every Markdown file the user owns).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ..config import Config, glob_match  # one glob dialect for `exclude` and the index's globs

log = logging.getLogger("digest_ls.index")

SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "site-packages"})


def is_unsafe_root(path: Path) -> bool:
    """A home directory (the user's, or any direct child of /home or /Users) or a filesystem root."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):
        return True
    if resolved.parent == resolved:
        return True
    homes = set()
    try:
        homes.add(Path.home().resolve())
    except (RuntimeError, OSError, KeyError):
        pass
    if resolved in homes:
        return True
    # Other users' home folders, as seen from a shared machine.
    return str(resolved.parent) in ("/home", "/Users")


def within(path: Path, roots: list[Path]) -> Path | None:
    """The root that holds `path` (both resolved), or None."""
    for root in roots:
        if path == root or root in path.parents:
            return root
    return None


def wanted(path: Path, root: Path, config: Config) -> bool:
    """Whether the include/exclude globs and `metadata_files` select a file under `root`."""
    relative = path.relative_to(root).as_posix()
    if any(glob_match(relative, pattern) for pattern in config.index_exclude):
        return False
    if is_metadata_file(path, root, config):
        return True
    if path.suffix.lower() not in (".md", ".jsonl"):
        return False
    return any(glob_match(relative, pattern) for pattern in config.index_include)


def is_metadata_file(path: Path, root: Path, config: Config) -> bool:
    relative = path.relative_to(root).as_posix()
    for pattern in config.metadata_files:
        if Path(pattern).is_absolute():
            if Path(pattern).resolve() == path:
                return True
        elif glob_match(relative, pattern):
            return True
    return False


def candidate_files(roots: list[Path], config: Config, cancel=None) -> list[Path]:
    """Every wanted file under the (already safe, resolved) roots, resolved, each once, sorted."""
    found: set[Path] = set()
    visited: set[Path] = set()
    for root in roots:
        stack = [root]
        while stack:
            if cancel is not None and cancel():
                return sorted(found)
            directory = stack.pop()
            if directory in visited:
                continue
            visited.add(directory)
            try:
                entries = list(os.scandir(directory))
            except OSError as error:
                log.info("skipping folder %s: %s", directory, error)
                continue
            for entry in entries:
                _visit(entry, roots, root, config, stack, found)
    return sorted(found)


def _visit(entry: os.DirEntry, roots: list[Path], root: Path, config: Config, stack: list, found: set) -> None:
    name = entry.name
    try:
        is_link = entry.is_symlink()
        is_dir = entry.is_dir()  # follows links
        is_file = entry.is_file()
    except OSError:
        return
    if is_dir and (name.startswith(".") or name in SKIPPED_DIRECTORIES):
        return
    path = Path(entry.path)
    if is_link:
        try:
            path = path.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling link or a loop of links
            return
        if within(path, roots) is None:
            return
    if is_dir:
        stack.append(path)
    elif is_file:
        owner = within(path, roots) or root
        if wanted(path, owner, config):
            found.add(path)
