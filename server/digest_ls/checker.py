"""`digest-ls check` over many files: discovery, the results cache, worker processes and fixes.

The workspace rules (D401/D402) see every file the run checks, as the
server's see its workspace: each file is linted on its own (in a worker
process for a large run) up to its workspace scope (`lint.Pending`), and
once all are in, `lint.finish` completes each over `CheckedFiles`, the
files' mentions put together.

The cache (like ruff's) maps a file's path, size and modification time plus
the configuration to its `Pending`, so checking an unchanged tree again
reads no file at all, and a changed file is the only one read again. It lives in `.digest-ls-cache/` at the project root of
each file's configuration (the folder of the configuration file, or the
current folder when there is none), wherever the command is run from.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Config
from .diagnostics import Diagnostic, diagnostic_from_json, diagnostic_to_json
from .files import FileError, discover, read_text, write_atomic
from .span import Span

if TYPE_CHECKING:
    from .lint import Pending

PARALLEL_BYTES = 4_000_000  # below this, starting workers costs more than it saves
CACHE_FOLDER = ".digest-ls-cache"
CACHE_FORMAT = 5  # bump when what an entry holds changes (2: a fix's safety; 3: the shared diagnostic codec; 4: `Pending`; 5: apart)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    is_digest: bool
    fixed: dict[str, int] = field(default_factory=dict)  # rule code -> problems its fixes removed
    pending: Pending | None = None  # a digest's lint short of its workspace scope


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

    configs = {str(path): config for path, config in selection.files}
    stamps = {path: stamp_of(path, config) for path, config in configs.items()}
    # What every file's workspace scope was finished against: all the files of the run as they are now.
    run_key = hashlib.sha1(json.dumps(sorted((os.path.abspath(p), s) for p, s in stamps.items())).encode()).hexdigest()
    cached: dict[str, dict] = {}
    unread: dict[str, Config] = {}
    for path, config in configs.items():
        cache = cache_for(config)
        entry = cache.lookup(path, stamps[path]) if cache else None
        if entry is not None:
            cached[path] = entry
        else:
            unread[path] = config
    if not unread and all(entry.get("finished") == run_key for entry in cached.values() if entry["is_digest"]):
        # Nothing changed since the last run: its final diagnostics stand, and no mention is decoded.
        for path, entry in cached.items():
            _collect(outcome, FileResult(path, [diagnostic_from_json(d) for d in entry.get("final", ())], entry["is_digest"]))
        outcome.results.sort(key=lambda result: result.path)
        return outcome
    for path, entry in cached.items():
        result = cache_for(configs[path]).result(path, entry)
        if result is None:
            unread[path] = configs[path]
        else:
            _collect(outcome, result)
    for result in _run(list(unread.items()), fix, diff, unsafe_fixes, jobs) if unread else ():
        if isinstance(result, str):
            outcome.errors.append(result)
            continue
        file_result, diff_text = result
        outcome.diff_text += diff_text
        cache = cache_for(configs[file_result.path])
        if cache is not None:
            cache.put(file_result, stamps[file_result.path])
        _collect(outcome, file_result)
    finish_workspace(outcome.results, configs)
    for result in outcome.results:
        cache = cache_for(configs[result.path])
        if cache is not None:
            cache.finished(result, run_key)
    for cache in caches.values():
        cache.save()
    outcome.results.sort(key=lambda result: result.path)
    return outcome


def finish_workspace(results: list[FileResult], configs: dict[str, Config]) -> None:
    """Every digest's workspace scope over the digests checked together."""
    from .lint import finish, workspace_diagnostics  # the rules: only a run that lints pays for their import
    from .rules.workspace_rules import CheckedFiles

    digests = [result for result in results if result.pending is not None]
    workspace = CheckedFiles({result.path: result.pending.mentions for result in digests})
    spellings = workspace.spellings_memo()  # a name's better spelling is the same from every file
    for result in digests:
        here = os.path.realpath(result.path)
        found = workspace_diagnostics(result.pending, workspace, here, spellings)
        result.diagnostics = list(finish(result.pending, found, configs[result.path]))


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
    """Each pending file's result, in this process or in `jobs` workers, the collector off all along: the
    models are acyclic and short-lived, and each pause's end rescanned the heap a file had just built."""
    import gc

    from .gcpause import collector_paused

    total_bytes = sum(_size(path) for path, _ in pending)
    workers = jobs if jobs > 0 else (os.cpu_count() or 1) if total_bytes >= PARALLEL_BYTES else 1
    workers = min(workers, len(pending))
    progress = _Progress(len(pending)) if sys.stderr.isatty() and total_bytes > PARALLEL_BYTES else None
    with collector_paused():
        if workers <= 1:
            for path, config in pending:
                result = check_file(path, config, fix, diff, unsafe_fixes)
                if progress:
                    progress.step()
                yield result
        else:
            from concurrent.futures import ProcessPoolExecutor  # only large runs pay for the import

            from . import fixes, lint  # noqa: F401  imported once here, the forked workers inherit them
            from .parser import document  # noqa: F401

            with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
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
    result = lint(document, config)
    diagnostics = list(result.diagnostics)
    new_text, diff_text, fixed = text, "", Counter()
    if (fix or diff) and document.is_digest and any(applicable(d, unsafe_fixes) for d in diagnostics):
        new_text = fix_all(document, config, include_unsafe=unsafe_fixes)
        if new_text != text:
            before = Counter(d.code for d in diagnostics if applicable(d, unsafe_fixes))
            if diff:
                diff_text = "".join(difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), path, path))
            document = parse(new_text)
            result = lint(document, config)
            diagnostics = list(result.diagnostics)
            fixed = before - Counter(d.code for d in diagnostics if applicable(d, unsafe_fixes))
    return FileResult(path, diagnostics, document.is_digest, dict(fixed), result.pending), diff_text, new_text


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


