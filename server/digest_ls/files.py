"""Reading, finding and writing digest files safely.

Reads keep the file's bytes as text (line endings included, UTF-8 only);
writes go to a temporary file in the same folder and are renamed over the
original, so an interrupted write leaves the old file intact.

`read_text` is the one reader of workspace files: the command line, the
workspace index and the server's look-ups of files on disk all go through
it, so they see the same text. Byte order mark policy: a UTF-8 BOM is a
signature of the encoding, not text. Editors drop it when they open a file,
so the reader drops it too: the command line, the index and the open
buffers then count the same lines and columns, and a BOM cannot hide the
heading on the first line. `write_atomic` puts it back when the file it
replaces has one, so `--fix` and `format` change nothing they do not fix.
"""

from __future__ import annotations

import os
from pathlib import Path

SKIPPED_FOLDERS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".digest-ls-cache"})


class FileError(Exception):
    """A file that cannot be read or written; the message names it and says why."""


UTF8_BOM = b"\xef\xbb\xbf"


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The file as text, without a byte order mark; FileError when it is unreadable, too large or not UTF-8."""
    try:
        if max_bytes is not None and (size := path.stat().st_size) > max_bytes:
            raise FileError(f"{path}: {size} bytes is over the {max_bytes // 2**20} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a folder") from None
    except OSError as error:
        raise FileError(f"{path}: cannot read ({error.strerror or error})") from None
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    """Bytes read from `name` (a path, standard input) as text, under the reader's byte order mark policy."""
    skipped = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileError(f"{name}: not UTF-8 (invalid byte at offset {skipped + error.start})") from None


def _starts_with_bom(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(UTF8_BOM)) == UTF8_BOM
    except OSError:
        return False


def write_atomic(path: Path, text: str) -> None:
    """Replace the file's content, keeping its permissions; on any error the old file stays."""
    import tempfile

    data = text.encode("utf-8")
    if _starts_with_bom(path):
        data = UTF8_BOM + data  # read_text dropped it: the file keeps it
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


def discover(paths: list[Path], errors: list[str], skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Files named directly, and every `*.md` under folders; the hidden and tool folders passed over go to `skipped` with why."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(_walk(path, skipped if skipped is not None else []))
        else:
            errors.append(f"{path}: no such file or folder")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _walk(root: Path, skipped: list[tuple[Path, str]]):
    for folder, subfolders, files in os.walk(root):
        kept = []
        for name in sorted(subfolders):
            if name in SKIPPED_FOLDERS:
                skipped.append((Path(folder) / name, "a tool's folder"))
            elif name.startswith("."):
                skipped.append((Path(folder) / name, "a hidden folder"))
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                yield Path(folder) / name
