"""arXiv identifiers and arXiv links: grammar, parsing and scanning.

This module owns:

* ``ArxivId`` and ``parse_id``: the identifier grammar.
  New style (April 2007 on): ``YYMM.NNNN`` for 0704..1412 and ``YYMM.NNNNN``
  from 1501 on, month 01..12.  Old style (1991 to March 2007):
  ``archive/YYMMNNN`` or ``archive.SUBJ/YYMMNNN`` with ``archive`` one of
  ``taxonomy.OLD_ARCHIVES`` and ``SUBJ`` two capital letters.  Both take an
  optional version ``vN`` (N >= 1, no leading zero).  The serial number may
  not be all zeros.
* ``ArxivLink`` and ``parse_link``: what an ``arxiv.org`` URL points at
  (abstract page, PDF, anything else) and the id written in it.
* ``canonical_abs_url`` and ``pdf_url``: the URLs the project writes.
* ``find_ids``: every arXiv id in free text, with code-point offsets.

All regular expressions are compiled once, here, and are built so that
matching is linear in the length of the input (bounded repetitions,
possessive quantifiers, fixed-width look-arounds).

Word boundaries are ASCII: an id is delimited by anything that is not
``[A-Za-z0-9_]``.  Digests mix English and Chinese, and CJK characters count
as word characters for Python's Unicode ``\\w``, which would hide ids
written right next to Chinese text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .taxonomy import OLD_ARCHIVES

__all__ = [
    "ARXIV_HOSTS",
    "ArxivId",
    "ArxivLink",
    "canonical_abs_url",
    "find_ids",
    "parse_id",
    "parse_link",
    "pdf_url",
]

#: Host names whose URLs are arXiv's own.
ARXIV_HOSTS: frozenset[str] = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})

# --------------------------------------------------------------------------
# Grammar

# Longest names first so that the alternation never stops at a prefix
# (``math`` before ``math-ph``) when used inside larger patterns.
_ARCHIVE_ALT = "|".join(re.escape(a) for a in sorted(OLD_ARCHIVES, key=lambda a: (-len(a), a)))

_VERSION = r"(?:v(?P<ver>[0-9]++))?"
_NEW_BODY = r"(?P<nyymm>[0-9]{4})\.(?P<nnum>[0-9]{4,5})"
_OLD_BODY = (
    rf"(?P<arch>{_ARCHIVE_ALT})(?:\.(?P<subj>[A-Z]{{2}}))?"
    r"/(?P<oyymm>[0-9]{4})(?P<onum>[0-9]{3})"
)

_NEW_ID_RE = re.compile(_NEW_BODY + _VERSION)
_OLD_ID_RE = re.compile(_OLD_BODY + _VERSION)

# Scanner for free text.  Three alternatives, tried left to right at each
# position; each does a bounded amount of work before failing, so a scan is
# linear.  Each alternative names its id group differently (Python forbids
# duplicate group names); find_ids looks at whichever one took part.
_W = "A-Za-z0-9_"
_FIND_RE = re.compile(
    rf"""
    (?:
        # arXiv:ID (also "arXiv: ID", "arxiv:ID"), new or old style.
        (?<![{_W}])(?i:arxiv):[ ]?
        (?P<pref>(?:{_ARCHIVE_ALT})(?:\.[A-Z]{{2}})?/[0-9]{{7}}|[0-9]{{4}}\.[0-9]{{4,5}})
        (?P<prefv>v[0-9]++)?
      |
        # Link path: arxiv.org/abs/ID, /pdf/ID, /html/ID, new or old style.
        (?<![{_W}-])(?i:arxiv\.org)/(?:abs|pdf|html)/
        (?P<link>(?:{_ARCHIVE_ALT})(?:\.[A-Z]{{2}})?/[0-9]{{7}}|[0-9]{{4}}\.[0-9]{{4,5}})
        (?P<linkv>v[0-9]++)?
      |
        # Bare new-style id; not the tail of a dotted number such as 1.2.3.
        (?<![{_W}])(?<![0-9]\.)
        (?P<bare>[0-9]{{4}}\.[0-9]{{4,5}})
        (?P<barev>v[0-9]++)?
    )
    (?![{_W}])(?!\.[0-9])
    """,
    re.VERBOSE,
)


def _version_ok(text: str | None) -> bool:
    """A version is absent, or digits without a leading zero (so not v0)."""
    return text is None or (text != "" and text[0] != "0")


def _new_style_ok(yymm: str, number: str) -> bool:
    month = int(yymm[2:])
    if not 1 <= month <= 12:
        return False
    if int(number) == 0:
        return False
    value = int(yymm)
    if len(number) == 4:
        return 704 <= value <= 1412
    return value >= 1501


def _old_style_ok(yymm: str, number: str) -> bool:
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12:
        return False
    if int(number) == 0:
        return False
    # 1991 to 1999, then 2000 to March 2007 when the new scheme began.
    return year >= 91 or year < 7 or (year == 7 and month <= 3)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """One arXiv identifier.

    ``base`` is the id as written without its version (``"2401.12345"``,
    ``"hep-th/9901001"``, ``"math.GT/0309136"``); ``version`` is the number
    after ``v``, or None when no version was given.
    """

    base: str
    version: int | None = None

    def __str__(self) -> str:
        if self.version is None:
            return self.base
        return f"{self.base}v{self.version}"

    @property
    def canonical(self) -> str:
        """The id without version, as arXiv files it.

        For old-style ids the subject class is dropped as well
        (``math.GT/0309136`` -> ``math/0309136``): arXiv serves the paper
        under the bare archive name.  New-style ids are their ``base``.
        """
        if self.is_old_style:
            head, _, tail = self.base.partition("/")
            return f"{head.split('.', 1)[0]}/{tail}"
        return self.base

    @property
    def is_old_style(self) -> bool:
        """True for ``archive/YYMMNNN`` ids, False for ``YYMM.NNNNN`` ones."""
        return "/" in self.base

    @property
    def yymm(self) -> str:
        """The four-digit year and month of submission (``"2401"``)."""
        if self.is_old_style:
            return self.base.partition("/")[2][:4]
        return self.base[:4]


def parse_id(text: str) -> ArxivId | None:
    """Parse a whole string as an arXiv id; None if it is not exactly one.

    No surrounding text or whitespace and no ``arXiv:`` prefix are allowed.
    Rejected: month 00 or 13+, 4-digit numbers after 1412, 5-digit numbers
    before 1501, new-style ids before 0704, old-style ids after 0703, an
    all-zero serial number, ``v0`` and versions with a leading zero.
    """
    if not isinstance(text, str):
        return None
    m = _NEW_ID_RE.fullmatch(text)
    if m is not None:
        yymm, number, ver = m.group("nyymm", "nnum", "ver")
        if not (_new_style_ok(yymm, number) and _version_ok(ver)):
            return None
        return ArxivId(f"{yymm}.{number}", int(ver) if ver else None)
    m = _OLD_ID_RE.fullmatch(text)
    if m is not None:
        yymm, number, ver = m.group("oyymm", "onum", "ver")
        if not (_old_style_ok(yymm, number) and _version_ok(ver)):
            return None
        base = text if ver is None else text[: m.start("ver") - 1]
        return ArxivId(base, int(ver) if ver else None)
    return None


# --------------------------------------------------------------------------
# Links


@dataclass(frozen=True, slots=True)
class ArxivLink:
    """What a URL says about arXiv.

    ``id`` is the parsed identifier or None; ``raw_id`` the identifier text
    exactly as written in the path (after ``/abs/`` or ``/pdf/``, without a
    trailing slash or ``.pdf``), so that callers can report a malformed one;
    ``kind`` is ``"abs"``, ``"pdf"`` or ``"other"``; ``scheme`` and ``host``
    are lower-cased (``""`` when absent); ``is_arxiv`` is True when the host
    is one of ``ARXIV_HOSTS``.
    """

    id: ArxivId | None
    raw_id: str
    kind: str
    scheme: str
    host: str
    is_arxiv: bool


_NOT_A_LINK = ArxivLink(None, "", "other", "", "", False)
_SCHEMELESS_RE = re.compile(r"(?i:(?:www\.|export\.)?arxiv\.org)(?=[/:?#]|\Z)")
# A lower-case arXiv URL with no port, user, query or fragment, nothing urlsplit would strip or reject.
_PLAIN_URL_RE = re.compile(r"(https?)://((?:www\.|export\.)?arxiv\.org)(/[^\x00-\x20\x7f?#\[\]]*)\Z")


def _split(text: str) -> tuple[str, str, str]:
    """(scheme, host, path) of a URL, a scheme-less `arxiv.org/...` understood too."""
    if "://" not in text and not text.startswith("//") and _SCHEMELESS_RE.match(text):
        parts = urlsplit("//" + text)
    else:
        parts = urlsplit(text)
    return parts.scheme.lower(), (parts.hostname or "").lower().rstrip("."), parts.path


def parse_link(url: str) -> ArxivLink:
    """Classify ``url``; never raises.

    Accepted arXiv forms: ``http`` or ``https``, ``arxiv.org``,
    ``www.arxiv.org`` or ``export.arxiv.org`` (a port is ignored, a URL
    without scheme such as ``arxiv.org/abs/ID`` is understood too), then
    ``/abs/ID``, ``/pdf/ID`` or ``/pdf/ID.pdf``, each optionally with a
    trailing slash; query and fragment are ignored.  Any other arXiv path
    is kind ``"other"`` (with its id, when it is ``/html/ID``).  For other
    hosts ``is_arxiv`` is False, ``kind`` ``"other"`` and ``raw_id`` empty.
    """
    if not isinstance(url, str):
        return _NOT_A_LINK
    text = url.strip()
    plain = _PLAIN_URL_RE.match(text)
    if plain is not None:  # what digests hold: the same parts as `urlsplit` finds, at a fraction of its cost
        scheme, host, path = plain.groups()
    else:
        try:
            scheme, host, path = _split(text)
        except (ValueError, TypeError):
            return _NOT_A_LINK
    if host not in ARXIV_HOSTS:
        return ArxivLink(None, "", "other", scheme, host, False)

    kind = "other"
    raw = ""
    for prefix, name in (("/abs/", "abs"), ("/pdf/", "pdf"), ("/html/", "other")):
        if path.startswith(prefix):
            kind = name
            raw = path[len(prefix):]
            break
    else:
        return ArxivLink(None, "", "other", scheme, host, True)

    if raw.endswith("/"):
        raw = raw[:-1]
    if kind == "pdf" and raw.endswith(".pdf"):
        raw = raw[:-4]
    return ArxivLink(parse_id(raw), raw, kind, scheme, host, True)


def canonical_abs_url(arxiv_id: ArxivId) -> str:
    """``https://arxiv.org/abs/<canonical id>``: no version, no old-style subject."""
    return f"https://arxiv.org/abs/{arxiv_id.canonical}"


