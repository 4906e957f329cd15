"""The normal form of an author's name, shared by the workspace rules and the index.

Two spellings of one author ("José  García", "jose garcia") share one
normalised name.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Casefold, strip diacritics (NFKD, combining marks dropped) and collapse white space."""
    if name.isascii():  # most names: NFKD leaves ASCII as it is, and it has no combining marks
        return " ".join(name.lower().split())
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.casefold()).strip()
