"""Answers as pre-encoded JSON: the pieces of large answers cached as JSON text and joined.

pygls turns an answer into lsprotocol objects, unstructures them with cattrs
and encodes the whole message, every time. For the answers that grow with
the document (its diagnostics, its outline) that is most of the time spent,
and after an edit almost all of it is the same as the last time. Those
answers are therefore built from JSON fragments cached by what they were
converted from, joined into a `RawJSON`, and `DigestProtocol` writes a
`RawJSON` result or notification into the message as it is.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Hashable, Iterable

from pygls.protocol import default_converter

_converter = None


def converter():
    """The lsprotocol converter; the server's protocol uses this same one (building one takes a while)."""
    global _converter
    if _converter is None:
        _converter = default_converter()
    return _converter


class RawJSON(str):
    """JSON text that goes into a message verbatim."""


def dumps(value: Any) -> str:
    """A plain JSON value as compact text (UTF-8 on the wire, so no \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode(value: Any) -> str:
    """An lsprotocol object as the JSON text pygls would have sent for it."""
    return dumps(converter().unstructure(value))


def array(fragments: Iterable[str]) -> RawJSON:
    return RawJSON("[" + ",".join(fragments) + "]")


def members(**values: str) -> RawJSON:
    """A JSON object from members that are JSON text already (None members are left out)."""
    return RawJSON("{" + ",".join(f'"{name}":{text}' for name, text in values.items() if text is not None) + "}")


class FragmentCache:
    """JSON fragments by key; a fragment not used by the last conversion is forgotten.

    One conversion of a whole answer is one `Round`: what it looks up is kept
    for the next round, the rest goes, so the cache never outgrows the answer.
    """

    def __init__(self) -> None:
        self._by_key: dict[Hashable, str] = {}
        self._by_identity: dict[int, tuple[Any, Hashable, str]] = {}

    def round(self) -> "Round":
        return Round(self)


class Round:
    def __init__(self, cache: FragmentCache) -> None:
        self._cache = cache
        self._old_keys, self._new_keys = cache._by_key, {}
        self._old_identities, self._new_identities = cache._by_identity, {}
        self.misses = 0

    def get(self, value: Any, context: Hashable, make: Callable[[], str]) -> str:
        """The fragment of `value` converted in `context` (what else the conversion read), made when missing.

        The same object seen again in an equal context is found by identity,
        without hashing it (a tree of nodes hashes deeply); an equal one is
        found by value.
        """
        seen = self._old_identities.get(id(value))
        if seen is not None and seen[0] is value and seen[1] == context:
            fragment = seen[2]
        else:
            key = (value, context)
            fragment = self._new_keys.get(key) or self._old_keys.get(key)
            if fragment is None:
                self.misses += 1
                fragment = make()
            self._new_keys[key] = fragment
        # Keeping `value` keeps its id from being reused by another object.
        self._new_identities[id(value)] = (value, context, fragment)
        return fragment

    def get_same(self, value: Any, context: Hashable, make: Callable[[], str], parts: tuple = ()) -> str:
        """`get` by identity only, for a value whose hash is deep (a section of 300 entries) and which is
        seldom equal without being the same object. When found, the fragments of its `parts` (made by
        `make` in an earlier round) are kept for the next round as if they had been looked up."""
        seen = self._old_identities.get(id(value))
        if seen is not None and seen[0] is value and seen[1] == context:
            fragment = seen[2]
            for part in parts:
                kept = self._old_identities.get(id(part))
                if kept is not None and kept[0] is part:
                    self._new_identities[id(part)] = kept
        else:
            self.misses += 1
            fragment = make()
        self._new_identities[id(value)] = (value, context, fragment)
        return fragment

    def done(self) -> None:
        self._cache._by_key = self._new_keys
        self._cache._by_identity = self._new_identities