def stamp_of(path: str, config: Config) -> list | None:
    """What a cached result is valid for: the file's size and modification time, and the configuration."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, config.cache_key()]


class ResultsCache:
    """Per file: its stamp and its final diagnostics with the run they were finished in (`results.json`,
    all a run over an unchanged tree reads), and apart, its `Pending` as JSON text (`pending.json`,
    read only when the workspace must be finished again: it holds every entry's mentions)."""

    def __init__(self, folder: Path):
        self.file = folder / f"v{__version__}-{CACHE_FORMAT}" / "results.json"
        self.pending_file = self.file.with_name("pending.json")
        self.entries: dict = _load(self.file)
        self._pending: dict | None = None  # abs path -> [stamp, Pending as JSON text], once loaded
        self.dirty = self.pending_dirty = False

    def lookup(self, path: str, stamp: list | None) -> dict | None:
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or stamp is None or entry["stamp"] != stamp:
            return None
        return entry

    def result(self, path: str, entry: dict) -> FileResult | None:
        """The file's result short of its workspace scope; None when what it needs is not in the cache."""
        if not entry["is_digest"]:
            return FileResult(path, [], False)
        stored = self._pendings().get(os.path.abspath(path))
        if stored is None or stored[0] != entry["stamp"]:
            return None
        return FileResult(path, [], True, pending=pending_from_json(json.loads(stored[1])))

    def put(self, result: FileResult, stamp: list | None) -> None:
        if stamp is None:
            return
        key = os.path.abspath(result.path)
        self.entries[key] = {"stamp": stamp, "is_digest": result.is_digest}
        self.dirty = True
        if result.pending is not None:
            self._pendings()[key] = [stamp, json.dumps(pending_to_json(result.pending), ensure_ascii=False)]
            self.pending_dirty = True

    def finished(self, result: FileResult, run_key: str) -> None:
        entry = self.entries.get(os.path.abspath(result.path))
        if entry is None:
            return
        entry["final"] = [diagnostic_to_json(d) for d in result.diagnostics]
        entry["finished"] = run_key
        self.dirty = True

    def _pendings(self) -> dict:
        if self._pending is None:
            self._pending = _load(self.pending_file)
        return self._pending

    def save(self) -> None:
        try:
            if self.dirty or self.pending_dirty:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                (self.file.parent.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            if self.pending_dirty:
                write_atomic(self.pending_file, json.dumps(self._pending, ensure_ascii=False))
            if self.dirty:
                write_atomic(self.file, json.dumps(self.entries, ensure_ascii=False))
        except (OSError, FileError):
            pass  # a cache that cannot be written only costs time


def _load(file: Path) -> dict:
    try:
        loaded = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def pending_to_json(pending: Pending) -> dict:
    return {
        "diagnostics": [diagnostic_to_json(d) for d in pending.diagnostics],
        "directives": [
            [d.kind, d.codes, list(d.span), d.first_line, d.last_line, d.used, d.unknown] for d in pending.directives
        ],
        "layout_known": pending.layout_known,
        "anchor": list(pending.anchor) if pending.anchor is not None else None,
        "mentions": pending.mentions,  # tuples all through: JSON as they are
    }


def pending_from_json(value: dict) -> Pending:
    from .lint import Pending
    from .rules.suppression import Directive
    from .rules.workspace_rules import Mentions

    directives = tuple(
        Directive(kind, tuple(codes), Span(*span), first, last, used, tuple(unknown))
        for kind, codes, span, first, last, used, unknown in value["directives"]
    )
    mentions = tuple((start, Mentions(*mentions)) for start, mentions in value["mentions"])
    return Pending(
        tuple(diagnostic_from_json(item) for item in value["diagnostics"]),
        directives,
        value["layout_known"],
        Span(*value["anchor"]) if value["anchor"] is not None else None,
        mentions,
    )

