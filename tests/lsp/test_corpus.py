"""The server over the real corpus (../shared/corpus/dev), checked against its JSONL ground truth."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from lsprotocol import types

from digest_ls.index import canonical_id, normalize_name
from digest_ls.parser.document import parse
from .lsp_harness import CORPUS, Buffer, index_ready

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/dev is not present"),
]

SAMPLE_EVERY = 40  # papers looked up one by one through workspace/symbol


@functools.cache
def parsed(path: Path):
    return parse(path.read_text(encoding="utf-8"))


def digests() -> list[Path]:
    return sorted(path for path in CORPUS.glob("*.md") if parsed(path).is_digest)


def jsonl_records(path: Path) -> list[dict]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            records.append(json.loads(line))
    return records


def metadata_beside(digest: Path) -> Path | None:
    found = sorted(CORPUS.glob(f"{digest.stem}*.jsonl"))
    return found[0] if found else None


def alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text)


def entry_ids(path: Path) -> list[str]:
    document = parsed(path)
    return [entry.arxiv_id for _, _, entry in document.entry_blocks() if entry.arxiv_id]


@pytest.fixture
async def corpus_client(launch, shared_cache):
    client = await launch(root=CORPUS, cache_dir=shared_cache)
    await index_ready(client)
    return client


async def test_the_index_holds_every_paper(corpus_client):
    ids = set()
    for path in digests():
        ids.update(canonical_id(paper) for paper in entry_ids(path))
    for path in CORPUS.glob("*.jsonl"):
        ids.update(canonical_id(record["id"]) for record in jsonl_records(path))
    ids.discard(None)
    (reports,) = [values for values in corpus_client.progress_reports.values() if values]
    assert reports[-1].message.startswith(f"{len(ids)} papers in {len(digests())} digests")

    for paper in sorted(ids)[::SAMPLE_EVERY]:
        symbols = await corpus_client.workspace_symbol_async(types.WorkspaceSymbolParams(query=f"id:{paper}"))
        assert symbols, paper
        location = symbols[0].location
        line = Path(location.uri.removeprefix("file://")).read_text(encoding="utf-8").split("\n")[location.range.start.line]
        assert paper in line


async def test_hover_on_a_paper_shows_its_abstract_from_the_jsonl(corpus_client):
    digest = next(path for path in digests() if metadata_beside(path))
    records = {canonical_id(record["id"]): record for record in jsonl_records(metadata_beside(digest))}
    buffer = Buffer(corpus_client, digest).open()
    checked = 0
    for paper in entry_ids(digest)[:5]:
        record = records.get(canonical_id(paper))
        if record is None:
            continue
        hover = await corpus_client.text_document_hover_async(
            types.HoverParams(buffer.identifier(), buffer.position_of(f"abs/{paper}", offset=5))
        )
        assert hover is not None
        assert alnum(record["summary"])[:120] in alnum(hover.contents.value)
        checked += 1
    assert checked


async def test_completion_finds_authors_of_other_digests(corpus_client):
    files = digests()
    here, elsewhere = files[0], files[1:]
    local = {normalize_name(name) for name in authors_of(here)}
    every = {normalize_name(name) for path in files for name in authors_of(path)}
    wanted = next(
        name
        for path in elsewhere
        for name in authors_of(path)
        if len(name) >= 14 and name.isascii() and normalize_name(name) not in local
        and sum(other.startswith(normalize_name(name)[:-2]) for other in every) == 1
    )
    buffer = Buffer(corpus_client, here).open()
    author_line = next(line for line in buffer.lines if line.startswith("*") and line.endswith("*"))
    buffer.replace(author_line, author_line[:-1] + "," + wanted[:-2] + "*")
    line, col = buffer.find("," + wanted[:-2] + "*")
    position = buffer.position(line, col + 1 + len(wanted) - 2)
    result = await corpus_client.text_document_completion_async(types.CompletionParams(buffer.identifier(), position))
    assert wanted in [item.label for item in result.items]


def authors_of(path: Path) -> list[str]:
    document = parsed(path)
    return [name.text for _, _, entry in document.entry_blocks() if entry.authors for name in entry.authors.names if name.text]
