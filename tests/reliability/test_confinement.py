"""Nothing outside: no network at any time, no file read outside the workspace and the cache folder.

An audit hook (PEP 578) sees every `open` and socket call the engine, the
index and the features make while they work on a workspace that holds a
symbolic link pointing outside it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from digest_ls.cli import main
from digest_ls.config import Config
from digest_ls.features import completion, hover
from digest_ls.index import WorkspaceIndex

_events: list[tuple[str, tuple]] = []
_recording = False


def _audit(event: str, args: tuple) -> None:
    if _recording and (event == "open" or event.startswith("socket.")):
        _events.append((event, args))


sys.addaudithook(_audit)


@pytest.fixture
def recorded():
    global _recording
    _events.clear()
    _recording = True
    try:
        yield _events
    finally:
        _recording = False


def _opened(events) -> list[str]:
    paths = []
    for event, args in events:
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            paths.append(os.path.realpath(os.fsdecode(args[0])))
    return paths


def _is_code(path: str) -> bool:
    """Python's own files (lazy imports) are not data the tools read."""
    prefixes = {sys.prefix, sys.base_prefix, str(ROOT / "server")}
    return path.endswith((".py", ".pyc", ".so")) or any(path.startswith(os.path.realpath(p)) for p in prefixes)


@pytest.fixture
def workspace(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text((FIXTURES / "digests" / "2026-01-05.md").read_text(encoding="utf-8"), encoding="utf-8")
    root = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "workspace", root)
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "escape.md").symlink_to(outside / "secret.md")
    return root, tmp_path / "cache"


def test_indexing_and_features_stay_inside_the_workspace_and_offline(workspace, recorded):
    root, cache = workspace
    index = WorkspaceIndex([root], Config(), cache)
    index.scan()
    digest = index.document(index.digest_paths()[0])
    _, start, entry = next(digest.entry_blocks())
    hover.hover(digest, start, 5, index, Config(), path=index.digest_paths()[0])
    authors_row = start + entry.authors.span.start_line
    completion.complete(digest, authors_row, 3, index, Config())
    index.close()
    assert [event for event, _ in recorded if event.startswith("socket.")] == []
    allowed = (os.path.realpath(root), os.path.realpath(cache))
    assert any(path.startswith(allowed[0]) for path in _opened(recorded))  # the hook does see the reads
    outside = [path for path in _opened(recorded) if not path.startswith(allowed) and not _is_code(path)]
    assert outside == []
    assert not any("secret.md" in path for path in _opened(recorded))


def test_the_command_line_makes_no_network_call(recorded, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", str(FIXTURES / "digests"), str(FIXTURES / "rules")])
    main(["format", "--check", str(FIXTURES / "digests")])
    capsys.readouterr()
    assert [event for event, _ in recorded if event.startswith("socket.")] == []