def pdf_url(arxiv_id: ArxivId, *, versioned: bool = False) -> str:
    """``https://arxiv.org/pdf/<canonical id>``, with ``vN`` if ``versioned``
    is set and the id has a version."""
    tail = arxiv_id.canonical
    if versioned and arxiv_id.version is not None:
        tail = f"{tail}v{arxiv_id.version}"
    return f"https://arxiv.org/pdf/{tail}"


# --------------------------------------------------------------------------
# Scanning free text


def find_ids(text: str) -> list[tuple[int, int, ArxivId]]:
    """Every arXiv id in ``text`` as ``(start, end, id)``, in order.

    Offsets are code-point indices into ``text`` and cover the id itself,
    version included (``2401.12345v2``), not an ``arXiv:`` prefix or the
    surrounding URL.  Found: bare new-style ids delimited by non-word
    characters (and not part of a longer dotted number), ``arXiv:ID`` with
    new- or old-style ids, and ids in ``arxiv.org/abs|pdf|html/`` paths.
    Candidates that break the grammar (month 13, ``v0`` ...) are skipped.
    Runs in time linear in ``len(text)``.
    """
    if not isinstance(text, str):
        return []
    found: list[tuple[int, int, ArxivId]] = []
    for m in _FIND_RE.finditer(text):
        for name in ("bare", "link", "pref"):
            if m.start(name) >= 0:
                break
        start = m.start(name)
        end = m.end()
        parsed = parse_id(text[start:end])
        if parsed is not None:
            found.append((start, end, parsed))
    return found
