"""`digest-ls check` over many files: discovery, the results cache, worker processes and fixes.

The cache (like ruff's) maps a file's path, size and modification time plus
the configuration to its diagnostics, so checking an unchanged tree again
reads no file at all. It lives in `.digest-ls-cache/` at the project root of
each file's configuration (the folder of the configuration file, or the
current folder when there is none), wherever the command is run from.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Config
from .diagnostics import Diagnostic, diagnostic_from_json, diagnostic_to_json
from .files import FileError, discover, read_text, write_atomic

PARALLEL_BYTES = 4_000_000  # below this, starting workers costs more than it saves
CACHE_FOLDER = ".digest-ls-cache"
CACHE_FORMAT = 3  # bump when what an entry holds changes (2: a fix's safety; 3: the shared diagnostic codec)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    is_digest: bool
    fixed: dict[str, int] = field(default_factory=dict)  # rule code -> problems its fixes removed


@dataclass
class Outcome:
    results: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    non_digests: int = 0
    excluded: int = 0
    diff_text: str = ""
    sources: dict[str, str] = field(default_factory=dict)  # texts that are not on disk (standard input), by path
    fixed_text: str | None = None  # standard input with `--fix`: the fixed text

    @property
    def fixed(self) -> int:
        return sum(sum(result.fixed.values()) for result in self.results)


@dataclass
class Selection:
    """What a run would check, what it passes over and why, and the paths or configurations it cannot use."""

    files: list[tuple[Path, Config]] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    excluded: int = 0  # of the skipped, those an `exclude` pattern matched


def select_files(paths: list[Path], config_for) -> Selection:
    """The files under `paths` with their configuration, less those an `exclude` pattern skips."""
    selection = Selection()
    for path in discover(paths, selection.errors, selection.skipped):
        try:
            config = config_for(path)
        except Exception as error:  # ConfigError: reported once per file, the run goes on
            selection.errors.append(str(error))
            continue
        pattern = config.exclusion(str(path))
        if pattern is not None:
            selection.excluded += 1
            selection.skipped.append((path, f"excluded by `{pattern}` in {config.source or 'the configuration'}"))
            continue
        selection.files.append((path, config))
    return selection


def check_paths(paths, config_for, *, fix=False, diff=False, unsafe_fixes=False, jobs=0, use_cache=True) -> Outcome:
    selection = select_files(paths, config_for)
    outcome = Outcome(errors=selection.errors, excluded=selection.excluded)
    caches: dict[Path, ResultsCache] = {}

    def cache_for(config: Config) -> ResultsCache | None:
        if not use_cache or fix or diff:
            return None
        root = config.project_root()
        if root not in caches:
            caches[root] = ResultsCache(root / CACHE_FOLDER)
        return caches[root]

    pending: dict[str, Config] = {}
    for path, config in selection.files:
        cache = cache_for(config)
        cached = cache.get(str(path), config) if cache else None
        if cached is not None:
            _collect(outcome, cached)
        else:
            pending[str(path)] = config
    if pending:
        for result in _run(list(pending.items()), fix, diff, unsafe_fixes, jobs):
            if isinstance(result, str):
                outcome.errors.append(result)
                continue
            file_result, diff_text = result
            outcome.diff_text += diff_text
            config = pending[file_result.path]
            cache = cache_for(config)
            if cache is not None:
                cache.put(file_result, config)
            _collect(outcome, file_result)
    for cache in caches.values():
        cache.save()
    outcome.results.sort(key=lambda result: result.path)
    return outcome


def check_stdin(path: str, text: str, config: Config, *, fix=False, diff=False, unsafe_fixes=False) -> Outcome:
    """Check a text read from standard input as if it were the file `path` (nothing is read or written there)."""
    result, diff_text, new_text = check_text(path, text, config, fix=fix, diff=diff, unsafe_fixes=unsafe_fixes)
    outcome = Outcome(diff_text=diff_text, sources={path: new_text})
    if fix and not diff:
        outcome.fixed_text = new_text
    _collect(outcome, result)
    return outcome


def _collect(outcome: Outcome, result: FileResult) -> None:
    if result.is_digest:
        outcome.results.append(result)
    else:
        outcome.non_digests += 1


def _run(pending, fix, diff, unsafe_fixes, jobs):
    total_bytes = sum(_size(path) for path, _ in pending)
    workers = jobs if jobs > 0 else (os.cpu_count() or 1) if total_bytes >= PARALLEL_BYTES else 1
    workers = min(workers, len(pending))
    progress = _Progress(len(pending)) if sys.stderr.isatty() and total_bytes > PARALLEL_BYTES else None
    if workers <= 1:
        results = (check_file(path, config, fix, diff, unsafe_fixes) for path, config in pending)
        for result in results:
            if progress:
                progress.step()
            yield result
    else:
        from concurrent.futures import ProcessPoolExecutor  # only large runs pay for the import

        with ProcessPoolExecutor(max_workers=workers) as pool:
            # Largest first so one big file does not finish last on its own.
            ordered = sorted(pending, key=lambda item: -_size(item[0]))
            for result in pool.map(_check_star, [(p, c, fix, diff, unsafe_fixes) for p, c in ordered]):
                if progress:
                    progress.step()
                yield result
    if progress:
        progress.done()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _check_star(arguments):
    return check_file(*arguments)


def check_file(path: str, config: Config, fix: bool = False, diff: bool = False, unsafe_fixes: bool = False):
    """(FileResult, diff text), or an error message; with `fix` (and not `diff`) the fixed text is written."""
    try:
        text = read_text(Path(path))
    except FileError as error:
        return str(error)
    result, diff_text, new_text = check_text(path, text, config, fix=fix, diff=diff, unsafe_fixes=unsafe_fixes)
    if fix and not diff and new_text != text:
        try:
            write_atomic(Path(path), new_text)
        except FileError as error:
            return str(error)
    return result, diff_text


def check_text(path: str, text: str, config: Config, *, fix=False, diff=False, unsafe_fixes=False):
    """(FileResult, diff text, text after the fixes): the diagnostics are those of the fixed text."""
    from .fixes import fix_all
    from .lint import lint
    from .parser.document import parse

    document = parse(text)
    diagnostics = list(lint(document, config).diagnostics)
    new_text, diff_text, fixed = text, "", Counter()
    if (fix or diff) and document.is_digest and any(applicable(d, unsafe_fixes) for d in diagnostics):
        new_text = fix_all(document, config, include_unsafe=unsafe_fixes)
        if new_text != text:
            before = Counter(d.code for d in diagnostics if applicable(d, unsafe_fixes))
            if diff:
                diff_text = "".join(difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), path, path))
            document = parse(new_text)
            diagnostics = list(lint(document, config).diagnostics)
            fixed = before - Counter(d.code for d in diagnostics if applicable(d, unsafe_fixes))
    return FileResult(path, diagnostics, document.is_digest, dict(fixed)), diff_text, new_text


def applicable(diagnostic: Diagnostic, unsafe_fixes: bool) -> bool:
    """Whether `--fix` applies the diagnostic's fix (unsafe ones only with `--unsafe-fixes`)."""
    return diagnostic.fix is not None and (diagnostic.fix.safe or unsafe_fixes)


