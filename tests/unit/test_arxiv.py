"""Tests for digest_ls.arxiv: id grammar, link parsing and scanning free text."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_ls import arxiv
from digest_ls.arxiv import (
    ArxivId,
    ArxivLink,
    canonical_abs_url,
    find_ids,
    parse_id,
    parse_link,
    pdf_url,
)

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"

# ---------------------------------------------------------------- parse_id: new style


@pytest.mark.parametrize(
    ("text", "base", "version"),
    [
        ("0704.0001", "0704.0001", None),  # the very first new-style id
        ("0712.9999", "0712.9999", None),
        ("1412.9999", "1412.9999", None),  # last month of 4-digit numbers
        ("1501.00001", "1501.00001", None),  # first month of 5-digit numbers
        ("2401.12345", "2401.12345", None),
        ("2401.12345v1", "2401.12345", 1),
        ("2401.12345v12", "2401.12345", 12),
        ("1001.1234v3", "1001.1234", 3),
        ("2512.99999v10", "2512.99999", 10),
    ],
)
def test_valid_new_style(text: str, base: str, version: int | None) -> None:
    parsed = parse_id(text)
    assert parsed == ArxivId(base, version)
    assert str(parsed) == text
    assert parsed.canonical == base
    assert not parsed.is_old_style


@pytest.mark.parametrize(
    "text",
    [
        "0703.9999",  # before the new scheme began
        "0612.1234",
        "0001.1234",
        "1413.1234",  # month 13
        "2400.12345",  # month 00
        "2413.12345",
        "1501.1234",  # 4 digits after 1412
        "2401.1234",
        "1412.12345",  # 5 digits before 1501
        "0704.00001",
        "2401.123",  # too short
        "2401.123456",  # too long
        "240.12345",
        "24011.2345",
        "2401.12345v0",  # version 0
        "2401.12345v01",  # leading zero
        "2401.12345v",
        "2401.12345V2",
        "2401.00000",  # all-zero serial
        "0704.0000",
        " 2401.12345",  # whole string only
        "2401.12345 ",
        "2401.12345\n",
        "arXiv:2401.12345",
        "2401-12345",
        "2401.12345.pdf",
        "２４０１.１２３４５",  # full-width digits are not ASCII digits
        "",
    ],
)
def test_invalid_new_style(text: str) -> None:
    assert parse_id(text) is None


# ---------------------------------------------------------------- parse_id: old style


@pytest.mark.parametrize(
    ("text", "base", "version", "canonical"),
    [
        ("hep-th/9901001", "hep-th/9901001", None, "hep-th/9901001"),
        ("hep-th/9108001", "hep-th/9108001", None, "hep-th/9108001"),
        ("hep-th/9901001v2", "hep-th/9901001", 2, "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136", None, "math/0309136"),
        ("math.GT/0309136v1", "math.GT/0309136", 1, "math/0309136"),
        ("cs.CO/0101001", "cs.CO/0101001", None, "cs/0101001"),
        ("cond-mat/0703999", "cond-mat/0703999", None, "cond-mat/0703999"),
        ("solv-int/9701001", "solv-int/9701001", None, "solv-int/9701001"),
        ("q-bio/0309001", "q-bio/0309001", None, "q-bio/0309001"),
        ("math-ph/0001001", "math-ph/0001001", None, "math-ph/0001001"),
        ("cmp-lg/9404001", "cmp-lg/9404001", None, "cmp-lg/9404001"),
    ],
)
def test_valid_old_style(text: str, base: str, version: int | None, canonical: str) -> None:
    parsed = parse_id(text)
    assert parsed == ArxivId(base, version)
    assert str(parsed) == text
    assert parsed.canonical == canonical
    assert parsed.is_old_style


@pytest.mark.parametrize(
    "text",
    [
        "hep-th/9913001",  # month 13
        "hep-th/9900001",  # month 00
        "hep-th/0704001",  # after the switch to new style
        "hep-th/1001001",
        "hep-th/9901000",  # all-zero serial
        "hep-th/990100",  # too short
        "hep-th/99010011",  # too long
        "hep-th/9901001v0",
        "hep-th/9901001v01",
        "stat/0101001",  # archive without old-style ids
        "foo/9901001",
        "HEP-TH/9901001",
        "math.gt/0309136",  # subject class must be two capitals
        "math.GTX/0309136",
        "math.G/0309136",
        "hep-th9901001",
        "/9901001",
        "hep-th/",
    ],
)
def test_invalid_old_style(text: str) -> None:
    assert parse_id(text) is None


def test_parse_id_non_string() -> None:
    assert parse_id(None) is None  # type: ignore[arg-type]
    assert parse_id(2401.12345) is None  # type: ignore[arg-type]


def test_arxiv_id_is_frozen_and_slotted() -> None:
    arxiv_id = ArxivId("2401.12345", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        arxiv_id.version = 3  # type: ignore[misc]
    assert not hasattr(arxiv_id, "__dict__")
    assert str(ArxivId("2401.12345")) == "2401.12345"
    assert arxiv_id.yymm == "2401"
    assert ArxivId("hep-th/9901001").yymm == "9901"
    # Versions differ, the paper is the same.
    assert parse_id("2401.12345v1").canonical == parse_id("2401.12345v2").canonical


# ---------------------------------------------------------------- URLs


def test_canonical_abs_url_and_pdf_url() -> None:
    assert canonical_abs_url(ArxivId("2401.12345", 3)) == "https://arxiv.org/abs/2401.12345"
    assert canonical_abs_url(ArxivId("hep-th/9901001")) == "https://arxiv.org/abs/hep-th/9901001"
    assert canonical_abs_url(ArxivId("math.GT/0309136", 1)) == "https://arxiv.org/abs/math/0309136"
    assert pdf_url(ArxivId("2401.12345", 3)) == "https://arxiv.org/pdf/2401.12345"
    assert pdf_url(ArxivId("2401.12345", 3), versioned=True) == "https://arxiv.org/pdf/2401.12345v3"
    assert pdf_url(ArxivId("2401.12345"), versioned=True) == "https://arxiv.org/pdf/2401.12345"


@pytest.mark.parametrize(
    ("url", "kind", "raw_id", "arxiv_id", "scheme", "host"),
    [
        ("https://arxiv.org/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("http://arxiv.org/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "http", "arxiv.org"),
        ("https://www.arxiv.org/abs/2401.12345v2", "abs", "2401.12345v2", ArxivId("2401.12345", 2), "https", "www.arxiv.org"),
        ("https://export.arxiv.org/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "https", "export.arxiv.org"),
        ("https://arxiv.org/abs/2401.12345/", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/pdf/2401.12345", "pdf", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/pdf/2401.12345.pdf", "pdf", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/pdf/2401.12345v1.pdf", "pdf", "2401.12345v1", ArxivId("2401.12345", 1), "https", "arxiv.org"),
        ("https://arxiv.org/pdf/2401.12345/", "pdf", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/abs/hep-th/9901001", "abs", "hep-th/9901001", ArxivId("hep-th/9901001"), "https", "arxiv.org"),
        ("https://arxiv.org/abs/math.GT/0309136v2", "abs", "math.GT/0309136v2", ArxivId("math.GT/0309136", 2), "https", "arxiv.org"),
        ("https://arxiv.org/pdf/hep-th/9901001.pdf", "pdf", "hep-th/9901001", ArxivId("hep-th/9901001"), "https", "arxiv.org"),
        ("HTTPS://ArXiv.Org/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org:443/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/abs/2401.12345?context=cs#section", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("arxiv.org/abs/2401.12345", "abs", "2401.12345", ArxivId("2401.12345"), "", "arxiv.org"),
        ("  https://arxiv.org/abs/2401.12345  ", "abs", "2401.12345", ArxivId("2401.12345"), "https", "arxiv.org"),
        ("https://arxiv.org/html/2401.12345v1", "other", "2401.12345v1", ArxivId("2401.12345", 1), "https", "arxiv.org"),
    ],
)
def test_parse_link_arxiv(
    url: str, kind: str, raw_id: str, arxiv_id: ArxivId, scheme: str, host: str
) -> None:
    link = parse_link(url)
    assert link == ArxivLink(arxiv_id, raw_id, kind, scheme, host, True)


@pytest.mark.parametrize(
    ("url", "kind", "raw_id"),
    [
        ("https://arxiv.org/abs/2401.1234x", "abs", "2401.1234x"),
        ("https://arxiv.org/abs/2413.12345", "abs", "2413.12345"),
        ("https://arxiv.org/abs/2401.12345v0", "abs", "2401.12345v0"),
        ("https://arxiv.org/abs/1501.1234", "abs", "1501.1234"),
        ("https://arxiv.org/abs/ID", "abs", "ID"),
        ("https://arxiv.org/abs/", "abs", ""),
        ("https://arxiv.org/pdf/2401.12345.pdf.pdf", "pdf", "2401.12345.pdf"),
        ("https://arxiv.org/abs/2401.12345.pdf", "abs", "2401.12345.pdf"),
        ("https://arxiv.org/list/cs.CV/new", "other", ""),
        ("https://arxiv.org/", "other", ""),
        ("https://arxiv.org", "other", ""),
    ],
)
def test_parse_link_arxiv_without_valid_id(url: str, kind: str, raw_id: str) -> None:
    link = parse_link(url)
    assert link.is_arxiv
    assert link.id is None
    assert link.kind == kind
    assert link.raw_id == raw_id


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://example.com/abs/2401.12345", "example.com"),
        ("https://arxiv.org.evil.com/abs/2401.12345", "arxiv.org.evil.com"),
        ("https://notarxiv.org/abs/2401.12345", "notarxiv.org"),
        ("https://github.com/owner/repo", "github.com"),
        ("https://alphaxiv.org/abs/2401.12345", "alphaxiv.org"),
    ],
)
def test_parse_link_other_hosts(url: str, host: str) -> None:
    link = parse_link(url)
    assert not link.is_arxiv
    assert link.host == host
    assert link.id is None
    assert link.kind == "other"


@pytest.mark.parametrize(
    "url",
    ["", "   ", "not a url", "http://[::1", "https://[", "://", "mailto:x@y", "\x00\uffff", "arxiv:2401.12345"],
)
def test_parse_link_garbage(url: str) -> None:
    link = parse_link(url)
    assert not link.is_arxiv
    assert link.id is None


def test_parse_link_non_string_never_raises() -> None:
    assert parse_link(None).is_arxiv is False  # type: ignore[arg-type]
    assert parse_link(b"https://arxiv.org/abs/2401.12345").is_arxiv is False  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_link_never_raises(text: str) -> None:
    link = parse_link(text)
    assert link.kind in {"abs", "pdf", "other"}
    assert isinstance(link.raw_id, str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="htps:/.arxivogbdf0123456789v[]?#-").map(lambda s: s))
def test_parse_link_never_raises_on_url_like_text(text: str) -> None:
    parse_link("https://arxiv.org/abs/" + text)
    parse_link(text)


# ---------------------------------------------------------------- property tests

_new_ids = st.builds(
    lambda yymm, serial5, serial4, version: (
        f"{yymm:04d}.{serial5:05d}" if yymm >= 1501 else f"{yymm:04d}.{serial4:04d}"
    )
    + (f"v{version}" if version else ""),
    st.sampled_from([y * 100 + m for y in range(7, 100) for m in range(1, 13) if 704 <= y * 100 + m <= 1412 or y * 100 + m >= 1501]),
    st.integers(1, 99999),
    st.integers(1, 9999),
    st.one_of(st.none(), st.integers(1, 1000)),
)


@given(_new_ids)
def test_new_style_round_trip(text: str) -> None:
    parsed = parse_id(text)
    assert parsed is not None
    assert str(parsed) == text
    assert parse_id(str(parsed)) == parsed


@given(_new_ids, st.sampled_from([" ", "(", "[", "，", "。", "\n", "<", "/"]), st.text(alphabet="abc ,.;", max_size=20))
def test_find_ids_finds_embedded_new_id(text: str, sep: str, noise: str) -> None:
    doc = f"{noise}{sep}{text}{sep}{noise}"
    hits = find_ids(doc)
    assert [(doc[s:e], i) for s, e, i in hits] == [(text, parse_id(text))]


# ---------------------------------------------------------------- find_ids


def _found(text: str) -> list[str]:
    hits = find_ids(text)
    for start, end, arxiv_id in hits:
        assert text[start:end] == str(arxiv_id)
    return [text[s:e] for s, e, _ in hits]


def test_find_ids_mixed_text() -> None:
    text = (
        "See arXiv:2401.12345v2 and ARXIV: hep-th/9901001, "
        "the PDF https://arxiv.org/pdf/math.GT/0309136.pdf, "
        "[Title](https://www.arxiv.org/abs/2502.01234) "
        "and a bare 1501.00001 (also 0704.0001).\n"
        "Chinese: 论文2503.11111提出了方法。DOI 10.48550/arXiv.2305.00001."
    )
    assert _found(text) == [
        "2401.12345v2",
        "hep-th/9901001",
        "math.GT/0309136",
        "2502.01234",
        "1501.00001",
        "0704.0001",
        "2503.11111",
        "2305.00001",
    ]


def test_find_ids_offsets_are_code_points() -> None:
    text = "😀 é 2401.12345"
    ((start, end, arxiv_id),) = find_ids(text)
    assert (start, end) == (4, 14)
    assert arxiv_id == ArxivId("2401.12345")


@pytest.mark.parametrize(
    "text",
    [
        "2413.12345",  # month 13
        "1501.1234",  # 4 digits after 1412
        "1412.12345",  # 5 digits before 1501
        "0612.1234",  # before new style
        "2401.12345v0",
        "2401.123456",  # too long: not bounded
        "x2401.12345",  # glued to a word
        "2401.12345x",
        "2401.12345_",
        "12401.12345",
        "1.2401.12345",  # tail of a dotted number
        "2401.12345.6",  # head of a dotted number
        "192.168.2401.12345",
        "version 2401.12345v2b",
        "hep-th/9901001",  # old style needs arXiv: or a link
        "myarXiv:2401.12345x",
        "arXiv:hep-th/9913001",  # month 13
        "https://arxiv.org/abs/2401.1234x",
        "",
    ],
)
def test_find_ids_rejects(text: str) -> None:
    assert find_ids(text) == []


def test_find_ids_link_forms() -> None:
    assert _found("http://export.arxiv.org/abs/cond-mat/0703999v3/") == ["cond-mat/0703999v3"]
    assert _found("https://arxiv.org/pdf/2401.12345v1.pdf") == ["2401.12345v1"]
    assert _found("https://arxiv.org/html/2401.12345v1") == ["2401.12345v1"]
    assert _found("<https://arxiv.org/abs/2401.12345>") == ["2401.12345"]
    # One occurrence per id even when prefix, link and bare forms overlap.
    assert _found("arXiv:2401.12345 https://arxiv.org/abs/2401.12345") == ["2401.12345", "2401.12345"]


def test_find_ids_sentence_punctuation() -> None:
    assert _found("Ends with 2401.12345.") == ["2401.12345"]
    assert _found("(2401.12345), 2401.12346; 2401.12347!") == ["2401.12345", "2401.12346", "2401.12347"]


@pytest.mark.parametrize(
    "text",
    [
        "1" * 1_000_000,
        "." * 1_000_000,
        "1234." * 200_000,
        "1." * 500_000,
        "2401.12345v" + "9" * 1_000_000 + "x",
        "arXiv:" * 200_000,
        "arxiv.org/abs/" * 80_000,
        "arXiv:hep-th/" * 80_000,
        "2401.1234" * 100_000,
    ],
)
def test_find_ids_is_linear_on_pathological_input(text: str) -> None:
    started = time.perf_counter()
    find_ids(text)
    assert time.perf_counter() - started < 2.0


def test_find_ids_many_ids_quickly() -> None:
    text = " ".join(f"2401.{n:05d}" for n in range(1, 50_001))
    started = time.perf_counter()
    hits = find_ids(text)
    assert time.perf_counter() - started < 2.0
    assert len(hits) == 50_000


# ---------------------------------------------------------------- real digests

_ENTRY_LINK_RE = re.compile(r"^### (?:\[\d+\] )?\[.*\]\((\S+)\)\s*$", re.MULTILINE)


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="shared corpus not available")
def test_entry_links_in_real_digests_parse() -> None:
    checked = 0
    for path in sorted(CORPUS_DIR.glob("*.md")):
        if path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        for url in _ENTRY_LINK_RE.findall(text):
            link = parse_link(url)
            assert link.is_arxiv and link.kind == "abs", (path.name, url)
            assert link.id is not None, (path.name, url)
            assert canonical_abs_url(link.id) == url, (path.name, url)
            checked += 1
        assert find_ids(text) or "arxiv.org/abs/" not in text
    assert checked > 1000


@settings(max_examples=400, deadline=None)
@given(st.from_regex(arxiv._PLAIN_URL_RE, fullmatch=True))
def test_the_plain_url_fast_path_finds_what_urlsplit_finds(url):
    assert arxiv._PLAIN_URL_RE.match(url).groups() == arxiv._split(url)
