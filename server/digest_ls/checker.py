"""`digest-ls check` over many files: discovery, the results cache, worker processes and fixes.

The cache (like ruff's) maps a file's path, size and modification time plus
the configuration to its diagnostics, so checking an unchanged tree again
reads no file at all.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Config
from .diagnostics import Diagnostic, Edit, Fix, Related, Severity
from .files import FileError, discover, read_text, write_atomic
from .span import Span

PARALLEL_BYTES = 4_000_000  # below this, starting workers costs more than it saves


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    is_digest: bool
    fixed: int = 0


@dataclass
class Outcome:
    results: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    non_digests: int = 0
    excluded: int = 0
    fixed: int = 0
    diff_text: str = ""


def check_paths(paths, config_for, *, fix=False, diff=False, jobs=0, use_cache=True) -> Outcome:
    outcome = Outcome()
    files = discover(paths, outcome.errors)
    cache = ResultsCache(Path.cwd() / ".digest-ls-cache") if use_cache and not (fix or diff) else None
    work: list[tuple[str, Config]] = []
    for path in files:
        try:
            config = config_for(path)
        except Exception as error:  # ConfigError: reported once per file, the run goes on
            outcome.errors.append(str(error))
            continue
        if config.is_excluded(str(path)):
            outcome.excluded += 1
            continue
        work.append((str(path), config))
    pending = []
    for path, config in work:
        cached = cache.get(path, config) if cache else None
        if cached is not None:
            _collect(outcome, cached)
        else:
            pending.append((path, config))
    if pending:
        for result in _run(pending, fix, diff, jobs):
            if isinstance(result, str):
                outcome.errors.append(result)
                continue
            file_result, diff_text = result
            outcome.diff_text += diff_text
            outcome.fixed += file_result.fixed
            if cache is not None:
                cache.put(file_result, dict(pending)[file_result.path])
            _collect(outcome, file_result)
    if cache is not None:
        cache.save()
    outcome.results.sort(key=lambda result: result.path)
    return outcome


def _collect(outcome: Outcome, result: FileResult) -> None:
    if result.is_digest:
        outcome.results.append(result)
    else:
        outcome.non_digests += 1


def _run(pending, fix, diff, jobs):
    total_bytes = sum(_size(path) for path, _ in pending)
    workers = jobs if jobs > 0 else (os.cpu_count() or 1) if total_bytes >= PARALLEL_BYTES else 1
    workers = min(workers, len(pending))
    progress = _Progress(len(pending)) if sys.stderr.isatty() and total_bytes > PARALLEL_BYTES else None
    if workers <= 1:
        results = (check_file(path, config, fix, diff) for path, config in pending)
        for result in results:
            if progress:
                progress.step()
            yield result
    else:
        from concurrent.futures import ProcessPoolExecutor  # only large runs pay for the import

        with ProcessPoolExecutor(max_workers=workers) as pool:
            # Largest first so one big file does not finish last on its own.
            ordered = sorted(pending, key=lambda item: -_size(item[0]))
            for result in pool.map(_check_star, [(p, c, fix, diff) for p, c in ordered]):
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


def check_file(path: str, config: Config, fix: bool = False, diff: bool = False):
    """(FileResult, diff text), or an error message."""
    from .fixes import fix_all
    from .lint import lint
    from .parser.document import parse

    try:
        text = read_text(Path(path))
    except FileError as error:
        return str(error)
    document = parse(text)
    diagnostics = list(lint(document, config).diagnostics)
    diff_text = ""
    fixed = 0
    if (fix or diff) and document.is_digest and any(d.fix for d in diagnostics):
        new_text = fix_all(document, config)
        if new_text != text:
            before = len([d for d in diagnostics if d.fix])
            if diff:
                diff_text = "".join(
                    difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), path, path)
                )
            else:
                try:
                    write_atomic(Path(path), new_text)
                except FileError as error:
                    return str(error)
            document = parse(new_text)
            diagnostics = list(lint(document, config).diagnostics)
            fixed = max(0, before - len([d for d in diagnostics if d.fix]))
    return FileResult(path, diagnostics, document.is_digest, fixed), diff_text


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
        self.file = folder / f"v{__version__}" / "results.json"
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
        return FileResult(path, [_diagnostic_from_json(item) for item in entry["diagnostics"]], entry["is_digest"])

    def put(self, result: FileResult, config: Config) -> None:
        stamp = self._stamp(result.path, config)
        if stamp is None:
            return
        self.entries[os.path.abspath(result.path)] = {
            "stamp": stamp,
            "is_digest": result.is_digest,
            "diagnostics": [_diagnostic_to_json(d) for d in result.diagnostics],
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


def _diagnostic_to_json(d: Diagnostic) -> dict:
    return {
        "code": d.code,
        "message": d.message,
        "range": list(d.range),
        "severity": int(d.severity),
        "paper": d.paper,
        "fix": None
        if d.fix is None
        else {"message": d.fix.message, "edits": [[list(e.range), e.new_text] for e in d.fix.edits]},
        "related": [[list(r.range), r.message, r.path] for r in d.related],
    }


def _diagnostic_from_json(item: dict) -> Diagnostic:
    fix = item["fix"]
    return Diagnostic(
        item["code"],
        item["message"],
        Span(*item["range"]),
        Severity(item["severity"]),
        item["paper"],
        None if fix is None else Fix(fix["message"], tuple(Edit(Span(*r), t) for r, t in fix["edits"])),
        tuple(Related(Span(*r), m, p) for r, m, p in item["related"]),
    )