class _Progress:
    def __init__(self, total: int):
        self.total = total
        self.done_count = 0

    def step(self) -> None:
        self.done_count += 1
        width = 30
        filled = width * self.done_count // self.total
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {self.done_count}/{self.total}")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * 50 + "\r")
        sys.stderr.flush()


# --- the results cache ---------------------------------------------------------


class ResultsCache:
    def __init__(self, folder: Path):
        self.file = folder / f"v{__version__}-{CACHE_FORMAT}" / "results.json"
        self.entries: dict = {}
        self.dirty = False
        try:
            self.entries = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    @staticmethod
    def _stamp(path: str, config: Config):
        try:
            status = os.stat(path)
        except OSError:
            return None
        return [status.st_size, status.st_mtime_ns, config.cache_key()]

    def get(self, path: str, config: Config) -> FileResult | None:
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry["stamp"] != self._stamp(path, config):
            return None
        return FileResult(path, [diagnostic_from_json(item) for item in entry["diagnostics"]], entry["is_digest"])

    def put(self, result: FileResult, config: Config) -> None:
        stamp = self._stamp(result.path, config)
        if stamp is None:
            return
        self.entries[os.path.abspath(result.path)] = {
            "stamp": stamp,
            "is_digest": result.is_digest,
            "diagnostics": [diagnostic_to_json(d) for d in result.diagnostics],
        }
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            (self.file.parent.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            write_atomic(self.file, json.dumps(self.entries, ensure_ascii=False))
        except (OSError, FileError):
            pass  # a cache that cannot be written only costs time
