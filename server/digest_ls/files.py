"""Reading, finding and writing digest files safely.

Reads keep the file's bytes as text (line endings included, UTF-8 only);
writes go to a temporary file in the same folder and are renamed over the
original, so an interrupted write leaves the old file intact.
"""

from __future__ import annotations

import os
from pathlib import Path

SKIPPED_FOLDERS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".digest-ls-cache"})


class FileError(Exception):
    """A file that cannot be read or written; the message names it and says why."""


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a folder") from None
    except OSError as error:
        raise FileError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileError(f"{path}: not UTF-8 (invalid byte at offset {error.start}); skipped") from None


def write_atomic(path: Path, text: str) -> None:
    """Replace the file's content, keeping its permissions; on any error the old file stays."""
    import tempfile

    data = text.encode("utf-8")
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise FileError(f"{path}: cannot write ({error.strerror or error}); the file is unchanged") from None
        raise


def discover(paths: list[Path], errors: list[str]) -> list[Path]:
    """Files named directly, and every `*.md` under folders (skipping hidden and tool folders)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(_walk(path))
        else:
            errors.append(f"{path}: no such file or folder")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _walk(root: Path):
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                yield Path(folder) / name
