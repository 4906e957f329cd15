"""Helpers for the index and feature tests: cursor-marked snippets and shared indexes.

`marked("...|...")` parses a digest snippet with a `|` cursor marker and
returns the document and the cursor's (line, col). The fixture-workspace and
corpus indexes are built once per test session (the corpus is 38 MB).
"""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from digest_ls.config import Config
from digest_ls.index import WorkspaceIndex
from digest_ls.model import Document, Span
from digest_ls.parser.document import parse

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = ROOT / "fixtures" / "workspace"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/dev is not present")

CURSOR = "|"


def marked(text: str, marker: str = CURSOR) -> tuple[Document, int, int]:
    """Parse `text` with one cursor marker removed; return the document and the marker's position."""
    offset = text.index(marker)
    before = text[:offset]
    line = before.count("\n")
    col = offset - (before.rfind("\n") + 1)
    return parse(text[:offset] + text[offset + len(marker) :]), line, col


def span_text(document: Document, span: Span) -> str:
    """The source text a span covers (lines joined with \\n)."""
    if span.start_line == span.end_line:
        return document.lines[span.start_line][span.start_col : span.end_col]
    parts = [document.lines[span.start_line][span.start_col :]]
    parts += document.lines[span.start_line + 1 : span.end_line]
    parts.append(document.lines[span.end_line][: span.end_col])
    return "\n".join(parts)


def fixture_path(name: str) -> str:
    return str((WORKSPACE / name).resolve())


def fixture_document(name: str) -> Document:
    return parse((WORKSPACE / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def workspace_index() -> WorkspaceIndex:
    """The fixture workspace, indexed once (read-only: tests that mutate build their own)."""
    index = WorkspaceIndex([WORKSPACE], Config(), None)
    index.scan()
    return index


@lru_cache(maxsize=None)
def corpus_index() -> WorkspaceIndex:
    """The real corpus, indexed once per session into a throw-away cache folder."""
    cache = Path(tempfile.mkdtemp(prefix="digest-ls-corpus-index-"))
    index = WorkspaceIndex([CORPUS], Config(), cache)
    index.scan()
    return index


def copy_workspace(destination: Path) -> Path:
    target = destination / "workspace"
    shutil.copytree(WORKSPACE, target)
    return target


# The helper itself.


def test_marked_finds_the_cursor_and_removes_it():
    document, line, col = marked("a\nbc|d\n")
    assert (line, col) == (1, 2)
    assert document.lines[1] == "bcd"


def test_span_text_spans_lines():
    document = parse("abc\ndef\nghi")
    assert span_text(document, Span(0, 1, 2, 1)) == "bc\ndef\ng"


SMALL = """<div id=toc></div>

# Table of Contents

- [cs.DC](#cs.DC) [Total: 2]
- [cs.PL](#cs.PL) [Total: 1]


<div id='cs.DC'></div>

# cs.DC [[Back]](#toc)

### [1] [Gossip Barriers for Elastic Parameter Servers](https://arxiv.org/abs/2601.00101)
*José García,Mei Tanaka*

Main category: cs.DC

TL;DR: Gossip instead of barriers.


<details>
  <summary>Details</summary>
Motivation: Barriers stall.

Method: Gossip.

Result: Faster.

Conclusion: Good.

Abstract: Elastic training, see arXiv:2601.00205 and
https://arxiv.org/pdf/2601.00204v2 for related work.

</details>


### [2] [A *Starred* Title with [Brackets]](https://arxiv.org/abs/2601.00102)
*Mei Tanaka*

Main category: cs.DC

TL;DR: Short.


<div id='cs.PL'></div>

# cs.PL [[Back]](#toc)

<!-- digest-ls: disable D301 D215 -->
### [3] [Typed Holes for Notebook Cells](https://arxiv.org/abs/2601.00103)
*Anouk de Vries*

Main category: cs.PL

TL;DR: Holes.
"""


def small(marker_at: str | None = None, occurrence: int = 1) -> tuple[Document, int, int]:
    """SMALL with the cursor just before the `occurrence`-th `marker_at` (or at 0, 0)."""
    if marker_at is None:
        return parse(SMALL), 0, 0
    position = -1
    for _ in range(occurrence):
        position = SMALL.index(marker_at, position + 1)
    return marked(SMALL[:position] + CURSOR + SMALL[position:])
